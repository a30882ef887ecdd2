"""Finding a place (and a role) by typing in the offer form and the market explorer, choosing with
the keyboard; and the plain menus still working with JavaScript off."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from benchmarks.models import Location
from offers.models import Offer
from tests.browser.axe import axe_findings
from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.factories import LocationFactory, UserFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db(transaction=True)

AUSTIN = "Austin-Round Rock-San Marcos, TX"


@pytest.fixture
def market(db):
    market = seattle_senior_tpm_market()
    # Real shipped names: the Austin metro, its state, and a place that only contains "Austin".
    texas = LocationFactory(name="Texas", kind="state", bls_area_code="48", state_code="TX")
    market["austin"] = LocationFactory(
        name=AUSTIN, kind="metro", bls_area_code="12420", state_code="TX", parent=texas
    )
    LocationFactory(name="Washington", kind="state", bls_area_code="53", state_code="WA")
    return market


def signed_in(context, client, live_server, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def look_at(page, request, what):
    """A picture of the screen as it is seen (not the whole page), kept with the others."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")
    page.screenshot(path=ARTIFACTS / f"{test}--{what}.png")


def pick(page, search_name, text, look=None):
    """Type `text` in the search box, go down to the first match and press Enter."""
    box = page.get_by_role("combobox", name=search_name)
    box.click()
    box.press_sequentially(text)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_have_attribute("data-matches-for", text)  # the last answer has come
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    if look:
        look(f"open-listbox-{search_name.split()[-1]}")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_type_austin_in_the_offer_form_pick_it_with_the_keyboard_and_save(
    page, width, client, live_server, market, screenshot, request
):
    user = UserFactory()
    signed_in(page.context, client, live_server, user)
    page.goto("/offers/new/")
    page.get_by_label("Company*").fill("Northwind")

    pick(page, "Search jobs", "TPM")
    expect(page.get_by_label("Role*")).to_have_value(str(market["role"].pk))

    pick(page, "Search places", "Austin", lambda what: look_at(page, request, what))
    place = page.get_by_label("Location*")
    expect(place).to_have_value(str(market["austin"].pk))
    # The menu shows the choice; the box is emptied for another search.
    expect(page.get_by_role("combobox", name="Search places")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text=AUSTIN)).to_have_text(f"{AUSTIN} chosen.")

    # Escape closes an open list and leaves the choice alone.
    box = page.get_by_role("combobox", name="Search places")
    box.press_sequentially("WA")
    expect(page.get_by_role("listbox")).to_have_attribute("data-matches-for", "WA")
    matches = page.get_by_role("listbox").get_by_role("option")
    # "WA": the state first, then its metro area.
    expect(matches.first).to_contain_text("Washington")
    expect(matches.nth(1)).to_contain_text("Seattle-Tacoma-Bellevue, WA")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(matches.nth(1)).to_have_attribute("aria-selected", "true")
    look_at(page, request, "open-listbox-WA")
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(place).to_have_value(str(market["austin"].pk))

    page.get_by_label("Base salary (yearly)*").fill("150000")
    page.get_by_role("button", name="Save offer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northwind")
    expect(page.locator("main")).to_contain_text(AUSTIN)
    offer = Offer.objects.get(owner=user)
    assert offer.location == market["austin"]
    assert offer.role == market["role"]
    screenshot("saved")
    assert page.console_errors == []


def test_type_austin_in_the_market_explorer_and_the_band_follows(
    page, width, client, live_server, market, screenshot, request
):
    signed_in(page.context, client, live_server, UserFactory())
    page.goto("/market/")
    expect(page.locator("#band-result")).to_contain_text("$155,000")  # the U.S. band first
    page.evaluate("window.stillTheSamePage = true")

    pick(page, "Search places", "Seattle", lambda what: look_at(page, request, what))
    expect(page.get_by_label("Location")).to_have_value(str(market["seattle"].pk))
    # The menu's change asked for the band in place: Seattle's is 155,000 × 1.2 = 186,000.
    expect(page.locator("#band-result")).to_contain_text("$186,000")

    pick(page, "Search places", "42660")  # Seattle by its area code, already chosen
    expect(page.get_by_label("Location")).to_have_value(str(market["seattle"].pk))

    pick(page, "Search places", "Austin")
    expect(page.get_by_label("Location")).to_have_value(str(market["austin"].pk))
    expect(page.locator("#band-result")).to_contain_text(AUSTIN)
    expect(page).to_have_url(re.compile(rf"/market/\?.*location={market['austin'].pk}"))
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot("austin")

    assert page.console_errors == []


def test_a_page_brought_back_from_history_has_one_working_search_box(
    page, width, client, live_server, market
):
    signed_in(page.context, client, live_server, UserFactory())
    page.goto("/market/")
    pick(page, "Search places", "Seattle")
    expect(page.locator("#band-result")).to_contain_text("$186,000")  # 155,000 × 1.2
    pick(page, "Search places", "Texas")
    expect(page.locator("#band-result")).to_contain_text("Texas")
    page.go_back()  # htmx puts back the page it kept, search box and all
    expect(page).to_have_url(re.compile(rf"location={market['seattle'].pk}"))
    expect(page.get_by_role("combobox", name="Search places")).to_have_count(1)
    pick(page, "Search places", "Austin")
    expect(page.get_by_label("Location")).to_have_value(str(market["austin"].pk))
    expect(page.locator("#band-result")).to_contain_text(AUSTIN)
    assert page.console_errors == []


def test_nothing_found_says_so_and_enter_sends_no_form(page, width, client, live_server, market):
    signed_in(page.context, client, live_server, UserFactory())
    page.goto("/offers/new/")
    box = page.get_by_role("combobox", name="Search places")
    box.press_sequentially("Atlantis")
    expect(page.get_by_role("status").filter(has_text="Nothing matches")).to_have_text(
        "Nothing matches; choose from the menu below instead."
    )
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/offers/new/$"))
    assert Offer.objects.count() == 0
    # A match can be tapped or clicked too.
    box.fill("")
    box.press_sequentially("Aus")
    page.get_by_role("listbox").get_by_role("option", name=re.compile(AUSTIN)).click()
    expect(page.get_by_label("Location*")).to_have_value(str(market["austin"].pk))
    # The menu itself still works as it always did.
    page.get_by_label("Location*").select_option(label=market["seattle"].name)
    expect(page.get_by_label("Location*")).to_have_value(str(market["seattle"].pk))
    assert page.console_errors == []


def test_without_javascript_the_plain_menus_work(browser, width, client, live_server, market):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[width], "height": 800},
        java_script_enabled=False,
    )
    try:
        user = UserFactory()
        signed_in(context, client, live_server, user)
        page = context.new_page()
        page.goto("/offers/new/")
        # No search box without the script: just the menus, as they always were.
        expect(page.get_by_role("combobox", name="Search places")).to_have_count(0)
        page.get_by_label("Company*").fill("Contoso")
        page.get_by_label("Role*").select_option(label="Technical Product Manager")
        page.get_by_label("Location*").select_option(label=AUSTIN)
        page.get_by_label("Base salary (yearly)*").fill("150000")
        page.get_by_role("button", name="Save offer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Contoso")
        expect(page.locator("main")).to_contain_text(AUSTIN)
        assert Offer.objects.get(owner=user).location == Location.objects.get(name=AUSTIN)

        page.goto("/market/")
        page.get_by_label("Location").select_option(label=market["seattle"].name)
        page.get_by_role("button", name="Show band").click()
        expect(page.locator("#band-result")).to_contain_text("$186,000")  # 155,000 × 1.2
    finally:
        context.close()


def test_the_open_list_has_no_serious_accessibility_violation(
    browser, width, client, live_server, market
):
    # axe is injected as a script, which the pages' policy forbids: this context bypasses it.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width], "height": 800}, bypass_csp=True
    )
    try:
        signed_in(context, client, live_server, UserFactory())
        page = context.new_page()
        found = []
        for url in ("/offers/new/", "/market/"):
            page.goto(url)
            box = page.get_by_role("combobox", name="Search places")
            box.press_sequentially("WA")
            expect(page.get_by_role("listbox")).to_have_attribute("data-matches-for", "WA")
            box.press("ArrowDown")
            expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-options-0$"))
            found += axe_findings(page, f"{url}, the list open")
        assert found == []
    finally:
        context.close()

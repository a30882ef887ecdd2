import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in_with_a_session
from tests.factories import (
    LocationFactory,
    OfferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

D = Decimal


@pytest.fixture
def signed_in_page(page, live_server):
    """The browser carries the session of a user signed in through Django's test client."""
    sign_in_with_a_session(page, live_server, UserFactory())
    return page


@pytest.fixture
def market(market):
    # A state too, so the place menu has more than one group.
    LocationFactory(name="Washington", kind="state", bls_area_code="53")
    return market


def test_band_updates_in_place_as_choices_change(signed_in_page, market, width):
    page = signed_in_page
    page.goto("/market/")
    expect(page.get_by_role("heading", name="Market data", level=1)).to_be_visible()
    # Survives only if the page is never reloaded.
    page.evaluate("window.stillTheSamePage = true")

    # With no offer yet it opens on a Senior TPM in the U.S., the guide's own band.
    expect(page.locator("#band-result")).to_contain_text("$155,000")
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")

    result = page.locator("#band-result")
    expect(result).to_contain_text("$186,000")  # 155,000 × 1.2
    expect(result).to_contain_text("× 1.2000")  # the Seattle factor
    expect(result.get_by_test_id("confidence")).to_have_text("Derived")
    expect(
        page.get_by_role("img", name=re.compile(r"^Base salary band for Technical"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/market/\?.*location=\d+"))
    assert page.evaluate("window.stillTheSamePage") is True

    # A place with no band and no factor says so, still without a reload.
    page.get_by_label("Level", exact=True).select_option(label="All levels")
    expect(result).to_contain_text("There is no market band yet")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []


def test_explorer_fits_a_phone_and_works_from_the_keyboard(signed_in_page, market):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/market/")

    page.get_by_label("Role").focus()
    page.get_by_label("Role").select_option(label="Technical Product Manager")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Level", exact=True)).to_be_focused()
    page.get_by_label("Level", exact=True).select_option(label="Senior")
    page.keyboard.press("Tab")
    # The place's search box comes first, then its menu.
    expect(page.get_by_role("combobox", name="Search places")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Location")).to_be_focused()
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")

    expect(page.locator("#band-result")).to_contain_text("$186,000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.console_errors == []


def test_a_shared_link_opens_with_the_band_shown(signed_in_page, market, width):
    page = signed_in_page
    page.goto("/market/")
    page.get_by_label("Role").select_option(label="Technical Product Manager")
    page.get_by_label("Level", exact=True).select_option(label="Senior")
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")
    expect(page.locator("#band-result")).to_contain_text("$186,000")

    page.reload()

    expect(page.locator("#band-result")).to_contain_text("$186,000")
    expect(page.get_by_label("Location")).to_have_value(re.compile(r"\d+"))
    assert page.console_errors == []


def test_an_offer_opens_its_place_on_the_career_ladder(page, live_server, market):
    user = UserFactory()
    OfferFactory(
        owner=user, company="Acme", role=market["role"], level=market["level"],
        location=market["seattle"], base_salary=D("175000"),
    )  # fmt: skip
    sign_in_with_a_session(page, live_server, user)
    page.goto("/offers/")
    page.get_by_role("link", name="Acme").first.click()

    page.get_by_role(
        "link", name="See this level on the Technical Product Manager career ladder"
    ).click()

    expect(page).to_have_url(re.compile(r"/market/\?role=\d+&level=\d+&location=\d+.*#ladder$"))
    ladder = page.locator("#ladder")
    expect(ladder).to_be_in_viewport()
    chart = ladder.get_by_role("img", name=re.compile(r"^Base salary by level: Technical"))
    expect(chart.first).to_be_visible()
    expect(chart.first).to_have_attribute(
        "aria-label", re.compile(r"your offer 1 \(Acme\) \$175,000")
    )
    table = ladder.get_by_role("table", name=re.compile("^Base salary by level"))
    expect(table.locator("tr[aria-current=true] th")).to_have_text("Senior")
    expect(ladder).to_contain_text("Acme, Senior: base $175,000")
    assert page.console_errors == []


def test_the_ladder_fits_a_phone(signed_in_page, market):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 800})
    role, level, place = market["role"].pk, market["level"].pk, market["seattle"].pk

    page.goto(f"/market/?role={role}&level={level}&location={place}&component=base")

    ladder = page.locator("#ladder")
    narrow = ladder.locator("svg.ladder-chart[width='360']")
    expect(narrow).to_be_visible()
    expect(ladder.locator("svg.ladder-chart[width='640']")).to_be_hidden()
    assert narrow.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table = ladder.get_by_test_id("ladder-table")
    assert table.bounding_box()["width"] <= 375
    assert page.console_errors == []


def test_it_opens_on_the_persons_newest_offer(page, live_server, market, width, screenshot):
    user = UserFactory()
    OfferFactory(owner=user, company="Older", role=market["role"], level=market["level"])
    newest = OfferFactory(
        owner=user, company="Newest", role=market["role"], level=market["level"],
        location=market["seattle"],
    )  # fmt: skip
    sign_in_with_a_session(page, live_server, user)
    page.goto("/market/")

    # Its role, level and place are chosen, and the band is Seattle's: 155,000 × 1.2.
    expect(page.get_by_label("Location")).to_have_value(str(newest.location_id))
    expect(page.get_by_label("Level", exact=True)).to_have_value(str(newest.level_id))
    expect(page.locator("#band-result")).to_contain_text("$186,000")
    screenshot("newest-offer")
    assert page.console_errors == []

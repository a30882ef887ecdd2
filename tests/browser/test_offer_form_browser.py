"""The offer form on a phone and a laptop: the live total stays in view, amounts are read as
people type them, and a field the preview can't read is named and marked next to the field.
And the offer page's leave-after figures: the retirement match, and a pro rata clawback.

Figures are the reference package's (tests/test_offers_views.py works them out): base 165,000,
15% bonus, 30,000 sign-on, 200,000 RSUs back-loaded 5/15/40/40, match 6% at 50%:
first year 234,700, average yearly 244,700.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_findings
from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.browser.signing_in import sign_in
from tests.factories import OfferFactory, UserFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db(transaction=True)


def reference_offer(**overrides):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    fields = {"role": market["role"], "level": market["level"], "location": market["seattle"]}
    return OfferFactory(owner=user, **fields | overrides)


def has_class(css_class: str) -> re.Pattern:
    return re.compile(rf"(^|\s){re.escape(css_class)}(\s|$)")


def viewport_screenshot(page, what: str) -> None:
    """What the person sees on screen right now (the fixture's screenshots are full-page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"offer-form--{page.width_name}--{what}.png")


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_live_total_stays_in_view_and_follows_the_base(page, width, screenshot):
    offer = reference_offer()
    sign_in(page, offer.owner)
    page.goto(f"/offers/{offer.pk}/edit/")
    preview = page.locator("#offer-preview")
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$234,700")
    viewport_screenshot(page, "as-it-opens")
    screenshot("form")

    # At the bottom of the form the totals are still on screen: the bar on a phone, the
    # sticky side panel on a laptop.
    page.get_by_role("button", name="Save offer").scroll_into_view_if_needed()
    bar = page.get_by_test_id("summary-bar")
    if width == "phone":
        expect(bar).to_be_visible()
        assert in_viewport(page, "[data-testid=summary-bar]")
        expect(bar.get_by_test_id("bar-first-year")).to_have_text("$234,700")
        expect(bar.get_by_test_id("bar-average")).to_have_text("$244,700")
        # The bar covers nothing: the Save button sits above it.
        save = page.get_by_role("button", name="Save offer").bounding_box()
        assert save["y"] + save["height"] <= bar.bounding_box()["y"]
    else:
        expect(bar).to_be_hidden()
        assert in_viewport(page, "#offer-preview [data-testid=first-year-total]")
    viewport_screenshot(page, "bottom-of-the-form")

    # A raise of 10,000 adds 10,000 + 1,500 bonus (15%) + 300 match (3%) = 11,800 a year:
    # first year 234,700 + 11,800 = 246,500; average 244,700 + 11,800 = 256,500.
    page.get_by_label("Base salary (yearly)*").fill("175000")
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$246,500")
    if width == "phone":
        expect(bar.get_by_test_id("bar-first-year")).to_have_text("$246,500")
        expect(bar.get_by_test_id("bar-average")).to_have_text("$256,500")
        assert in_viewport(page, "[data-testid=summary-bar]")
    else:
        expect(preview.get_by_test_id("average-yearly-total")).to_have_text("$256,500")
    assert page.console_errors == [], page.console_errors


def test_165k_is_165000_and_165kk_is_named_next_to_the_field(page, width, screenshot):
    offer = reference_offer(base_salary=Decimal("150000"))
    sign_in(page, offer.owner)
    page.goto(f"/offers/{offer.pk}/edit/")
    base = page.get_by_label("Base salary (yearly)*")
    preview = page.locator("#offer-preview")

    base.fill("165k")
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$234,700")
    expect(preview.get_by_test_id("average-yearly-total")).to_have_text("$244,700")

    base.fill("165kk")
    message = "Write the amount in digits, e.g. 165000, 165,000, $165,000, 165000.50, 165k or 1.2m"
    expect(preview.get_by_test_id("preview-errors")).to_contain_text(
        f"Base salary (yearly): {message}"
    )
    expect(preview.get_by_test_id("first-year-total")).to_have_count(0)
    expect(base).to_have_class(has_class("is-invalid"))
    expect(base).to_have_attribute("aria-invalid", "true")
    feedback = page.locator("#div_id_base_salary .invalid-feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text(message)
    # The message is tied to the field for screen readers, and only the wrong field is marked.
    described = base.get_attribute("aria-describedby").split()
    assert feedback.get_attribute("id") in described
    expect(page.locator("#offer-form .is-invalid")).to_have_count(1)
    if width == "phone":
        expect(page.get_by_test_id("summary-bar")).to_contain_text(
            "Totals wait for: Base salary (yearly)"
        )
    base.evaluate("field => field.scrollIntoView({block: 'center', behavior: 'instant'})")
    viewport_screenshot(page, "unreadable-amount-at-the-field")
    preview.scroll_into_view_if_needed()
    viewport_screenshot(page, "unreadable-amount-in-the-preview")
    screenshot("unreadable-amount")

    # Put right, the mark goes and the totals come back.
    base.fill("$165,000")
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$234,700")
    expect(base).not_to_have_class(has_class("is-invalid"))
    expect(feedback).to_be_hidden()
    assert page.console_errors == [], page.console_errors


def test_a_new_offer_names_what_the_totals_wait_for(page, width):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    sign_in(page, user)
    page.goto("/offers/new/")
    page.get_by_label("Company*").fill("Northwind")
    preview = page.locator("#offer-preview")
    errors = preview.get_by_test_id("preview-errors")
    expect(errors).to_contain_text("Role: Choose a role.")
    expect(errors).to_contain_text("Location: Choose a place.")
    expect(errors).to_contain_text("Base salary (yearly): Enter an amount.")
    for name in ("role", "location", "base_salary"):
        expect(page.locator(f"#id_{name}")).to_have_class(has_class("is-invalid"))
    # The name in the preview leads to the field.
    errors.get_by_role("link", name="Base salary (yearly)").click()
    expect(page.get_by_label("Base salary (yearly)*")).to_be_focused()

    page.get_by_label("Role*").select_option(label=str(market["role"]))
    page.get_by_label("Location*").select_option(label="Seattle-Tacoma-Bellevue, WA")
    page.get_by_label("Base salary (yearly)*").fill("120k")
    # 120,000 and nothing else: every total is the base.
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$120,000")
    expect(page.locator("#offer-form .is-invalid")).to_have_count(0)
    assert page.console_errors == [], page.console_errors


def test_leaving_early_counts_the_match_and_a_pro_rata_clawback(page, width, screenshot):
    offer = reference_offer(sign_on_clawback="pro_rata", clawback_months=12)
    sign_in(page, offer.owner)
    page.goto(f"/offers/{offer.pk}/")
    page.get_by_label("Months worked").fill("4")
    leave = page.locator("#leave-after")
    # Pro rata: 30,000 x (12 - 4) / 12 = 20,000 owed back.
    expect(leave.get_by_test_id("sign-on-repayment")).to_have_text("$20,000")
    expect(leave).to_contain_text("pro rata (the months not yet served), within 12 months")
    # Match: 165,000 x 6% x 50% = 4,950 a year; 4 months = 1,650.
    expect(leave.get_by_test_id("leave-retirement-match")).to_have_text("$1,650")
    # Net: base 165,000 x 4/12 = 55,000 + 30,000 sign-on + 1,650 match - 20,000 = 66,650
    # (no bonus before a full year, nothing vested before the cliff).
    expect(leave.get_by_test_id("leave-net")).to_have_text("$66,650")
    page.get_by_role("heading", name="If I leave after…").evaluate(
        "heading => heading.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    viewport_screenshot(page, "leave-after")
    screenshot("leave-after")
    assert page.console_errors == [], page.console_errors


def test_the_form_with_an_unreadable_amount_stays_accessible(browser, live_server, width):
    """axe-core on what the live preview changes: the named fields, the marks beside them and
    the phone's bar (the main pages' check sees the form only as it first loads)."""
    from django.conf import settings
    from django.test import Client

    offer = reference_offer()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[width], "height": 900},
        bypass_csp=True,  # to inject axe; the policy itself is proven in tests/test_security.py
    )
    client = Client()
    client.force_login(offer.owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"/offers/{offer.pk}/edit/")
        page.get_by_label("Base salary (yearly)*").fill("165kk")
        page.get_by_label("Sign-on bonus, year 1*").fill("")
        expect(page.get_by_test_id("preview-errors")).to_contain_text("Sign-on bonus, year 1")
        expect(page.locator("#offer-form .is-invalid")).to_have_count(2)
        # What the preview changed; the whole page is test_accessibility.py's.
        serious = axe_findings(
            page,
            "the offer form's live errors",
            include=[["#offer-preview"], ["#div_id_base_salary"], ["#div_id_sign_on_year1"]],
        )
    finally:
        context.close()
    assert serious == []
    assert errors == [], errors

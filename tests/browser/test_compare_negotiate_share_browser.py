"""A person with two offers compares them, prepares a counter-offer, and shares the comparison
with someone who has no account — with the company names hidden."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import UserFactory, seattle_senior_tpm_market
from tests.test_compare_views import contoso, northwind

pytestmark = pytest.mark.django_db(transaction=True)


def test_compare_then_negotiate_then_share(page, browser, live_server):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    northwind(user, market)
    contoso(user, market)
    sign_in(page, user)

    # Compare: ticking offers re-renders the comparison in place and puts it in the URL.
    page.get_by_role("navigation").get_by_role("link", name="Compare").click()
    page.get_by_label("Northwind").check()
    page.get_by_label("Contoso").check()
    expect(page.get_by_test_id("first-year-verdict")).to_have_text(
        "In year one, Contoso pays more, by $15,300."
    )
    expect(page.get_by_test_id("horizon-verdict")).to_have_text(
        "Over 4 years, Northwind pays more, by $8,800."
    )
    expect(page.get_by_test_id("crossover")).to_contain_text("overtakes Contoso's in year 4")
    expect(page).to_have_url(re.compile(r"offers=\d+.*offers=\d+"))
    # One drawing of each chart shown: cumulative pay, and leaving month by month.
    expect(page.locator("svg.chart:visible")).to_have_count(2)
    compare_url = page.url

    # Negotiate: the suggested base, then an adjusted one with its new total at once.
    page.get_by_test_id("offer-inputs").filter(has_text="Northwind").get_by_role(
        "link", name="Negotiate this offer"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Negotiate: Northwind")
    expect(page.get_by_test_id("verdict").first).to_contain_text("below market")
    # Base 200,000 (Contoso's): 200,000 + 30,000 + 30,000 + 10,000 + 6,000 = 276,000.
    expect(page.get_by_test_id("counter-first-year")).to_have_text("$276,000")
    page.get_by_label("Base salary*").fill("190000")
    # 190,000 + 28,500 + 30,000 + 10,000 + 5,700 = 264,200.
    expect(page.get_by_test_id("counter-first-year")).to_have_text("$264,200")
    expect(page.locator("#email-draft")).to_have_value(re.compile(r"Base salary: \$190,000"))

    # Share: from the comparison, hiding company names.
    page.goto(compare_url)
    page.get_by_role("link", name="Share this comparison").click()
    page.get_by_label("Company names").check()
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_test_id("share-link")).to_contain_text("active")
    link = page.get_by_test_id("share-link").get_by_role("textbox", name="Link").input_value()
    assert page.console_errors == []

    # Someone signed out opens it in a fresh browser.
    stranger = browser.new_context(base_url=live_server.url)
    try:
        shared = stranger.new_page()
        shared.goto(link)
        expect(shared.get_by_test_id("first-year-verdict")).to_have_text(
            re.compile(r"In year one, Offer [AB] pays more, by \$15,300\.")
        )
        body = shared.content()
        assert "Northwind" not in body and "Contoso" not in body
        expect(shared.get_by_role("link", name="Sign in")).to_be_visible()
    finally:
        stranger.close()


def test_their_answer_becomes_the_offers_terms(page):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    offer = northwind(user, market)
    sign_in(page, user)
    page.goto(f"/offers/{offer.pk}/rounds/")
    page.get_by_label("Label*").fill("Their answer")
    page.get_by_label("Who*").select_option(label="The company")
    page.get_by_label("Base salary*").fill("185000")
    page.get_by_role("button", name="Save this round").click()
    expect(page.get_by_text("Saved round 2: Their answer.")).to_be_visible()
    expect(page.get_by_test_id("current-round")).to_have_count(1)  # round 1, as received

    answer = page.get_by_test_id("round").filter(has_text="Round 2: Their answer")
    answer.get_by_role("button", name="Make these the offer's terms").click()
    expect(
        page.get_by_text("The offer now has the terms of round 2: Their answer.")
    ).to_be_visible()
    # 185,000 + 15% bonus 27,750 + sign-on 30,000 + equity 10,000 + match 5,550.
    expect(page.get_by_test_id("year-total").first).to_have_text("$258,300")
    page.goto(f"/offers/{offer.pk}/rounds/")
    expect(answer.get_by_test_id("current-round")).to_be_visible()
    expect(answer.get_by_role("button", name="Make these the offer's terms")).to_have_count(0)
    assert page.console_errors == [], page.console_errors

"""A person enters a startup's stock-option offer beside a cash offer, values the private shares
risk-adjusted, reads Compare after tax and the break-even growth, then leaves after 18 months."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import OfferFactory, UserFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_option_offer_risk_adjusted_after_tax_and_leaving_after_18_months(page):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    # The other offer: 250,000 a year in cash, 1,000,000 over 4 years.
    OfferFactory(owner=user, company="Cashco", role=market["role"], level=market["level"],
                 location=market["seattle"], base_salary=Decimal("250000"), bonus_type="none",
                 bonus_percent=None, sign_on_year1=Decimal("0"), equity_kind="none",
                 equity_grant_value=None, retirement_match_percent=Decimal("0"),
                 retirement_match_rate_percent=Decimal("0"))  # fmt: skip
    sign_in(page, user)

    page.goto("/offers/new/")
    page.get_by_label("Company*").fill("Optionco")
    page.get_by_label("Role*").select_option(label="Technical Product Manager")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_label("Location*").select_option(label="Seattle-Tacoma-Bellevue, WA")
    page.get_by_label("Base salary (yearly)*").fill("150000")
    page.get_by_label("Sign-on bonus, year 1*").fill("0")
    page.get_by_label("Equity*").select_option(label="Stock options (ISO)")
    page.get_by_label("Number of shares").fill("40000")
    page.get_by_label("Share price (assumed today)").fill("12")
    page.get_by_label("Strike (exercise) price").fill("4")
    page.get_by_label("Vesting schedule*").select_option(value="four_year_cliff_monthly")
    page.get_by_label("Private company (equity is illiquid)").check()
    page.get_by_label("Discount private equity by (%)").fill("30")
    page.get_by_role("button", name="Save offer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Optionco", timeout=20_000)

    # Paper value: 150,000 + 10,000 options a year at a spread of 12 - 4 = 8: 230,000 a year.
    totals = page.get_by_test_id("year-total")
    expect(totals).to_have_text(["$230,000"] * 4)
    page.get_by_test_id("equity-risk").click()
    # Risk-adjusted: the 80,000 of options less 30% is 56,000: 206,000 a year.
    expect(totals).to_have_text(["$206,000"] * 4)
    expect(page.get_by_test_id("after-tax")).to_contain_text("not tax advice")

    # Leave after 18 months: 25% at the cliff and 6 monthly vests of 25%/12 = 15,000 options,
    # 60,000 to keep at the 4 strike; 18 months of base (225,000) + 15,000 x 8 x 70% (84,000).
    page.get_by_label("Months worked").fill("18")
    expect(page.get_by_test_id("leave-exercise-cost")).to_contain_text("$60,000")
    expect(page.get_by_test_id("leave-net")).to_have_text("$309,000")
    expect(page.get_by_test_id("leave-net-after-tax")).to_be_visible()
    expect(page.locator("svg.timeline-chart").first).to_be_visible()

    # Compare, still risk-adjusted, then after tax.
    page.get_by_role("main").get_by_role("link", name="Compare", exact=True).click()
    page.get_by_label("Cashco").check()
    expect(page.get_by_test_id("horizon-verdict")).to_contain_text("Cashco")
    # Over 4 years: Cashco 1,000,000; Optionco 600,000 + 4 x 56,000 = 824,000.
    expect(page.get_by_test_id("horizon-verdict")).to_contain_text("$176,000")
    page.get_by_test_id("tax-2").click()
    expect(page.get_by_test_id("after-tax-horizon-verdict")).to_contain_text(
        "leaves more after tax"
    )
    expect(page.get_by_test_id("break-even").first).to_contain_text(
        "Optionco needs its shares to grow"
    )
    assert "equity=risk" in page.url and "tax=after" in page.url
    assert page.console_errors == [], page.console_errors

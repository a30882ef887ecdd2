"""What an offer is really worth, on the offer page and on Compare: what options cost to keep,
the after-tax estimate, the equity scenarios and break-even, and leaving month by month. Every
expected figure is worked out by hand in the comment beside it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db
D = Decimal


def cash_only(owner, market, **changes):
    """Base 250,000 and nothing else, from 2 January 2025, so the first tax year is 2025."""
    values = {"owner": owner, "role": market["role"], "level": market["level"],
              "location": market["seattle"], "base_salary": D("250000"), "bonus_type": "none",
              "bonus_percent": None, "sign_on_year1": D("0"), "equity_kind": "none",
              "equity_grant_value": None, "retirement_match_percent": D("0"),
              "retirement_match_rate_percent": D("0"),
              "start_date": datetime.date(2025, 1, 2)}  # fmt: skip
    return OfferFactory(**(values | changes))


def options_offer(owner, market, **changes):
    """40,000 ISOs at a 4 strike, price 12, vesting 25% at a 1-year cliff then monthly."""
    values = {"equity_kind": "iso", "equity_shares": D("40000"), "share_price": D("12"),
              "strike_price": D("4"), "vesting_schedule": "four_year_cliff_monthly",
              "base_salary": D("150000"), "company": "Optionco"}  # fmt: skip
    return cash_only(owner, market, **(values | changes))


def test_leaving_with_options_says_what_keeping_them_costs(user_client, user, market):
    offer = options_offer(user, market, exercise_window_days=60)
    response = user_client.get(offer.get_absolute_url() + "?months=18")
    leave = response.context["leave"]
    # 18 months: 25% at the cliff + 6 monthly vests of 25%/12 = 37.5% of 40,000 = 15,000 shares;
    # keeping them costs 15,000 x 4 = 60,000; they are worth 15,000 x (12 - 4) = 120,000.
    assert (leave.vested_option_shares, leave.exercise_cost) == (D("15000"), D("60000.00"))
    assert leave.vested_equity == D("120000.00")
    body = response.content.decode()
    assert "Cash to keep those options" in body and "within 60 days of leaving" in body
    assert "15,000 × $4.00 strike" in body  # a price keeps its cents
    # Year by year, the cash to exercise what vests: 10,000 shares (40,000) in year 1, then
    # 10,000 a year.
    assert response.context["exercise_costs"] == (D("40000.00"),) * 4
    # After tax, less than the net, and tabled once: the timeline's own month table is left out.
    assert response.context["leave_after_tax"] < leave.net
    assert 'data-testid="leave-net-after-tax"' in body
    assert 'data-testid="timeline-at-month"' not in body


def test_the_offer_page_estimates_take_home_by_year(user_client, user, market):
    offer = cash_only(user, market, company="Seattle")
    response = user_client.get(offer.get_absolute_url())
    first = response.context["after_tax"][0]
    # 2025, single, Washington (no state income tax): federal 52,023 + payroll 14,993.20 (see
    # tests/test_take_home.py for both by hand) = 67,016.20; 250,000 - 67,016.20 = 182,983.80.
    assert (first.tax_year, first.total_tax, first.take_home) == (
        2025, D("67016.20"), D("182983.80"))  # fmt: skip
    body = response.content.decode()
    assert "$182,984" in body and "not tax advice" in body.lower()


def test_a_household_change_changes_the_estimate(user_client, user, market):
    offer = cash_only(user, market)
    single = user_client.get(offer.get_absolute_url()).context["after_tax"][0]
    user.filing_status = "married_joint"
    user.save()
    joint = user_client.get(offer.get_absolute_url()).context["after_tax"][0]
    assert joint.take_home > single.take_home


def test_compare_after_tax_sets_take_home_side_by_side(user_client, user, market):
    san_francisco = LocationFactory(name="San Francisco-Oakland-Fremont, CA", kind="metro",
                                    state_code="CA", bls_area_code="41860")  # fmt: skip
    seattle = cash_only(user, market, company="Seattle")
    california = cash_only(user, market, company="California", location=san_francisco)
    url = f"{reverse('offers:compare')}?offers={seattle.pk}&offers={california.pk}&tax=after"
    response = user_client.get(url)
    after_tax = response.context["after_tax_comparison"]
    # Year one: Seattle keeps 182,983.80; California also pays 19,005 of state tax (FTB 2025
    # schedule, by hand in tests/test_take_home.py): 163,978.80.
    first = after_tax.first_year
    assert first.values == (D("182983.80"), D("163978.80"))
    assert (first.stronger_name, first.lead) == ("Seattle", D("19005.00"))
    # Federal and payroll tax are the same in both places every year, and California's rules
    # stay 2025's: 4 x 19,005 = 76,020 more for Seattle over the 4 years.
    assert (after_tax.over_horizon.stronger_name, after_tax.over_horizon.lead) == (
        "Seattle", D("76020.00"))  # fmt: skip
    body = response.content.decode()
    assert "leaves more after tax, by $19,005" in body
    # Before tax they pay the same.
    assert "Over 4 years, they pay the same." in body


def test_compare_names_the_break_even_and_the_scenarios(user_client, user, market):
    # A: base 250,000, no equity: 1,000,000 over 4 years. B: base 150,000 and 40,000 options
    # (spread 8 at today's price, no growth assumed), 10,000 vesting a year: 4 x (150,000 +
    # 80,000) = 920,000. B needs its shares to grow to close 80,000.
    cash = cash_only(user, market, company="Cash")
    options = options_offer(user, market)
    url = f"{reverse('offers:compare')}?offers={cash.pk}&offers={options.pk}&exit_multiple=2"
    response = user_client.get(url)
    (item,) = response.context["break_evens"]
    assert (item["leader_label"], item["trailer_label"]) == ("Cash", "Optionco")
    assert item["break_even"].status == "found" and item["break_even"].rate > 0
    rows = {row.key: row for row in response.context["scenario_table"].rows}
    # Exit at 2x: each vested option is worth 2 x 12 - 4 = 20; 40,000 vest in 4 years: 800,000,
    # so B totals 600,000 + 800,000 = 1,400,000.
    assert rows["exit"].cells[1].total == D("1400000.00")
    assert rows["worthless"].cells[1].total == D("600000.00")
    body = response.content.decode()
    assert "needs its shares to grow" in body


def test_compare_shows_every_offer_leaving_month_by_month(user_client, user, market):
    cash = cash_only(user, market, company="Cash")
    options = options_offer(user, market)
    url = f"{reverse('offers:compare')}?offers={cash.pk}&offers={options.pk}&months=18"
    response = user_client.get(url)
    series = response.context["timeline_series"]
    at_18 = [timeline.at(18) for _, _, timeline in series]
    # Cash: 18 months of 250,000 = 375,000. Options: 18 months of 150,000 = 225,000 plus the
    # 15,000 options vested, worth 120,000 after the strike: 345,000.
    assert [month.net for month in at_18] == [D("375000.00"), D("345000.00")]
    assert 'data-testid="leaving-timeline"' in response.content.decode()


def test_bad_leaving_months_and_exit_multiples_are_messages(user_client, user, market):
    cash = cash_only(user, market, company="Cash")
    options = options_offer(user, market)
    url = (f"{reverse('offers:compare')}?offers={cash.pk}&offers={options.pk}"
           "&months=abc&exit_multiple=-2")  # fmt: skip
    response = user_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a whole number of months" in body
    assert response.context["exit_error"]


def test_an_espp_has_its_own_line_in_the_year_table_and_the_split(user_client, user, market):
    offer = cash_only(user, market, base_salary=D("200000"),
                      espp_contribution_percent=D("10"), espp_discount_percent=D("15"))  # fmt: skip
    response = user_client.get(offer.get_absolute_url())
    # 10% of 200,000 = 20,000 a year bought at 15% off: a gain of 20,000 x 0.15 / 0.85 =
    # 3,529.41 a year, 14,117.64 over 4 years.
    assert [y.espp for y in response.context["result"].years] == [D("3529.41")] * 4
    body = response.content.decode()
    assert 'data-testid="espp-row"' in body and "$3,529" in body
    assert 'data-testid="espp-split"' in body and "$14,118" in body

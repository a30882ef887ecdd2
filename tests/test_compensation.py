"""Tests for the compensation engine.

Every expected figure is worked out by hand in the comment next to it, never copied from the
code's output.
"""

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.compensation import (
    PRESET_LABELS,
    VESTING_PRESETS,
    ZERO,
    ClawbackRepayment,
    EquityGrant,
    EquityKind,
    OfferTerms,
    Perk,
    VestingFrequency,
    VestingPercentagesError,
    VestingSchedule,
    compute_compensation,
    custom_schedule,
    leave_after,
    vesting_instalments,
)

D = Decimal


def rsu(value: str, preset: str = "four_year_quarterly", **kwargs) -> EquityGrant:
    return EquityGrant(
        kind=EquityKind.RSU, schedule=VESTING_PRESETS[preset], total_value=D(value), **kwargs
    )


def terms(**kwargs) -> OfferTerms:
    kwargs.setdefault("currency", "USD")
    kwargs.setdefault("base_salary", D("100000"))
    return OfferTerms(**kwargs)


def equity_by_year(result) -> list[Decimal]:
    return [year.equity for year in result.years]


# --- Vesting presets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        # 25% a year of 100,000 = 25,000; the cliff only moves year 1's vesting to month 12.
        ("four_year_cliff_monthly", ["25000", "25000", "25000", "25000"]),
        ("four_year_quarterly", ["25000", "25000", "25000", "25000"]),
        # 5%, 15%, 40%, 40% of 100,000.
        ("back_loaded_5_15_40_40", ["5000", "15000", "40000", "40000"]),
        ("front_loaded_33_33_22_12", ["33000", "33000", "22000", "12000"]),
        ("front_loaded_40_30_20_10", ["40000", "30000", "20000", "10000"]),
    ],
)
def test_each_preset_vests_its_yearly_percentages_of_a_100k_grant(preset, expected):
    result = compute_compensation(terms(equity=rsu("100000", preset)))
    assert equity_by_year(result) == [D(x) for x in expected]
    assert len(result.years) == 4  # the horizon defaults to the schedule's 4 years


def test_every_preset_has_a_label_and_four_years():
    assert set(PRESET_LABELS) == set(VESTING_PRESETS)
    assert all(schedule.years == 4 for schedule in VESTING_PRESETS.values())


def test_cliff_monthly_vests_a_quarter_at_month_12_then_monthly_with_cumulative_rounding():
    instalments = vesting_instalments(VESTING_PRESETS["four_year_cliff_monthly"], D("100000"))
    # 1 cliff event + 36 monthly events (months 13..48).
    assert len(instalments) == 37
    # Month 12: 25% of 100,000 = 25,000.00.
    assert instalments[0] == (12, D("25000.00"))
    # Month 13: cumulative 100,000 x (25 + 25/12)% = 27,083.333.. -> 27,083.33; minus 25,000.
    assert instalments[1] == (13, D("2083.33"))
    # Month 14: cumulative 100,000 x (25 + 50/12)% = 29,166.666.. -> 29,166.67; minus 27,083.33.
    assert instalments[2] == (14, D("2083.34"))
    # Month 15: cumulative 31,250.00; minus 29,166.67.
    assert instalments[3] == (15, D("2083.33"))
    assert sum(amount for _, amount in instalments) == D("100000")


def test_cumulative_fraction_on_back_loaded_schedule():
    schedule = VESTING_PRESETS["back_loaded_5_15_40_40"]
    assert schedule.cumulative_fraction(11) == 0  # before the cliff
    assert schedule.cumulative_fraction(12) == D("0.05")  # the cliff: year 1's 5%
    assert schedule.cumulative_fraction(14) == D("0.05")  # next quarter not reached yet
    assert schedule.cumulative_fraction(15) == D("0.0875")  # 5% + 15%/4 = 8.75%
    assert schedule.cumulative_fraction(36) == D("0.6")  # 5 + 15 + 40
    assert schedule.cumulative_fraction(48) == 1
    assert schedule.cumulative_fraction(100) == 1


def test_custom_schedule_and_its_validation():
    schedule = custom_schedule([D("50"), D("50")], cliff_months=0, frequency="annual")
    assert schedule.years == 2
    assert schedule.frequency is VestingFrequency.ANNUAL
    # Annual: 50% at month 12, the rest at month 24.
    assert vesting_instalments(schedule, D("1000")) == ((12, D("500.00")), (24, D("500.00")))

    with pytest.raises(ValueError, match="must add up to 100"):
        custom_schedule([D("25"), D("25"), D("25")])  # 75
    with pytest.raises(ValueError, match="must add up to 100"):
        custom_schedule([D("120"), D("-20")])  # sums to 100, but out of range
    with pytest.raises(ValueError, match="must add up to 100"):
        custom_schedule([])


def test_custom_schedule_with_a_cliff_longer_than_a_year():
    # 18-month cliff on quarterly 50/50: everything due by then vests at month 18:
    # 50% (year 1) + 2 quarters of year 2 x 12.5% = 75%.
    schedule = custom_schedule([D("50"), D("50")], cliff_months=18)
    assert schedule.cumulative_fraction(17) == 0
    assert schedule.cumulative_fraction(18) == D("0.75")
    assert vesting_instalments(schedule, D("8000")) == (
        (18, D("6000.00")),  # 75% of 8,000
        (21, D("1000.00")),  # 12.5% of 8,000
        (24, D("1000.00")),
    )


# --- Options and price growth ----------------------------------------------------------------


def option_grant(price: str, strike: str, **kwargs) -> EquityGrant:
    return EquityGrant(
        kind=EquityKind.ISO,
        schedule=VESTING_PRESETS["four_year_quarterly"],
        shares=D("10000"),
        share_price=D(price),
        strike_price=D(strike),
        **kwargs,
    )


def test_options_under_water_are_worth_nothing_and_flagged():
    result = compute_compensation(terms(equity=option_grant("4", "5")))
    assert equity_by_year(result) == [ZERO] * 4
    assert result.options_underwater is True


def test_options_in_the_money():
    result = compute_compensation(terms(equity=option_grant("12", "5")))
    # 10,000 shares / 4 years = 2,500 a year x (12 - 5) = 17,500 a year; 70,000 in all.
    assert equity_by_year(result) == [D("17500")] * 4
    assert result.split.equity == D("70000")
    assert result.options_underwater is False


def test_options_under_water_today_can_come_into_the_money_with_price_growth():
    result = compute_compensation(
        terms(equity=option_grant("4", "5", yearly_price_change_percent=D("50")))
    )
    # Prices: 4, 6, 9, 13.5. Per year 2,500 shares x max(0, price - 5):
    # 0; 2,500 x 1 = 2,500; 2,500 x 4 = 10,000; 2,500 x 8.5 = 21,250.
    assert equity_by_year(result) == [D("0"), D("2500"), D("10000"), D("21250")]
    assert result.options_underwater is True  # judged on today's price


def test_rsu_value_grows_with_the_share_price():
    result = compute_compensation(terms(equity=rsu("100000", yearly_price_change_percent=D("10"))))
    # 25,000 of today's value a year, at 1, 1.1, 1.21, 1.331 x today's price.
    assert equity_by_year(result) == [D("25000"), D("27500"), D("30250"), D("33275")]


def test_rsu_stated_in_shares_and_price():
    grant = EquityGrant(
        kind=EquityKind.RSU,
        schedule=VESTING_PRESETS["front_loaded_40_30_20_10"],
        shares=D("1000"),
        share_price=D("50"),
    )
    # 1,000 x 50 = 50,000: 40% 20,000; 30% 15,000; 20% 10,000; 10% 5,000.
    result = compute_compensation(terms(equity=grant))
    assert equity_by_year(result) == [D("20000"), D("15000"), D("10000"), D("5000")]


def test_options_need_shares_and_a_price():
    with pytest.raises(ValueError):
        EquityGrant(
            kind=EquityKind.NSO,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            shares=D("1000"),
        )


def test_illiquid_equity_is_tagged_but_its_value_still_shown():
    result = compute_compensation(terms(equity=rsu("40000", illiquid=True)))
    assert result.equity_is_illiquid is True
    assert equity_by_year(result) == [D("10000")] * 4  # 40,000 / 4


# --- Refreshers and vesting start ------------------------------------------------------------


def test_refreshers_stack_from_the_year_after_each_grant():
    result = compute_compensation(terms(equity=rsu("100000", yearly_refresher_value=D("40000"))))
    # Initial grant 25,000 a year. A 40,000 refresher vests 10,000 a year from the year after its
    # grant, so refreshers granted at months 12, 24 and 36 add 10,000 each once vesting.
    assert [y.equity_by_grant for y in result.years] == [
        (D("25000"), D("0"), D("0"), D("0")),
        (D("25000"), D("10000"), D("0"), D("0")),
        (D("25000"), D("10000"), D("10000"), D("0")),
        (D("25000"), D("10000"), D("10000"), D("10000")),
    ]
    # Refreshers alone: 10,000 / 20,000 / 30,000 in years 2-4.
    assert equity_by_year(result) == [D("25000"), D("35000"), D("45000"), D("55000")]


def test_vesting_starting_six_months_in():
    grant = rsu("100000", "four_year_cliff_monthly", vesting_start_months=6)
    result = compute_compensation(terms(equity=grant))
    # Cliff at month 6 + 12 = 18 (year 2): 25,000; then months 19..24 vest 6 x 100,000 x 25%/12
    # = 12,500 -> year 2 = 37,500.
    # Year 3 = months 25..36 = 12 monthly events = 25,000; year 4 likewise 25,000.
    # (The last 12,500 vests in months 49..54, past the 4-year horizon.)
    assert equity_by_year(result) == [D("0"), D("37500"), D("25000"), D("25000")]


def test_no_equity_gives_an_empty_equity_by_grant_and_a_four_year_horizon():
    result = compute_compensation(terms())
    assert len(result.years) == 4
    assert all(y.equity_by_grant == () and y.equity == 0 for y in result.years)
    assert result.equity_is_illiquid is False
    assert result.options_underwater is False


def test_horizon_follows_the_schedule_or_the_explicit_years():
    five_years = custom_schedule([D("20")] * 5)
    grant = EquityGrant(kind=EquityKind.RSU, schedule=five_years, total_value=D("50000"))
    assert len(compute_compensation(terms(equity=grant)).years) == 5
    assert len(compute_compensation(terms(equity=grant, years=2)).years) == 2
    with pytest.raises(ValueError):
        terms(years=0)


# --- The reference package -----------------------------------------------------------


def senior_tpm_terms() -> OfferTerms:
    return OfferTerms(
        currency="USD",
        base_salary=D("165000"),
        bonus_percent=D("15"),
        sign_on_year1=D("30000"),
        equity=rsu("200000", "back_loaded_5_15_40_40"),
        retirement_match_share_percent=D("6"),
        retirement_match_rate_percent=D("50"),
    )


def test_senior_tpm_reference_package():
    result = compute_compensation(senior_tpm_terms())
    y1, y2, y3, y4 = result.years
    # Year 1: bonus 15% x 165,000 = 24,750; equity 5% x 200,000 = 10,000;
    # match 165,000 x 6% x 50% = 4,950.
    assert (y1.base, y1.bonus, y1.sign_on, y1.equity, y1.retirement_match) == (
        D("165000"),
        D("24750"),
        D("30000"),
        D("10000"),
        D("4950"),
    )
    # Recurring 165,000 + 24,750 + 10,000 + 4,950 = 204,700; + 30,000 sign-on = 234,700.
    assert y1.recurring_total == D("204700")
    assert y1.total == D("234700")
    # Year 2: equity 15% x 200,000 = 30,000 -> 165,000 + 24,750 + 30,000 + 4,950 = 224,700.
    assert y2.equity == D("30000")
    assert y2.total == D("224700")
    # Years 3 and 4: equity 40% x 200,000 = 80,000 -> 274,700.
    assert y3.total == y4.total == D("274700")
    assert result.first_year_total == D("234700")
    # (204,700 + 224,700 + 274,700 + 274,700) / 4 = 978,800 / 4 = 244,700.
    assert result.average_yearly_total == D("244700")
    assert result.cumulative_totals == (D("234700"), D("459400"), D("734100"), D("1008800"))
    assert result.total == D("1008800")
    # Guaranteed cash 4 x 165,000 + 30,000 = 690,000; bonus 4 x 24,750 = 99,000;
    # equity 200,000; benefits 4 x 4,950 = 19,800; 690,000 + 99,000 + 200,000 + 19,800.
    assert result.split.guaranteed_cash == D("690000")
    assert result.split.variable_pay == D("99000")
    assert result.split.equity == D("200000")
    assert result.split.benefits == D("19800")
    assert result.split.total == D("1008800")
    assert result.currency == "USD"


# --- Cash and benefits -----------------------------------------------------------------------


def test_yearly_raise_compounds_and_rounds_to_cents():
    result = compute_compensation(terms(yearly_raise_percent=D("2.5"), bonus_percent=D("10")))
    # 100,000; x 1.025 = 102,500; x 1.025 = 105,062.50; x 1.025 = 107,689.0625 -> 107,689.06.
    assert [y.base for y in result.years] == [
        D("100000"),
        D("102500"),
        D("105062.50"),
        D("107689.06"),
    ]
    # Bonus 10% of each year's base: 10,000; 10,250; 10,506.25; 10,768.906 -> 10,768.91.
    assert [y.bonus for y in result.years] == [
        D("10000"),
        D("10250"),
        D("10506.25"),
        D("10768.91"),
    ]


def test_retirement_match_is_capped():
    # 300,000 x 6% x 100% = 18,000, capped at 10,000.
    capped = terms(
        base_salary=D("300000"),
        retirement_match_share_percent=D("6"),
        retirement_match_rate_percent=D("100"),
        retirement_match_cap=D("10000"),
    )
    assert compute_compensation(capped).years[0].retirement_match == D("10000")
    # 100,000 x 6% x 100% = 6,000, under the cap.
    under = terms(
        retirement_match_share_percent=D("6"),
        retirement_match_rate_percent=D("100"),
        retirement_match_cap=D("10000"),
    )
    assert compute_compensation(under).years[0].retirement_match == D("6000")


def test_bonus_fixed_or_percent_but_not_both():
    fixed = compute_compensation(terms(bonus_fixed=D("20000"), yearly_raise_percent=D("10")))
    # A fixed bonus ignores raises: 20,000 every year.
    assert [y.bonus for y in fixed.years] == [D("20000")] * 4
    percent = compute_compensation(terms(bonus_percent=D("20"), yearly_raise_percent=D("10")))
    # 20% of 100,000 / 110,000 / 121,000 / 133,100.
    assert [y.bonus for y in percent.years] == [D("20000"), D("22000"), D("24200"), D("26620")]
    with pytest.raises(ValueError):
        terms(bonus_fixed=D("20000"), bonus_percent=D("10"))


def test_health_and_perks_are_benefits():
    result = compute_compensation(
        terms(
            health_contribution=D("6000"),
            perks=(Perk("Learning budget", D("1200")), Perk("Gym", D("500.50"))),
        )
    )
    y1 = result.years[0]
    assert y1.perks == D("1700.50")  # 1,200 + 500.50
    assert y1.benefits == D("7700.50")  # + 6,000 health
    assert y1.recurring_total == D("107700.50")  # + 100,000 base


def test_one_time_items_count_in_their_year_and_never_in_the_average():
    result = compute_compensation(
        terms(sign_on_year1=D("50000"), sign_on_year2=D("25000"), relocation=D("10000"))
    )
    y1, y2, y3, _ = result.years
    assert (y1.sign_on, y1.relocation, y1.one_time_total) == (D("50000"), D("10000"), D("60000"))
    assert y1.total == D("160000")  # 100,000 + 50,000 + 10,000
    assert y2.total == D("125000")  # 100,000 + 25,000
    assert y3.total == D("100000")
    assert result.first_year_total == D("160000")
    assert result.average_yearly_total == D("100000")  # only base recurs
    # 4 x 100,000 + 50,000 + 25,000 + 10,000 = 485,000, all guaranteed cash.
    assert result.total == result.split.guaranteed_cash == D("485000")


def test_base_rounds_half_up_and_the_average_rounds_to_cents():
    result = compute_compensation(
        terms(base_salary=D("100"), yearly_raise_percent=D("0.005"), years=3)
    )
    # 100; 100 x 1.00005 = 100.005 -> 100.01 (half up); 100 x 1.00005^2 = 100.01000025 -> 100.01.
    assert [y.base for y in result.years] == [D("100"), D("100.01"), D("100.01")]
    # (100 + 100.01 + 100.01) / 3 = 100.00666.. -> 100.01.
    assert result.average_yearly_total == D("100.01")


# --- Leaving early ---------------------------------------------------------------------------


def leaver_terms(**kwargs) -> OfferTerms:
    # Base 120,000 (10,000 a month), 10% bonus (12,000 a year), sign-ons 20,000 + 10,000 with a
    # 12-month clawback, 5,000 relocation, 48,000 RSUs on the 4-year 1-year-cliff monthly preset.
    return terms(
        base_salary=D("120000"),
        bonus_percent=D("10"),
        sign_on_year1=D("20000"),
        sign_on_year2=D("10000"),
        clawback_months=12,
        relocation=D("5000"),
        equity=rsu("48000", "four_year_cliff_monthly", **kwargs),
    )


def test_leave_after_6_months():
    outcome = leave_after(leaver_terms(), 6)
    # Cash: 6 x 10,000 base + 0 bonus (no full year) + 20,000 sign-on + 5,000 relocation.
    assert outcome.cash_earned == D("85000")
    assert outcome.vested_equity == D("0")  # before the cliff
    assert outcome.forfeited_equity == D("48000")
    assert outcome.sign_on_repayment == D("20000")  # 6 months after payment < 12
    assert outcome.relocation_repayment == D("0")
    assert outcome.net == D("65000")  # 85,000 + 0 - 20,000


def test_leave_after_12_months():
    outcome = leave_after(leaver_terms(), 12)
    # Cash: 120,000 + 12,000 bonus + 20,000 + 10,000 (year-2 sign-on paid at month 12) + 5,000.
    assert outcome.cash_earned == D("167000")
    assert outcome.vested_equity == D("12000")  # the cliff: 25% of 48,000
    assert outcome.forfeited_equity == D("36000")
    # Year-1 sign-on: 12 months since payment, clawback over. Year-2: paid 0 months ago.
    assert outcome.sign_on_repayment == D("10000")
    assert outcome.net == D("169000")  # 167,000 + 12,000 - 10,000


def test_leave_after_13_months():
    outcome = leave_after(leaver_terms(), 13)
    # Cash: 130,000 base + 12,000 bonus + 30,000 sign-ons + 5,000 relocation.
    assert outcome.cash_earned == D("177000")
    # 48,000 x (25% + 25%/12) = 12,000 + 1,000 = 13,000.
    assert outcome.vested_equity == D("13000")
    assert outcome.forfeited_equity == D("35000")
    assert outcome.sign_on_repayment == D("10000")  # year-2 sign-on paid 1 month ago
    assert outcome.net == D("180000")  # 177,000 + 13,000 - 10,000


def test_leave_after_30_months():
    outcome = leave_after(leaver_terms(), 30)
    # Cash: 30 x 10,000 base + 2 x 12,000 bonus + 30,000 sign-ons + 5,000 relocation.
    assert outcome.cash_earned == D("359000")
    # 48,000 x (25% + 25% + 25% x 6/12) = 48,000 x 62.5% = 30,000.
    assert outcome.vested_equity == D("30000")
    assert outcome.forfeited_equity == D("18000")
    assert outcome.sign_on_repayment == D("0")  # 18 months since the last payment
    assert outcome.net == D("389000")  # 359,000 + 30,000


def test_leave_after_30_months_with_refreshers():
    outcome = leave_after(leaver_terms(yearly_refresher_value=D("40000")), 30)
    # Initial grant as above: 30,000 vested, 18,000 forfeited.
    # Refresher granted at month 12 vests 2,500 a quarter at months 15..30: 6 x 2,500 = 15,000.
    # Refresher granted at month 24 vests at months 27 and 30: 5,000.
    assert outcome.vested_equity == D("50000")  # 30,000 + 15,000 + 5,000
    # Unvested: 18,000 + 25,000 + 35,000.
    assert outcome.forfeited_equity == D("78000")
    assert outcome.net == D("409000")  # 359,000 + 50,000


def test_leave_after_values_vested_at_their_year_and_forfeited_at_the_leaving_year():
    grant = rsu("100000", yearly_price_change_percent=D("10"))
    outcome = leave_after(terms(equity=grant), 18)
    # Year 1 (months 3..12): 25,000 at price x 1. Year 2 (months 15, 18): 12,500 x 1.1 = 13,750.
    assert outcome.vested_equity == D("38750")
    # Unvested 62,500 of today's value at the year-2 price: 62,500 x 1.1 = 68,750.
    assert outcome.forfeited_equity == D("68750")


@pytest.mark.parametrize(
    ("repayment", "months", "owed"),
    [
        (ClawbackRepayment.FULL, 4, "30000"),  # inside the 12 months: all of it
        (ClawbackRepayment.PRO_RATA, 4, "20000"),  # 30,000 x (12 - 4) / 12 = 20,000
        (ClawbackRepayment.PRO_RATA, 9, "7500"),  # 30,000 x 3 / 12 = 7,500
        (ClawbackRepayment.PRO_RATA, 0, "30000"),  # 30,000 x 12 / 12
        (ClawbackRepayment.PRO_RATA, 12, "0"),  # the period is over
        (ClawbackRepayment.FULL, 12, "0"),
    ],
)
def test_sign_on_repaid_in_full_or_pro_rata(repayment, months, owed):
    leaver = terms(
        base_salary=D("120000"),
        sign_on_year1=D("30000"),
        clawback_months=12,
        clawback_repayment=repayment,
    )
    outcome = leave_after(leaver, months)
    assert outcome.sign_on_repayment == D(owed)
    # Net: base 10,000 a month x months + the 30,000 received - what is owed back.
    assert outcome.net == D(10000) * months + D("30000") - D(owed)


def test_pro_rata_clawback_of_the_year_2_sign_on_counts_from_its_payment():
    # 24,000 in year 1 and 12,000 at month 12, each clawed back pro rata over 6 months.
    leaver = terms(
        sign_on_year1=D("24000"),
        sign_on_year2=D("12000"),
        clawback_months=6,
        clawback_repayment="pro_rata",
    )
    # At 14 months: year 1's paid 14 months ago (over); year 2's 2 months ago: 12,000 x 4/6.
    assert leave_after(leaver, 14).sign_on_repayment == D("8000")
    # At 3 months: 24,000 x 3/6 = 12,000 (year 2's not yet paid).
    assert leave_after(leaver, 3).sign_on_repayment == D("12000")


def test_clawback_repayment_refuses_an_unknown_reading():
    with pytest.raises(ValueError):
        terms(clawback_repayment="half")


def test_leave_after_counts_the_retirement_match_the_year_totals_count():
    # Base 120,000; match 6% of salary at 50%: 120,000 x 6% x 50% = 3,600 a year (300 a month).
    # Health 6,000 a year and a 1,200 perk: 7,200 a year used while there (600 a month).
    leaver = terms(
        base_salary=D("120000"),
        retirement_match_share_percent=D("6"),
        retirement_match_rate_percent=D("50"),
        health_contribution=D("6000"),
        perks=(Perk("Gym", D("1200")),),
    )
    outcome = leave_after(leaver, 6)
    assert outcome.retirement_match == D("1800")  # 6 x 300
    assert outcome.benefits_used == D("3600")  # 6 x 600
    assert outcome.net == D("61800")  # 60,000 base + 1,800 match; health and perks left out

    # After a full year the leave-after figures add up with the first year's total:
    # 120,000 + 3,600 match = 123,600 net; + 7,200 used = 130,800 = 120,000 + 3,600 + 6,000 + 1,200.
    year_end = leave_after(leaver, 12)
    assert year_end.net == D("123600")
    assert year_end.net + year_end.benefits_used == compute_compensation(leaver).first_year_total


def test_leave_after_rejects_negative_months():
    with pytest.raises(ValueError):
        leave_after(leaver_terms(), -1)


# --- Properties ------------------------------------------------------------------------------


@st.composite
def schedules(draw) -> VestingSchedule:
    years = draw(st.integers(min_value=1, max_value=6))
    # Cut 100.00% (10,000 basis points of a percent) into `years` non-negative pieces.
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=years - 1, max_size=years - 1)))
    bounds = [0, *cuts, 10_000]
    percentages = [D(b - a) / 100 for a, b in pairwise(bounds)]
    return custom_schedule(
        percentages,
        cliff_months=draw(st.sampled_from([0, 3, 6, 12, 18, 24])),
        frequency=draw(st.sampled_from(list(VestingFrequency))),
    )


money = st.integers(min_value=0, max_value=10**9).map(lambda cents: D(cents) / 100)


@given(schedule=schedules())
def test_cumulative_fraction_is_monotonic_within_zero_and_one(schedule):
    previous = D(0)
    for month in range(0, schedule.years * 12 + 30):
        fraction = schedule.cumulative_fraction(month)
        assert 0 <= fraction <= 1
        assert fraction >= previous
        previous = fraction
    assert schedule.cumulative_fraction(max(schedule.years * 12, schedule.cliff_months)) == 1


@given(schedule=schedules(), grant=money)
def test_instalments_sum_exactly_to_the_grant(schedule, grant):
    instalments = vesting_instalments(schedule, grant)
    assert sum((amount for _, amount in instalments), D(0)) == grant
    assert all(amount >= 0 for _, amount in instalments)
    months = [month for month, _ in instalments]
    assert months == sorted(set(months))


@st.composite
def offers(draw) -> OfferTerms:
    kind = draw(st.sampled_from(list(EquityKind)))
    equity = None
    if kind == EquityKind.RSU:
        equity = EquityGrant(
            kind=kind,
            schedule=draw(schedules()),
            vesting_start_months=draw(st.integers(0, 11)),
            total_value=draw(money),
            yearly_price_change_percent=D(draw(st.integers(-50, 50))),
            yearly_refresher_value=draw(money),
        )
    elif kind.is_option:
        equity = EquityGrant(
            kind=kind,
            schedule=draw(schedules()),
            shares=D(draw(st.integers(0, 10**6))),
            share_price=draw(money),
            strike_price=draw(money),
            yearly_price_change_percent=D(draw(st.integers(-50, 50))),
        )
    use_percent = draw(st.booleans())
    return OfferTerms(
        currency="USD",
        base_salary=draw(money),
        yearly_raise_percent=D(draw(st.integers(0, 1000))) / 100,
        bonus_percent=D(draw(st.integers(0, 5000))) / 100 if use_percent else None,
        bonus_fixed=None if use_percent else draw(money),
        sign_on_year1=draw(money),
        sign_on_year2=draw(money),
        clawback_months=draw(st.integers(0, 24)),
        relocation=draw(money),
        equity=equity,
        retirement_match_share_percent=D(draw(st.integers(0, 1000))) / 100,
        retirement_match_rate_percent=D(draw(st.integers(0, 100))),
        retirement_match_cap=draw(st.none() | money),
        health_contribution=draw(money),
        perks=tuple(Perk(f"perk {i}", amount) for i, amount in enumerate(draw(st.lists(money)))),
        years=draw(st.none() | st.integers(1, 8)),
    )


@settings(max_examples=150)
@given(offer=offers())
def test_totals_are_the_sum_of_their_parts(offer):
    result = compute_compensation(offer)
    running = D(0)
    for index, year in enumerate(result.years):
        assert year.year == index + 1
        assert year.equity == sum(year.equity_by_grant, D(0))
        assert len(year.equity_by_grant) == len(result.years[0].equity_by_grant)
        assert year.benefits == year.retirement_match + year.health + year.perks
        assert year.recurring_total == year.base + year.bonus + year.equity + year.benefits
        assert year.one_time_total == year.sign_on + year.relocation
        assert year.total == year.recurring_total + year.one_time_total
        for amount in (year.base, year.bonus, year.equity, year.benefits, year.total):
            assert amount == amount.quantize(D("0.01"))  # everything is in cents
        running += year.total
        assert result.cumulative_totals[index] == running
    assert result.total == running == result.split.total
    assert result.first_year_total == result.years[0].total


@settings(max_examples=150)
@given(
    schedule=schedules(),
    value=money,
    refresher=money,
    start=st.integers(0, 11),
    months=st.integers(0, 120),
)
def test_vested_plus_forfeited_is_the_value_of_grants_made(
    schedule, value, refresher, start, months
):
    grant = EquityGrant(
        kind=EquityKind.RSU,
        schedule=schedule,
        vesting_start_months=start,
        total_value=value,
        yearly_refresher_value=refresher,
    )
    outcome = leave_after(terms(equity=grant), months)
    # At a constant price: the initial grant plus one refresher per anniversary reached.
    assert outcome.vested_equity + outcome.forfeited_equity == value + refresher * (months // 12)
    assert outcome.vested_equity >= 0
    assert outcome.forfeited_equity >= 0


@settings(max_examples=100)
@given(
    schedule=schedules(),
    shares=st.integers(0, 10**6),
    price=money,
    strike=money,
    months=st.integers(0, 120),
)
def test_vested_plus_forfeited_options_at_a_constant_price(schedule, shares, price, strike, months):
    grant = EquityGrant(
        kind=EquityKind.NSO,
        schedule=schedule,
        shares=D(shares),
        share_price=price,
        strike_price=strike,
    )
    outcome = leave_after(terms(equity=grant), months)
    assert outcome.vested_equity + outcome.forfeited_equity == (
        D(shares) * max(D(0), price - strike)
    ).quantize(D("0.01"))


@settings(max_examples=100)
@given(offer=offers(), years_in=st.integers(1, 8))
def test_leaving_at_a_year_end_keeps_the_equity_shown_so_far(offer, years_in):
    result = compute_compensation(offer)
    years_in = min(years_in, len(result.years))
    outcome = leave_after(offer, years_in * 12)
    # Everything shown in the year table up to then has vested (later refreshers show 0 so far).
    assert outcome.vested_equity == sum((y.equity for y in result.years[:years_in]), D(0))


def test_a_refused_vesting_schedule_names_its_field_and_what_is_wrong():
    with pytest.raises(VestingPercentagesError) as refused:
        custom_schedule([D("25"), D("25"), D("25")])
    # 25 + 25 + 25 = 75: each in range, the sum short of 100.
    assert (refused.value.field, refused.value.total, refused.value.out_of_range) == (
        "yearly_percentages",
        D("75"),
        False,
    )
    with pytest.raises(VestingPercentagesError) as refused:
        custom_schedule([D("120"), D("-20")])
    assert (refused.value.total, refused.value.out_of_range) == (D("100"), True)

"""Offers side by side (offers.comparison): pure, no database."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.comparison import (
    ComparedOffer,
    MissingRate,
    RateQuote,
    align_horizons,
    compare,
    conversion,
    convert_amount,
    convert_terms,
    crossover_year,
    crossovers,
    grant_value,
    stronger_of,
)
from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    OfferTerms,
    Perk,
    compute_compensation,
    custom_schedule,
)

RATES = {
    "GBP": RateQuote("GBP", D("0.8"), datetime.date(2025, 11, 1)),
    "EUR": RateQuote("EUR", D("0.9"), datetime.date(2025, 10, 1)),
}


def northwind() -> OfferTerms:
    """The reference package: base 165,000, 15% bonus, 30,000 sign-on, 200,000 RSUs vesting
    5/15/40/40, retirement match 6% × 50%."""
    return OfferTerms(
        currency="USD",
        base_salary=D("165000"),
        bonus_percent=D("15"),
        sign_on_year1=D("30000"),
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["back_loaded_5_15_40_40"],
            total_value=D("200000"),
        ),
        retirement_match_share_percent=D("6"),
        retirement_match_rate_percent=D("50"),
    )


def contoso() -> OfferTerms:
    """Base 200,000 and 200,000 RSUs vesting 25% a year: 250,000 every year, nothing else."""
    return OfferTerms(
        currency="USD",
        base_salary=D("200000"),
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("200000"),
        ),
    )


def compared(*terms: OfferTerms, names=("Northwind", "Contoso", "Fabrikam", "Tailspin")):
    return compare(
        [
            ComparedOffer(name, compute_compensation(t))
            for name, t in zip(names, align_horizons(terms), strict=False)
        ]
    )


def test_two_offers_year_one_and_over_four_years():
    comparison = compared(northwind(), contoso())
    assert comparison.years == 4
    # Northwind year 1: 165,000 + 24,750 bonus + 30,000 sign-on + 10,000 RSUs (5%) + 4,950 match
    # = 234,700. Contoso: 200,000 + 50,000 = 250,000. Contoso leads by 15,300.
    assert comparison.first_year.values == (D("234700"), D("250000"))
    assert comparison.first_year.stronger == 1
    assert comparison.first_year.lead == D("15300")
    # Over 4 years: Northwind 234,700 + 224,700 + 274,700 + 274,700 = 1,008,800;
    # Contoso 4 × 250,000 = 1,000,000. Northwind leads by 8,800.
    assert comparison.over_horizon.values == (D("1008800"), D("1000000"))
    assert comparison.over_horizon.stronger == 0
    assert comparison.over_horizon.lead == D("8800")
    # Average of recurring pay: Northwind (204,700 + 224,700 + 274,700 + 274,700) / 4 = 244,700.
    assert comparison.average_yearly.values == (D("244700"), D("250000"))


def test_table_columns_count_the_difference_only_between_two_offers():
    # Component + 2 offers + difference + stronger = 5; with three offers, no difference: 5.
    assert compared(northwind(), contoso()).table_columns == 5
    assert compared(northwind(), contoso(), contoso()).table_columns == 5
    assert compared(northwind(), contoso(), contoso(), northwind()).table_columns == 6


def test_component_rows_with_difference_and_stronger_offer():
    rows = {row.key: row for row in compared(northwind(), contoso()).components}
    # Base 165,000 − 200,000 = −35,000: Contoso is stronger by 35,000.
    assert rows["base"].difference == D("-35000")
    assert (rows["base"].stronger, rows["base"].lead) == (1, D("35000"))
    assert rows["bonus"].values == (D("24750"), D("0"))
    assert rows["sign_on"].one_time and rows["sign_on"].stronger == 0
    # Equity in year 1: 5% of 200,000 = 10,000 against 25% = 50,000.
    assert rows["equity_year1"].values == (D("10000"), D("50000"))
    # Neither has relocation: a tie has no stronger offer.
    assert rows["relocation"].stronger is None and rows["relocation"].lead == 0


def test_cumulative_rows_and_crossover_year():
    comparison = compared(northwind(), contoso())
    # Northwind: 234,700 · 459,400 · 734,100 · 1,008,800
    # Contoso:   250,000 · 500,000 · 750,000 · 1,000,000 → Northwind overtakes in year 4.
    assert [row.values[0] for row in comparison.cumulative] == [
        D("234700"), D("459400"), D("734100"), D("1008800"),
    ]  # fmt: skip
    assert [row.stronger for row in comparison.cumulative] == [1, 1, 1, 0]
    assert [(c.year, c.overtaking, c.overtaken) for c in comparison.crossovers] == [(4, 0, 1)]
    assert comparison.crossovers[0].overtaking_name == "Northwind"
    assert comparison.cumulative[0].stronger_name == "Contoso"
    assert comparison.cumulative[0].cells == ((D("234700"), False), (D("250000"), True))


def test_split_guaranteed_variable_equity():
    split = {row.key: row for row in compared(northwind(), contoso()).split}
    # Northwind: guaranteed 4 × 165,000 + 30,000 = 690,000; variable 4 × 24,750 = 99,000;
    # equity 200,000; benefits 4 × 4,950 = 19,800 (sum 1,008,800). Contoso: 800,000 · 0 · 200,000 · 0.
    assert split["guaranteed_cash"].values == (D("690000"), D("800000"))
    assert split["variable_pay"].values == (D("99000"), D("0"))
    assert split["equity"].values == (D("200000"), D("200000"))
    assert split["equity"].stronger is None
    assert split["benefits_total"].values == (D("19800"), D("0"))


def test_no_crossover_when_one_leads_every_year():
    assert crossover_year([D(1), D(2), D(3)], [D(0), D(1), D(2)]) is None
    # A tie is not a flip; the order flips only when the other is strictly ahead.
    assert crossover_year([D(1), D(2), D(3)], [D(0), D(2), D(3)]) is None
    assert crossover_year([D(1), D(2), D(3)], [D(0), D(2), D(4)]) == 3
    # Equal from the start, then one leads: no flip.
    assert crossover_year([D(1), D(3)], [D(1), D(2)]) is None


def test_crossovers_between_every_pair_earliest_first():
    # a: 10, 20, 30 · b: 12, 19, 31 · c: 5, 25, 26
    found = crossovers([[D(10), D(20), D(30)], [D(12), D(19), D(31)], [D(5), D(25), D(26)]])
    # a/b: b ahead in 1, a in 2 → year 2, a overtakes b. a/c: a ahead in 1, c in 2 → year 2.
    # b/c: b ahead in 1, c in 2 → year 2 too.
    assert [(c.year, c.overtaking, c.overtaken) for c in found] == [(2, 0, 1), (2, 2, 0), (2, 2, 1)]


def test_stronger_of_three_and_ties():
    assert stronger_of([D(5), D(9), D(7)]) == (1, D(2))
    assert stronger_of([D(9), D(9), D(7)]) == (None, D(0))
    assert stronger_of([D(1)]) == (None, D(0))


def test_horizons_are_aligned_to_the_longest():
    five_years = custom_schedule([D(20)] * 5)
    long = OfferTerms(
        currency="USD",
        base_salary=D("100000"),
        equity=EquityGrant(kind=EquityKind.RSU, schedule=five_years, total_value=D("50000")),
    )
    no_equity = OfferTerms(currency="USD", base_salary=D("120000"))
    comparison = compared(long, no_equity)
    assert comparison.years == 5
    # 100,000 + 10,000 a year against 120,000: the cash offer leads every year.
    assert comparison.cumulative[-1].values == (D("550000"), D("600000"))
    assert comparison.crossovers == ()


def test_compare_refuses_mixed_currencies_and_counts():
    usd = compute_compensation(northwind())
    gbp = compute_compensation(OfferTerms(currency="GBP", base_salary=D("100000")))
    with pytest.raises(ValueError, match="one currency"):
        compare([ComparedOffer("a", usd), ComparedOffer("b", gbp)])
    with pytest.raises(ValueError, match="between 2 and 4"):
        compare([ComparedOffer("a", usd)])
    with pytest.raises(ValueError, match="between 2 and 4"):
        compare([ComparedOffer(str(n), usd) for n in range(5)])


# --- Currency conversion ---------------------------------------------------------------------


def test_conversion_rates_from_units_per_usd():
    # 1 GBP = 1 / 0.8 = 1.25 USD, as of the GBP rate's date.
    to_usd = conversion("GBP", "USD", RATES)
    assert to_usd.rate == D("1.25")
    assert to_usd.as_of == datetime.date(2025, 11, 1)
    assert to_usd.describe() == "1 GBP = 1.2500 USD (rate of 2025-11-01)"
    # 1 GBP = 0.9 / 0.8 = 1.125 EUR; the older of the two rates dates it.
    to_eur = conversion("GBP", "EUR", RATES)
    assert to_eur.rate == D("1.125")
    assert to_eur.as_of == datetime.date(2025, 10, 1)
    same = conversion("USD", "USD", RATES)
    assert same.is_identity and same.as_of is None
    with pytest.raises(MissingRate, match="CHF"):
        conversion("CHF", "USD", RATES)


def test_convert_terms_converts_every_amount_and_keeps_percentages():
    terms = OfferTerms(
        currency="GBP",
        base_salary=D("100000"),
        bonus_percent=D("10"),
        sign_on_year1=D("8000"),
        relocation=D("1000"),
        equity=EquityGrant(
            kind=EquityKind.ISO,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            shares=D("1000"),
            share_price=D("30"),
            strike_price=D("10"),
        ),
        retirement_match_cap=D("4000"),
        perks=(Perk("Gym", D("600")),),
    )
    usd = convert_terms(terms, conversion("GBP", "USD", RATES))
    # × 1.25: 125,000 base, 10,000 sign-on, 1,250 relocation, cap 5,000, gym 750.
    assert (usd.currency, usd.base_salary, usd.bonus_percent) == ("USD", D("125000.00"), D("10"))
    assert (usd.sign_on_year1, usd.relocation) == (D("10000.00"), D("1250.00"))
    assert usd.retirement_match_cap == D("5000.00")
    assert usd.perks[0].yearly_amount == D("750.00")
    # Options: price 37.50, strike 12.50 → spread 1,000 × 25 = 25,000 (= 20,000 GBP × 1.25).
    assert grant_value(usd.equity) == D("25000.00")
    result = compute_compensation(usd)
    # Year 1: 125,000 + 12,500 bonus + 10,000 + 1,250 + 6,250 (25% of 25,000) + 750 gym = 155,750.
    assert result.first_year_total == D("155750.00")


def test_convert_amount_rounds_to_cents():
    # 1 GBP = 1 / 0.79 USD; 100 GBP = 126.582278... → 126.58.
    conv = conversion("GBP", "USD", {"GBP": RateQuote("GBP", D("0.79"), datetime.date(2025, 1, 1))})
    assert convert_amount(D("100"), conv) == D("126.58")


def test_grant_value_of_each_kind():
    rsu_shares = EquityGrant(
        kind=EquityKind.RSU,
        schedule=VESTING_PRESETS["four_year_quarterly"],
        shares=D("100"),
        share_price=D("12.5"),
    )
    assert grant_value(rsu_shares) == D("1250.00")
    underwater = EquityGrant(
        kind=EquityKind.NSO,
        schedule=VESTING_PRESETS["four_year_quarterly"],
        shares=D("100"),
        share_price=D("5"),
        strike_price=D("10"),
    )
    assert grant_value(underwater) == 0
    assert grant_value(None) == 0


# --- Properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=500_000, places=2)


@st.composite
def cash_terms(draw):
    return OfferTerms(
        currency="USD",
        base_salary=draw(amounts),
        bonus_percent=draw(st.decimals(min_value=0, max_value=50, places=1)),
        sign_on_year1=draw(amounts),
        sign_on_year2=draw(amounts),
        relocation=draw(amounts),
        health_contribution=draw(st.decimals(min_value=0, max_value=20_000, places=2)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(cash_terms(), min_size=2, max_size=4))
def test_rows_add_up_and_differences_are_a_minus_b(terms):
    comparison = compared(*terms)
    for _, rows in comparison.sections:
        for row in rows:
            assert row.difference == row.values[0] - row.values[1]
            if row.stronger is not None:
                assert row.values[row.stronger] == max(row.values)
                assert row.lead > 0
    for index in range(len(terms)):
        # Year one's components add up to the first-year total...
        assert (
            sum(row.values[index] for row in comparison.components)
            == (comparison.first_year.values[index])
        )
        # ...and the split to the total over the horizon, which is the last cumulative figure.
        assert (
            sum(row.values[index] for row in comparison.split)
            == (comparison.over_horizon.values[index])
        )
        assert comparison.cumulative[-1].values[index] == comparison.over_horizon.values[index]


@settings(max_examples=60, deadline=None)
@given(cash_terms(), st.decimals(min_value="0.1", max_value="200", places=4))
def test_converted_totals_still_equal_the_sum_of_their_components(terms, units_per_usd):
    rates = {"EUR": RateQuote("EUR", units_per_usd, datetime.date(2025, 1, 1))}
    result = compute_compensation(convert_terms(terms, conversion("USD", "EUR", rates)))
    assert result.currency == "EUR"
    for year in result.years:
        assert year.total == (
            year.base + year.bonus + year.sign_on + year.relocation + year.equity + year.benefits
        )

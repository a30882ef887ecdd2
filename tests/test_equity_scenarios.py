"""Tests for equity scenarios and the break-even growth rate.

Every expected figure is worked out by hand in the comment next to it.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    OfferTerms,
    VestingFrequency,
    compute_compensation,
    custom_schedule,
)
from offers.equity_scenarios import (
    DEFAULT_EXIT_MULTIPLE,
    break_even_growth,
    equity_scenarios,
    parse_exit_multiple,
    scenario_table,
)

D = Decimal
YEARLY_25 = custom_schedule([D(25)] * 4, frequency=VestingFrequency.ANNUAL)


def rsu(value: str, schedule=YEARLY_25, **kwargs) -> EquityGrant:
    return EquityGrant(kind=EquityKind.RSU, schedule=schedule, total_value=D(value), **kwargs)


def options(shares: str, price: str, strike: str, **kwargs) -> EquityGrant:
    return EquityGrant(
        kind=EquityKind.ISO,
        schedule=VESTING_PRESETS["four_year_quarterly"],
        shares=D(shares),
        share_price=D(price),
        strike_price=D(strike),
        **kwargs,
    )


def terms(base: str = "100000", **kwargs) -> OfferTerms:
    kwargs.setdefault("currency", "USD")
    return OfferTerms(base_salary=D(base), **kwargs)


def by_key(scenarios) -> dict:
    return {s.key: s for s in scenarios}


# The worked example: A pays 200,000 a year and no equity (800,000 over 4 years). B pays
# 170,993.75 a year (683,975 over 4 years, 116,025 less) and 100,000 of RSUs vesting 25% at the
# end of each year, assumed to grow 5% a year.
LEADER = terms("200000")
TRAILER = terms("170993.75", equity=rsu("100000", yearly_price_change_percent=D(5)))


# --- Scenarios -------------------------------------------------------------------------------


def test_each_scenario_of_the_worked_example_by_hand():
    scenarios = by_key(equity_scenarios(TRAILER, exit_multiple=D(3)))
    assert list(scenarios) == ["worthless", "today", "assumption", "exit"]
    # Worth nothing: cash only, 4 x 170,993.75 = 683,975.
    assert scenarios["worthless"].equity == D("0")
    assert scenarios["worthless"].total == D("683975.00")
    assert scenarios["worthless"].years == 4  # the grant's horizon, although no equity is left
    # Today's price: the whole 100,000 vests inside 4 years → 783,975.
    assert scenarios["today"].equity == D("100000.00")
    assert scenarios["today"].total == D("783975.00")
    # 5% a year: 25,000 x (1 + 1.05 + 1.1025 + 1.157625) = 25,000 x 4.310125 = 107,753.125,
    # rounded once, cumulatively, half up → 107,753.13; total 683,975 + 107,753.13.
    assert scenarios["assumption"].equity == D("107753.13")
    assert scenarios["assumption"].total == D("791728.13")
    assert scenarios["assumption"].yearly_change_percent == D(5)
    # Exit at 3×: 3 x 100,000 = 300,000 → 983,975.
    assert scenarios["exit"].equity == D("300000.00")
    assert scenarios["exit"].total == D("983975.00")
    assert scenarios["exit"].label == "Exit at 3×"


def test_the_exit_scenario_gives_the_cumulative_total_by_year():
    exit_ = by_key(equity_scenarios(TRAILER, exit_multiple=D(3)))["exit"]
    # Each year: 170,993.75 cash + 25,000 x 3 = 245,993.75.
    assert exit_.cumulative_totals == (
        D("245993.75"),
        D("491987.50"),
        D("737981.25"),
        D("983975.00"),
    )


def test_exit_counts_only_what_vests_inside_the_horizon():
    short = terms("100000", equity=rsu("100000"), years=2)
    exit_ = by_key(equity_scenarios(short, exit_multiple=D(3)))["exit"]
    # Half the grant vests in 2 years: 50,000 x 3 = 150,000; cash 2 x 100,000.
    assert exit_.equity == D("150000.00")
    assert exit_.total == D("350000.00")


def test_options_at_an_exit_are_worth_the_exit_price_less_the_strike():
    offer = terms(equity=options("10000", price="5", strike="2"))
    scenarios = by_key(equity_scenarios(offer, exit_multiple=D(3)))
    # (3 x 5 - 2) = 13 a share x 10,000 vested shares = 130,000.
    assert scenarios["exit"].equity == D("130000.00")
    # Today's price: (5 - 2) x 10,000 = 30,000.
    assert scenarios["today"].equity == D("30000.00")
    # Over 2 years, 5,000 shares have vested: 13 x 5,000 = 65,000.
    two_years = by_key(equity_scenarios(terms(equity=options("10000", "5", "2"), years=2)))
    assert two_years["exit"].equity == D("65000.00")


def test_options_under_water_today_can_be_worth_something_at_an_exit():
    offer = terms(equity=options("10000", price="5", strike="20"))
    # 3 x 5 = 15 is still below the strike of 20: nothing.
    assert by_key(equity_scenarios(offer, exit_multiple=D(3)))["exit"].equity == D("0")
    # 5 x 5 = 25 → 5 a share x 10,000 = 50,000.
    assert by_key(equity_scenarios(offer, exit_multiple=D(5)))["exit"].equity == D("50000.00")


def test_a_grant_stated_as_a_value_with_no_price_is_that_value_times_the_multiple():
    offer = terms(equity=rsu("40000"))
    # 2.5 x 40,000 = 100,000.
    assert by_key(equity_scenarios(offer, exit_multiple=D("2.5")))["exit"].equity == D("100000.00")


def test_rsus_stated_as_shares_and_a_price_exit_at_the_multiple():
    grant = EquityGrant(
        kind=EquityKind.RSU, schedule=YEARLY_25, shares=D(1000), share_price=D("40")
    )
    # 1,000 x 40 = 40,000 today; at 4×, 160,000.
    scenarios = by_key(equity_scenarios(terms(equity=grant), exit_multiple=D(4)))
    assert scenarios["today"].equity == D("40000.00")
    assert scenarios["exit"].equity == D("160000.00")


def test_refreshers_vested_inside_the_horizon_exit_at_the_multiple_too():
    grant = rsu(
        "100000",
        schedule=VESTING_PRESETS["four_year_quarterly"],
        yearly_refresher_value=D(10000),
    )
    exit_ = by_key(equity_scenarios(terms(equity=grant), exit_multiple=D(3)))["exit"]
    # Refreshers of 10,000 at months 12, 24, 36 vest 25% a year from the year after: inside 4
    # years 75% + 50% + 25% of 10,000 = 15,000. With the initial 100,000: 115,000 x 3 = 345,000.
    assert exit_.equity == D("345000.00")
    worthless = by_key(equity_scenarios(terms(equity=grant)))["worthless"]
    assert worthless.equity == D("0")  # refreshers are worth nothing too


def test_a_value_discount_on_the_terms_applies_in_every_scenario():
    # The risk-adjusted view marks every vest down; the scenarios keep the terms' other fields.
    offer = terms(equity=rsu("100000", value_discount_percent=D(40)))
    scenarios = by_key(equity_scenarios(offer, exit_multiple=D(3)))
    # Today's price: 100,000 x 60% = 60,000; at 3×, 300,000 x 60% = 180,000.
    assert scenarios["today"].equity == D("60000.00")
    assert scenarios["exit"].equity == D("180000.00")


def test_an_offer_without_equity_has_no_scenarios():
    assert equity_scenarios(terms()) == ()
    assert equity_scenarios(terms(equity=None), exit_multiple=D(5)) == ()


def test_the_default_exit_multiple_is_three():
    assert D(3) == DEFAULT_EXIT_MULTIPLE
    assert by_key(equity_scenarios(TRAILER))["exit"].equity == D("300000.00")


# --- The table of several offers -------------------------------------------------------------


def test_the_table_has_a_row_per_scenario_and_a_cell_per_offer():
    table = scenario_table([("A", LEADER), ("B", TRAILER)], exit_multiple=D(3))
    assert table.offer_labels == ("A", "B")
    assert [row.key for row in table.rows] == ["worthless", "today", "assumption", "exit"]
    # A has no equity: 800,000 in every row, marked as having none.
    assert {row.cells[0].total for row in table.rows} == {D("800000.00")}
    assert not table.rows[0].cells[0].has_equity
    # B: 683,975 / 783,975 / 791,728.13 / 983,975 as worked out above.
    assert [row.cells[1].total for row in table.rows] == [
        D("683975.00"),
        D("783975.00"),
        D("791728.13"),
        D("983975.00"),
    ]
    assert table.rows[2].cells[1].growth_words == "grows 5% a year"
    assert table.rows[2].cells[0].growth_words == ""
    assert table.years == 4


def test_a_table_of_offers_over_different_horizons_names_no_single_horizon():
    table = scenario_table([("A", terms(years=2)), ("B", TRAILER)])
    assert table.years is None
    # A over its own 2 years: 2 x 100,000.
    assert table.rows[0].cells[0].total == D("200000.00")


def test_a_table_with_no_equity_anywhere_has_no_rows():
    table = scenario_table([("A", LEADER), ("B", terms())])
    assert table.rows == ()
    assert table.years is None


# --- The exit multiple a person types --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, "3"), ("", "3"), ("  ", "3"), ("3", "3"), ("2.5", "2.5"), ("10x", "10"),
     ("4×", "4"), ("1", "1"), ("1000", "1000"), ("1e3", "1000"), ("2.50", "2.5"),
     ("1,000", "1000")],
)  # fmt: skip
def test_an_exit_multiple_in_range_is_read(raw, expected):
    value, error = parse_exit_multiple(raw)
    assert (value, error) == (D(expected), None)
    assert str(value) == expected  # written plainly: never "1E+3"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Enter the exit multiple as a number, e.g. 3 or 2.5."),
        ("NaN", "Enter the exit multiple as a number, e.g. 3 or 2.5."),
        ("Infinity", "Enter the exit multiple as a number, e.g. 3 or 2.5."),
        ("0", "An exit multiple is between 1 and 1,000 times today's price."),
        ("-2", "An exit multiple is between 1 and 1,000 times today's price."),
        ("0.5", "An exit multiple is between 1 and 1,000 times today's price."),
        ("1e9", "An exit multiple is between 1 and 1,000 times today's price."),
        ("1000.01", "An exit multiple is between 1 and 1,000 times today's price."),
        ("2.555", "Give the exit multiple with at most two decimals, e.g. 2.5."),
        ("2,5", "Enter the exit multiple as a number, e.g. 3 or 2.5."),
        ("9" * 40, "Enter the exit multiple as a number, e.g. 3 or 2.5."),
    ],
)
def test_a_bad_exit_multiple_falls_back_to_three_with_a_plain_message(raw, message):
    assert parse_exit_multiple(raw) == (D(3), message)


# --- Break-even growth -----------------------------------------------------------------------


def test_the_worked_example_breaks_even_at_ten_percent():
    found = break_even_growth(LEADER, TRAILER)
    # B's equity must make up 800,000 - 683,975 = 116,025 = 25,000 x (1 + f + f^2 + f^3):
    # at f = 1.1, 1 + 1.1 + 1.21 + 1.331 = 4.641 and 25,000 x 4.641 = 116,025 exactly → 10.0%.
    # At 9.9%: 25,000 x (1 + 1.099 + 1.207801 + 1.327373299) = 115,854.36, short of 116,025.
    assert found.status == "found"
    assert found.rate == D("10.0")
    assert found.assumed_rate == D(5)
    assert found.years == 4
    assert found.leader_total == D("800000.00")
    assert found.trailer_total == D("791728.13")  # at its own 5%, from the scenarios above
    assert not found.is_fall


def test_a_trailer_that_matches_with_falling_shares_breaks_even_below_zero():
    leader = terms("100000", sign_on_year1=D("46875"))
    trailer = terms("100000", equity=rsu("100000"))
    found = break_even_growth(leader, trailer)
    # Gap 46,875 = 25,000 x (1 + f + f^2 + f^3) at f = 0.5 (1.875 x 25,000): -50.0%.
    # At -50.1%, f = 0.499: 25,000 x 1.872252499 = 46,806.31, short.
    assert found.rate == D("-50.0")
    assert found.is_fall
    assert found.fall_percent == D("50.0")


def test_the_horizon_can_be_given():
    # Over 2 years the gap is 2 x (200,000 - 170,993.75) = 58,012.50 = 25,000 x (1 + f), so
    # f = 1.3205 (32.05%): at 32.0% 25,000 x 2.32 = 58,000 is short, at 32.1% 58,025 is not.
    found = break_even_growth(LEADER, TRAILER, years=2)
    assert found.years == 2
    assert found.rate == D("32.1")


def test_a_trailer_ahead_even_with_worthless_shares_is_already_ahead():
    found = break_even_growth(terms("100000"), terms("120000", equity=rsu("1000")))
    assert found.status == "already_ahead"
    assert found.rate is None
    assert found.ahead_without_equity  # 480,000 of cash alone beats 400,000


def test_a_trailer_ahead_only_through_year_one_vesting_is_already_ahead_but_not_without_equity():
    leader = terms("100000", sign_on_year1=D("10000"))
    trailer = terms("100000", equity=rsu("100000", VESTING_PRESETS["four_year_cliff_monthly"]))
    found = break_even_growth(leader, trailer)
    # At -100% a year the cliff's 25,000 still vests at today's price in year one:
    # 400,000 + 25,000 = 425,000 ≥ 410,000; cash alone (400,000) is not.
    assert found.status == "already_ahead"
    assert not found.ahead_without_equity


def test_a_trailer_without_equity_has_nothing_to_grow():
    found = break_even_growth(LEADER, terms("100000"))
    assert found.status == "no_equity"
    assert found.assumed_rate is None
    assert not found.ahead_without_equity


def test_a_gap_beyond_a_thousand_percent_a_year_is_out_of_reach():
    # 1,000 of RSUs at 1,000% a year: 250 x (1 + 11 + 121 + 1,331) = 366,000, far short of the
    # 3,600,000 gap between 4 x 1,000,000 and 4 x 100,000.
    found = break_even_growth(terms("1000000"), terms("100000", equity=rsu("1000")))
    assert found.status == "out_of_reach"
    assert found.rate is None


def test_offers_in_two_currencies_are_refused():
    with pytest.raises(ValueError, match="one currency"):
        break_even_growth(LEADER, terms("100000", currency="EUR", equity=rsu("1000")))


# --- Properties ------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=400_000).map(D)
growth = st.integers(min_value=-1000, max_value=3000).map(lambda tenths: D(tenths) / 10)
schedules = st.sampled_from(sorted(VESTING_PRESETS))


@st.composite
def equity_offers(draw, min_growth=-1000):
    grant_kind = draw(st.sampled_from(["rsu", "option"]))
    change = D(draw(st.integers(min_value=min_growth, max_value=3000))) / 10
    schedule = VESTING_PRESETS[draw(schedules)]
    if grant_kind == "rsu":
        grant = EquityGrant(
            kind=EquityKind.RSU,
            schedule=schedule,
            total_value=draw(st.integers(min_value=1, max_value=500_000).map(D)),
            yearly_price_change_percent=change,
            yearly_refresher_value=draw(st.sampled_from([D(0), D(5000)])),
        )
    else:
        grant = EquityGrant(
            kind=EquityKind.ISO,
            schedule=schedule,
            shares=draw(st.integers(min_value=1, max_value=100_000).map(D)),
            share_price=D(draw(st.integers(min_value=1, max_value=5000))) / 100,
            strike_price=D(draw(st.integers(min_value=0, max_value=5000))) / 100,
            yearly_price_change_percent=change,
        )
    return terms(str(draw(amounts)), equity=grant, sign_on_year1=draw(amounts))


@settings(max_examples=60, deadline=None)
@given(offer=equity_offers(min_growth=0), multiple=st.integers(min_value=1, max_value=20))
def test_worth_nothing_never_beats_todays_price_and_growth_never_lowers_it(offer, multiple):
    scenarios = by_key(equity_scenarios(offer, exit_multiple=D(multiple)))
    assert scenarios["worthless"].total <= scenarios["today"].total
    assert scenarios["today"].total <= scenarios["assumption"].total  # growth is >= 0 here
    assert scenarios["today"].total <= scenarios["exit"].total  # N >= 1
    for scenario in scenarios.values():
        assert scenario.total == scenario.cumulative_totals[-1]


@settings(max_examples=40, deadline=None)
@given(leader_base=amounts, trailer=equity_offers())
def test_the_break_even_rate_matches_and_a_tenth_less_does_not(leader_base, trailer):
    leader = terms(str(leader_base), sign_on_year1=D(50_000))
    found = break_even_growth(leader, trailer)
    if found.status != "found":
        return
    target = compute_compensation(leader).total

    def trailer_total(rate: Decimal) -> Decimal:
        equity = replace(trailer.equity, yearly_price_change_percent=rate)
        return compute_compensation(replace(trailer, years=found.years, equity=equity)).total

    assert trailer_total(found.rate) >= target
    assert trailer_total(found.rate - D("0.1")) < target

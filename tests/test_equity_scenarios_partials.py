"""The equity-scenario table and the break-even sentence, rendered alone as a page includes them.

Figures are the worked example of tests/test_equity_scenarios.py: A pays 200,000 a year with no
equity; B pays 170,993.75 a year with 100,000 of RSUs vesting 25% a year, assumed to grow 5%.
"""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from offers.compensation import (
    EquityGrant,
    EquityKind,
    OfferTerms,
    VestingFrequency,
    custom_schedule,
)
from offers.equity_scenarios import BreakEven, break_even_growth, scenario_table

D = Decimal
YEARLY_25 = custom_schedule([D(25)] * 4, frequency=VestingFrequency.ANNUAL)
LEADER = OfferTerms(currency="USD", base_salary=D("200000"))
TRAILER = OfferTerms(
    currency="USD",
    base_salary=D("170993.75"),
    equity=EquityGrant(
        kind=EquityKind.RSU,
        schedule=YEARLY_25,
        total_value=D("100000"),
        yearly_price_change_percent=D(5),
    ),
)


def scenarios_page(**context) -> str:
    context.setdefault("scenario_table", scenario_table([("Acme", LEADER), ("Startup", TRAILER)]))
    context.setdefault("exit_multiple", D(3))
    context.setdefault("exit_error", None)
    context.setdefault("keep_params", [])
    return render_to_string("offers/_equity_scenarios.html", context)


def squashed(html: str) -> str:
    return " ".join(html.split())


# --- The scenario table ----------------------------------------------------------------------


def test_the_table_shows_each_scenario_total_with_its_equity_part():
    html = squashed(scenarios_page())
    # B: 683,975 / 783,975 / 791,728.13 / 983,975 as worked out by hand, in whole dollars.
    for total, equity in [
        ("$683,975", "equity $0"),
        ("$783,975", "equity $100,000"),
        ("$791,728", "equity $107,753"),
        ("$983,975", "equity $300,000"),
    ]:
        assert f'{total} <span class="d-block small text-body-secondary">{equity}' in html
    # A has no equity: 4 x 200,000 in every row.
    assert html.count("$800,000") == 4
    assert html.count("no equity") == 4
    assert "price grows 5% a year" in html
    assert "Total pay over 4 years in each scenario" in html
    assert "Exit at 3×" in html


def test_the_table_scrolls_inside_its_own_box_on_a_phone():
    html = scenarios_page()
    assert '<div class="table-responsive" tabindex="0" role="region"' in html


def test_the_exit_multiple_field_is_labelled_and_keeps_the_other_parameters():
    html = scenarios_page(keep_params=[("offers", "3"), ("offers", "7"), ("currency", "EUR")])
    assert 'aria-labelledby="exit-multiple-label exit-multiple-unit"' in html
    assert ">Exit at</label>" in html
    assert "× today's price</span>" in html
    assert 'name="exit_multiple" value="3"' in html
    assert '<input type="hidden" name="offers" value="3">' in html
    assert '<input type="hidden" name="offers" value="7">' in html
    assert '<input type="hidden" name="currency" value="EUR">' in html
    assert "aria-invalid" not in html


def test_a_bad_exit_multiple_shows_its_error_beside_the_field():
    html = scenarios_page(
        exit_error="Enter the exit multiple as a number, e.g. 3 or 2.5.", exit_input="abc"
    )
    assert 'value="abc" aria-labelledby="exit-multiple-label exit-multiple-unit" ' in html
    assert 'aria-describedby="exit-multiple-error" aria-invalid="true"' in html
    assert 'id="exit-multiple-error">Enter the exit multiple as a number' in html
    assert "Showing 3× instead." in html


def test_a_value_typed_into_the_field_is_escaped():
    html = scenarios_page(exit_error="Enter a number.", exit_input='"><script>')
    assert "<script>" not in html


def test_without_equity_anywhere_there_is_a_sentence_and_no_form():
    table = scenario_table([("Acme", LEADER), ("Beta", LEADER)])
    html = scenarios_page(scenario_table=table)
    assert "None of these offers has equity" in html
    assert "<form" not in html
    one = scenarios_page(scenario_table=scenario_table([("Acme", LEADER)]))
    assert "This offer has no equity, so its total is the same" in one


# --- The break-even sentence -----------------------------------------------------------------


def sentence(break_even: BreakEven, leader="Acme", trailer="Startup", **context) -> str:
    html = render_to_string(
        "offers/_break_even.html",
        {"break_even": break_even, "leader_label": leader, "trailer_label": trailer, **context},
    )
    return squashed(html.replace("<strong>", "").replace("</strong>", ""))


def test_the_break_even_sentence_says_the_rate_and_the_assumption():
    # 10.0% by hand in tests/test_equity_scenarios.py.
    text = sentence(break_even_growth(LEADER, TRAILER))
    assert (
        "Startup needs its shares to grow 10.0% a year to match Acme over 4 years "
        "(you assumed 5%)." in text
    )


def test_a_falling_break_even_says_how_far_the_price_may_fall():
    found = BreakEven("found", 4, "USD", D(1), D(1), D(5), rate=D("-50.0"))
    text = sentence(found)
    assert (
        "Startup still matches Acme over 4 years if its share price falls 50.0% a year "
        "(you assumed 5%)." in text
    )


@pytest.mark.parametrize(
    ("status", "without_equity", "expected"),
    [
        ("already_ahead", True, "Startup pays at least as much as Acme over 4 years even if "
         "its shares are worth nothing."),
        ("already_ahead", False, "Startup pays at least as much as Acme over 4 years even if "
         "its shares lose all their value after the first year."),
        ("no_equity", False, "Startup has no equity, so no share-price growth closes its gap "
         "to Acme over 4 years."),
        ("no_equity", True, "Startup pays at least as much as Acme over 4 years without any "
         "equity."),
        ("out_of_reach", False, "Even growing 1,000% a year, Startup's shares would not close "
         "its gap to Acme over 4 years."),
    ],
)  # fmt: skip
def test_each_status_has_its_plain_sentence(status, without_equity, expected):
    break_even = BreakEven(status, 4, "USD", D(1), D(1), None, ahead_without_equity=without_equity)
    assert expected in sentence(break_even)


def test_the_years_given_win_and_one_year_is_singular():
    found = BreakEven("found", 1, "USD", D(1), D(1), D(0), rate=D("12.5"))
    assert "over 1 year (you assumed 0%)" in sentence(found)
    assert "over 3 years" in sentence(found, years=3)

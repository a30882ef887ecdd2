"""Stock options: the cash it takes to keep them (exercise cost on leaving, per year, early
exercise), the 83(b) spread at grant, and the option terms on the offer and its form.

Every expected figure is worked out by hand in the comment next to it.
"""

from decimal import Decimal

import pytest
from crispy_forms.utils import render_crispy_form
from django.db import IntegrityError

from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    OfferTerms,
    OptionsVestingYear,
    TermsError,
    early_exercise_cost,
    exercise_cost_by_year,
    leave_after,
    options_by_year,
    spread_at_grant,
)
from offers.forms import ELECTION_83B_MESSAGE, OfferForm
from offers.models import Offer
from offers.terms import offer_terms
from tests.factories import OfferFactory, bound_form

D = Decimal


def options(**kwargs) -> OfferTerms:
    grant = {
        "kind": EquityKind.ISO,
        "schedule": VESTING_PRESETS["four_year_cliff_monthly"],
        "shares": D("10000"),
        "share_price": D("10"),
        "strike_price": D("2.50"),
    } | kwargs
    return OfferTerms(currency="USD", base_salary=D("150000"), equity=EquityGrant(**grant))


# --- Leaving: what keeping vested options costs -----------------------------------------------


def test_keeping_a_quarter_of_10_000_options_costs_6_250():
    outcome = leave_after(options(), 12)
    # The cliff vests 25% of 10,000 = 2,500 shares; 2,500 x 2.50 strike = 6,250 to buy them.
    assert outcome.vested_option_shares == D("2500")
    assert outcome.exercise_cost == D("6250.00")
    assert outcome.exercise_window_days == 90
    # Worth the spread, 2,500 x (10 - 2.50) = 18,750, counted once: the strike is not taken again.
    assert outcome.vested_equity == D("18750.00")
    # Base 150,000 + 18,750.
    assert outcome.net == D("168750.00")


def test_nothing_to_buy_before_the_cliff():
    outcome = leave_after(options(), 11)
    assert (outcome.vested_option_shares, outcome.exercise_cost) == (0, 0)


def test_monthly_vesting_after_the_cliff():
    outcome = leave_after(options(exercise_window_days=3650), 18)
    # 2,500 at the cliff + 6 months of 2,500/12 = 1,250: 3,750 shares; x 2.50 = 9,375.
    assert outcome.vested_option_shares == D("3750")
    assert outcome.exercise_cost == D("9375.00")
    assert outcome.exercise_window_days == 3650


def test_rsus_cost_nothing_to_keep():
    rsu = OfferTerms(
        currency="USD",
        base_salary=D("150000"),
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_cliff_monthly"],
            total_value=D("100000"),
        ),
    )
    outcome = leave_after(rsu, 24)
    assert (outcome.vested_option_shares, outcome.exercise_cost) == (0, 0)
    assert outcome.exercise_window_days is None


def test_the_value_discount_does_not_change_the_cash_to_exercise():
    outcome = leave_after(options(illiquid=True, value_discount_percent=D("40")), 12)
    # The spread 18,750 at 60% = 11,250; the strike is still 2,500 x 2.50 in cash.
    assert outcome.vested_equity == D("11250.00")
    assert outcome.exercise_cost == D("6250.00")


# --- Year by year ----------------------------------------------------------------------------


def test_cost_and_spread_of_what_vests_each_year_at_a_rising_price():
    by_year = options_by_year(options(yearly_price_change_percent=D("10")))
    # 2,500 shares a year, each year 2,500 x 2.50 = 6,250 to buy. Spread 2,500 x (price - 2.50):
    # year 1 at 10: 18,750; year 2 at 11: 21,250; year 3 at 12.10: 24,000;
    # year 4 at 13.31: 2,500 x 10.81 = 27,025.
    assert by_year == (
        OptionsVestingYear(1, D("2500"), D("6250.00"), D("18750.00")),
        OptionsVestingYear(2, D("2500"), D("6250.00"), D("21250.00")),
        OptionsVestingYear(3, D("2500"), D("6250.00"), D("24000.00")),
        OptionsVestingYear(4, D("2500"), D("6250.00"), D("27025.00")),
    )
    # 4 x 6,250 = 25,000: the cost of buying the whole grant, 10,000 x 2.50.
    assert exercise_cost_by_year(options()) == (D("6250.00"),) * 4


def test_under_water_options_cost_the_strike_and_have_no_spread():
    (first, *_) = options_by_year(options(share_price=D("2")))
    assert first.exercise_cost == D("6250.00")
    assert first.spread_at_exercise == 0


def test_no_options_no_exercise_costs():
    plain = OfferTerms(currency="USD", base_salary=D("100000"))
    assert options_by_year(plain) == ()
    assert exercise_cost_by_year(plain) == (0, 0, 0, 0)


# --- Early exercise and 83(b) ----------------------------------------------------------------


def test_early_exercise_buys_the_whole_grant_at_hire():
    terms = options(early_exercise=True)
    # 10,000 x 2.50.
    assert early_exercise_cost(terms) == D("25000.00")
    assert spread_at_grant(terms) is None  # no election, nothing taxed at grant


def test_an_83b_election_is_taxed_on_the_spread_at_grant():
    # 10,000 x (10 - 2.50) = 75,000.
    assert spread_at_grant(options(early_exercise=True, election_83b=True)) == D("75000.00")
    # Strike at today's price: nothing to tax.
    at_the_money = options(early_exercise=True, election_83b=True, strike_price=D("10"))
    assert spread_at_grant(at_the_money) == 0


def test_without_early_exercise_there_is_no_cost_at_hire():
    assert early_exercise_cost(options()) is None


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"election_83b": True}, "election_83b"),
        ({"exercise_window_days": 3651}, "exercise_window_days"),
        ({"exercise_window_days": -1}, "exercise_window_days"),
    ],
)
def test_option_terms_the_engine_refuses_name_their_field(terms, field):
    with pytest.raises(TermsError) as refused:
        options(**terms)
    assert refused.value.field == field


def test_early_exercise_is_for_options_only():
    with pytest.raises(TermsError) as refused:
        EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("1000"),
            early_exercise=True,
        )
    assert refused.value.field == "early_exercise"


# --- The offer and its form ------------------------------------------------------------------


def option_offer(**overrides) -> Offer:
    fields = {
        "currency": "USD",
        "base_salary": D("150000"),
        "equity_kind": "iso",
        "equity_shares": D("10000"),
        "share_price": D("10"),
        "strike_price": D("2.50"),
        "vesting_schedule": "four_year_cliff_monthly",
    } | overrides
    return Offer(**fields)


def test_an_offer_carries_its_option_terms_to_the_engine():
    terms = offer_terms(option_offer(exercise_window_days=365, early_exercise=True))
    assert terms.equity.exercise_window_days == 365
    assert early_exercise_cost(terms) == D("25000.00")
    assert leave_after(terms, 12).exercise_window_days == 365


def test_a_new_offer_gives_90_days_to_exercise():
    assert Offer().exercise_window_days == 90


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_the_database_refuses_an_83b_election_without_early_exercise():
    with pytest.raises(IntegrityError):
        OfferFactory(
            equity_kind="iso",
            equity_grant_value=None,
            equity_shares=D("10000"),
            share_price=D("10"),
            strike_price=D("2.50"),
            election_83b=True,
        )


@pytestmark_db
def test_the_database_refuses_early_exercise_of_rsus():
    with pytest.raises(IntegrityError):
        OfferFactory(early_exercise=True)


@pytestmark_db
def test_the_database_refuses_an_exercise_window_over_ten_years():
    with pytest.raises(IntegrityError):
        OfferFactory(exercise_window_days=3651)


def saved_option_offer() -> Offer:
    return OfferFactory(
        equity_kind="iso",
        equity_grant_value=None,
        equity_shares=D("10000"),
        share_price=D("10"),
        strike_price=D("2.50"),
        vesting_schedule="four_year_cliff_monthly",
    )


@pytestmark_db
def test_the_form_asks_for_early_exercise_beside_an_83b_election():
    form = bound_form(saved_option_offer(), election_83b="on")
    assert not form.is_valid()
    assert form.errors["election_83b"] == [ELECTION_83B_MESSAGE]


@pytestmark_db
def test_the_form_keeps_early_exercise_with_an_83b_election():
    form = bound_form(saved_option_offer(), early_exercise="on", election_83b="on")
    assert form.is_valid(), form.errors
    offer = form.save()
    assert (offer.early_exercise, offer.election_83b) == (True, True)


@pytestmark_db
def test_the_form_refuses_an_exercise_window_over_ten_years_beside_it():
    form = bound_form(saved_option_offer(), exercise_window_days="3651")
    assert not form.is_valid()
    assert form.errors["exercise_window_days"] == [
        "The exercise window is between 0 and 3,650 days."
    ]


@pytestmark_db
def test_an_offer_sent_without_its_option_terms_keeps_the_usual_90_days():
    form = bound_form(saved_option_offer(), exercise_window_days=None)
    assert form.is_valid(), form.errors
    assert form.save().exercise_window_days == 90


@pytestmark_db
def test_rsus_keep_no_option_terms_from_the_form():
    form = bound_form(OfferFactory(), early_exercise="on", election_83b="on")
    assert form.is_valid(), form.errors
    offer = form.save()
    assert (offer.early_exercise, offer.election_83b) == (False, False)


@pytestmark_db
def test_the_form_marks_option_terms_for_options_only():
    form = OfferForm(instance=saved_option_offer())
    html = render_crispy_form(form)
    # The strike's column and the row of exercise terms are marked; the equity menu names the
    # kinds that are options, so the page's script shows them for those only.
    assert html.count("data-options-only") == 2
    assert 'data-option-kinds="iso nso"' in html
    assert form.fields["exercise_window_days"].help_text == (
        "Days after leaving to buy vested options; 90 is common, some companies give years."
    )

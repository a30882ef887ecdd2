"""Tests for the leaving timeline: what leaving after each month leaves a person with.

Every expected figure is worked out by hand in the comment next to it.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.compensation import (
    ESPP_OFFERING_MONTHS,
    VESTING_PRESETS,
    ClawbackRepayment,
    EquityGrant,
    EquityKind,
    EsppPlan,
    OfferTerms,
    compute_compensation,
    leave_after,
    round_cents,
)
from offers.timeline import leaving_timeline
from tests.test_compensation import offers

D = Decimal


def pro_rata_sign_on(**kwargs) -> OfferTerms:
    # Base 120,000 (10,000 a month), 10% bonus (12,000 after year 1), a 24,000 sign-on at hire
    # repaid pro rata within 12 months, no equity: the horizon is the default 4 years.
    kwargs.setdefault("currency", "USD")
    return OfferTerms(
        base_salary=D("120000"),
        bonus_percent=D("10"),
        sign_on_year1=D("24000"),
        clawback_months=12,
        clawback_repayment=ClawbackRepayment.PRO_RATA,
        **kwargs,
    )


def with_grant(**grant) -> OfferTerms:
    # pro_rata_sign_on plus a grant on the 4-year, 1-year-cliff, monthly preset.
    schedule = VESTING_PRESETS["four_year_cliff_monthly"]
    return pro_rata_sign_on(equity=EquityGrant(schedule=schedule, **grant))


def with_rsus() -> OfferTerms:
    # pro_rata_sign_on plus 48,000 of RSUs on the 4-year, 1-year-cliff, monthly preset.
    return with_grant(kind=EquityKind.RSU, total_value=D("48000"))


# --- Hand-computed months --------------------------------------------------------------------


def test_leaving_after_18_months_owes_nothing_back():
    month = leaving_timeline(pro_rata_sign_on()).at(18)
    # 18 months of base 180,000 + year 1's bonus 12,000 + the sign-on 24,000 = 216,000; the
    # 12-month clawback ran out at month 12, so nothing is owed and the net is all of it.
    assert month.cash_received == D("216000.00")
    assert month.sign_on_owed == D("0.00")
    assert month.net == D("216000.00")
    assert month.net_after_tax is None


def test_leaving_after_6_months_repays_half_the_sign_on():
    month = leaving_timeline(pro_rata_sign_on()).at(6)
    # Base 6 x 10,000 = 60,000, no bonus (year 1 not completed), sign-on 24,000 received:
    # 84,000. Owed back 24,000 x (12 - 6) / 12 = 12,000, so the net is 72,000.
    assert month.cash_received == D("84000.00")
    assert month.sign_on_owed == D("12000.00")
    assert month.net == D("72000.00")


def test_leaving_on_the_first_day_repays_the_whole_sign_on():
    month = leaving_timeline(pro_rata_sign_on()).at(0)
    # Nothing earned yet but the 24,000 sign-on, owed back in full: 24,000 x 12/12.
    assert (month.cash_received, month.sign_on_owed, month.net) == (
        D("24000.00"),
        D("24000.00"),
        D("0.00"),
    )


def test_equity_vests_at_the_cliff_and_the_rest_is_unvested():
    timeline = leaving_timeline(with_rsus())
    # Before the 1-year cliff nothing has vested: all 48,000 would be forfeited.
    assert (timeline.at(11).equity_vested, timeline.at(11).equity_unvested) == (
        D("0.00"),
        D("48000.00"),
    )
    # At the cliff a quarter vests: 12,000; 36,000 is still unvested.
    assert (timeline.at(12).equity_vested, timeline.at(12).equity_unvested) == (
        D("12000.00"),
        D("36000.00"),
    )
    # At 18 months: 12,000 + 6 monthly instalments of 48,000 x 25% / 12 = 1,000 → 18,000 vested,
    # 30,000 unvested; net 216,000 cash (as above) + 18,000 = 234,000.
    assert timeline.at(18).equity_vested == D("18000.00")
    assert timeline.at(18).equity_unvested == D("30000.00")
    assert timeline.at(18).net == D("234000.00")


def test_net_after_tax_taxes_each_year_at_its_rate_and_the_repayment_before_tax():
    timeline = leaving_timeline(pro_rata_sign_on(), tax_rate_by_year=[D("0.30"), D("0.40")])
    assert timeline.taxed
    # Leaving at 18 months: year 1's income is 120,000 + 12,000 bonus (paid at month 12, which
    # counts in year 1) + 24,000 sign-on = 156,000, taxed 30% = 46,800; year 2's is 6 months of
    # base, 60,000, taxed 40% = 24,000. Net 216,000 - 70,800 = 145,200.
    assert timeline.at(18).net_after_tax == D("145200.00")
    # Leaving at 6 months: 60,000 + 24,000 = 84,000 received, less the 12,000 repaid = 72,000
    # taxable at 30% = 21,600. Net 72,000 - 21,600 = 50,400.
    assert timeline.at(6).net_after_tax == D("50400.00")
    # Leaving at 30 months, the last rate carries on into year 3: year 1 46,800; year 2 40% of
    # 120,000 + 12,000 bonus = 52,800; year 3 40% of 6 months' 60,000 = 24,000 → tax 123,600.
    # Cash: 300,000 base + 2 bonuses of 12,000 + 24,000 = 348,000; 348,000 - 123,600 = 224,400.
    assert timeline.at(30).net == D("348000.00")
    assert timeline.at(30).net_after_tax == D("224400.00")


def with_options() -> OfferTerms:
    # pro_rata_sign_on plus 10,000 NSOs at a 2.00 strike, the share at 10.00, on the 4-year,
    # 1-year-cliff, monthly preset.
    return with_grant(
        kind=EquityKind.NSO, shares=D("10000"), share_price=D("10"), strike_price=D("2")
    )


def test_keeping_vested_options_costs_their_strike():
    timeline = leaving_timeline(with_options())
    assert timeline.has_options and not timeline.has_espp
    # 18 months: 25% at the cliff + 6 months of 25%/12 = 37.5% of 10,000 = 3,750 shares vested,
    # 3,750 x 2 = 7,500 to buy them; their value after the strike 3,750 x (10 - 2) = 30,000.
    month = timeline.at(18)
    assert month.vested_option_shares == D("3750")
    assert month.exercise_cost == D("7500.00")
    assert month.equity_vested == D("30000.00")
    # Not taken from the net: 216,000 cash (see above) + 30,000 = 246,000.
    assert month.net == D("246000.00")
    # Before the cliff nothing has vested and keeping costs nothing.
    assert timeline.at(11).exercise_cost == D("0.00")
    assert not leaving_timeline(with_rsus()).has_options


def test_the_timeline_covers_the_horizon_unless_told_otherwise():
    # 4 years x 12 = 48 months, plus month 0.
    assert [m.months for m in leaving_timeline(pro_rata_sign_on()).months] == list(range(49))
    timeline = leaving_timeline(pro_rata_sign_on(), months=120)
    assert timeline.last_month == 120
    assert timeline.currency == "USD"
    with pytest.raises(IndexError):
        timeline.at(121)
    with pytest.raises(IndexError):
        timeline.at(-1)


def test_refuses_negative_months_and_rates_outside_zero_to_one():
    with pytest.raises(ValueError):
        leaving_timeline(pro_rata_sign_on(), months=-1)
    with pytest.raises(ValueError):
        leaving_timeline(pro_rata_sign_on(), tax_rate_by_year=[D("1.5")])
    with pytest.raises(ValueError):
        leaving_timeline(pro_rata_sign_on(), tax_rate_by_year=[])
    with pytest.raises(TypeError):
        leaving_timeline(pro_rata_sign_on(), tax_rate_by_year=[0.3])


# --- Properties ------------------------------------------------------------------------------


@st.composite
def espp_plans(draw) -> EsppPlan:
    return EsppPlan(
        contribution_percent=D(draw(st.integers(0, 15))),
        discount_percent=D(draw(st.integers(0, 15))),
        lookback=draw(st.booleans()),
        offering_months=draw(st.sampled_from(ESPP_OFFERING_MONTHS)),
        share_price=draw(st.none() | st.integers(1, 50_000).map(lambda cents: D(cents) / 100)),
        yearly_price_change_percent=D(draw(st.integers(-50, 50))),
    )


@st.composite
def offers_with_a_discount(draw) -> OfferTerms:
    """The engine's offers, some with equity valued at a discount and some with an ESPP."""
    offer = draw(offers())
    if offer.equity is not None and draw(st.booleans()):
        discount = D(draw(st.integers(0, 100)))
        offer = replace(offer, equity=replace(offer.equity, value_discount_percent=discount))
    if draw(st.booleans()):
        offer = replace(offer, espp=draw(espp_plans()))
    return offer


rates = st.lists(st.integers(0, 100).map(lambda p: D(p) / 100), min_size=1, max_size=10)


@settings(max_examples=60, deadline=None)
@given(offer=offers_with_a_discount())
def test_every_month_is_the_engines_leave_after(offer):
    timeline = leaving_timeline(offer)
    assert len(timeline.months) == offer.horizon_years * 12 + 1
    for month in timeline.months:
        outcome = leave_after(offer, month.months)
        assert month.cash_received == outcome.cash_earned
        assert month.equity_vested == outcome.vested_equity
        assert month.equity_unvested == outcome.forfeited_equity
        assert month.sign_on_owed == outcome.sign_on_repayment
        assert month.retirement_match == outcome.retirement_match
        assert month.espp_gain == outcome.espp_gain
        assert month.benefits_used == outcome.benefits_used
        assert month.net == outcome.net
        assert month.vested_option_shares == outcome.vested_option_shares
        assert month.exercise_cost == outcome.exercise_cost


@settings(max_examples=200, deadline=None)
@given(offer=offers_with_a_discount())
def test_the_last_month_adds_up_to_the_horizons_total(offer):
    # The identity that holds: net + benefits used + sign-on still owed at the horizon's last
    # month is the horizon's cumulative total. Two things keep net + benefits alone from it: a
    # clawback longer than the horizon still owes a sign-on back at its end, and with a 1-year
    # horizon the second sign-on is paid at month 12 (in hand on leaving then) while the year
    # table shows it in year 2, beyond the horizon.
    result = compute_compensation(offer)
    last = leaving_timeline(offer).months[-1]
    second_sign_on = round_cents(offer.sign_on_year2) if offer.horizon_years == 1 else D(0)
    assert last.net + last.benefits_used + last.sign_on_owed == (
        result.cumulative_totals[-1] + second_sign_on
    )
    if offer.clawback_months <= 12 and offer.horizon_years > 1:
        assert last.net + last.benefits_used == result.total


@settings(max_examples=100, deadline=None)
@given(
    value=st.integers(0, 10**8).map(lambda cents: D(cents) / 100),
    refresher=st.integers(0, 10**7).map(lambda cents: D(cents) / 100),
    preset=st.sampled_from(sorted(VESTING_PRESETS)),
)
def test_vested_plus_unvested_is_the_grants_value_at_a_constant_price(value, refresher, preset):
    offer = pro_rata_sign_on(
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS[preset],
            total_value=value,
            yearly_refresher_value=refresher,
        ),
        years=5,
    )
    for month in leaving_timeline(offer).months:
        # The initial grant plus one refresher for each anniversary reached by then.
        granted = value + refresher * (month.months // 12)
        assert month.equity_vested + month.equity_unvested == granted


@settings(max_examples=100, deadline=None)
@given(offer=offers_with_a_discount(), tax_rates=rates)
def test_net_after_tax_is_never_more_than_the_net(offer, tax_rates):
    for month in leaving_timeline(offer, tax_rate_by_year=tax_rates).months:
        assert month.net_after_tax is not None
        assert month.net_after_tax <= month.net


@settings(max_examples=50, deadline=None)
@given(offer=offers_with_a_discount())
def test_no_tax_leaves_the_net_and_all_tax_leaves_only_the_retirement_match(offer):
    untaxed = leaving_timeline(offer, tax_rate_by_year=[D(0)])
    assert all(m.net_after_tax == m.net for m in untaxed.months)
    # At a 100% rate everything taxable (cash, vested equity and ESPP gains, less what is
    # repaid) goes in tax; the untaxed retirement match is all that is left.
    all_taxed = leaving_timeline(offer, tax_rate_by_year=[D(1)])
    assert all(m.net_after_tax == m.retirement_match for m in all_taxed.months)

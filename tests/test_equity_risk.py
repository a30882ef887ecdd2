"""Risk-adjusted equity: private shares marked down by the offer's illiquidity discount in every
vest, so totals, leaving early and everything else read the same lower figure.

Every expected figure is worked out by hand in the comment next to it.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    OfferTerms,
    TermsError,
    compute_compensation,
    leave_after,
)
from offers.models import Offer
from offers.terms import has_risk_adjustment, offer_terms

D = Decimal


def private_offer(**overrides) -> Offer:
    fields = {
        "currency": "USD",
        "base_salary": D("150000"),
        "equity_kind": "rsu",
        "equity_grant_value": D("100000"),
        "vesting_schedule": "four_year_quarterly",
        "is_private_company": True,
        "illiquidity_discount_percent": D("30"),
    }
    fields.update(overrides)
    return Offer(**fields)


def test_a_30_percent_discount_counts_70_000_of_a_100_000_grant():
    paper = compute_compensation(offer_terms(private_offer()))
    adjusted = compute_compensation(offer_terms(private_offer(), risk_adjusted=True))
    # Paper: 100,000 of equity, 25,000 a year; base 150,000 x 4 = 600,000; total 700,000.
    assert paper.split.equity == D("100000.00")
    assert paper.total == D("700000.00")
    # Risk-adjusted: 100,000 x 70% = 70,000, 17,500 a year; 600,000 + 70,000 = 670,000.
    assert adjusted.split.equity == D("70000.00")
    assert [y.equity for y in adjusted.years] == [D("17500.00")] * 4
    assert adjusted.total == D("670000.00")
    # First year 150,000 + 17,500; the recurring average (670,000 / 4) = 167,500.
    assert adjusted.first_year_total == D("167500.00")
    assert adjusted.average_yearly_total == D("167500.00")


def test_refreshers_are_discounted_too():
    offer = private_offer(refresher_value=D("20000"))
    years = compute_compensation(offer_terms(offer, risk_adjusted=True)).years
    # Paper: initial 25,000 a year; refreshers of 20,000 from month 12, each 5,000 a year:
    # 25,000 / 30,000 / 35,000 / 40,000. At 70%: 17,500 / 21,000 / 24,500 / 28,000.
    assert [y.equity for y in years] == [D("17500.00"), D("21000.00"), D("24500.00"),
                                         D("28000.00")]  # fmt: skip
    # By grant in year 4: initial 25,000 x 70% = 17,500; each refresher 5,000 x 70% = 3,500.
    assert years[3].equity_by_grant == (D("17500.00"), D("3500.00"), D("3500.00"), D("3500.00"))


def test_options_are_discounted_on_their_spread():
    offer = private_offer(
        equity_kind="iso",
        equity_grant_value=None,
        equity_shares=D("10000"),
        share_price=D("10"),
        strike_price=D("2.50"),
        illiquidity_discount_percent=D("20"),
    )
    result = compute_compensation(offer_terms(offer, risk_adjusted=True))
    # 10,000 x (10 - 2.50) = 75,000 on paper; x 80% = 60,000.
    assert result.split.equity == D("60000.00")


def test_leaving_early_keeps_the_discounted_value():
    offer = private_offer(vesting_schedule="four_year_cliff_monthly")
    outcome = leave_after(offer_terms(offer, risk_adjusted=True), 12)
    # The cliff vests 25,000; at 70%: 17,500 kept, 75,000 x 70% = 52,500 forfeited.
    assert outcome.vested_equity == D("17500.00")
    assert outcome.forfeited_equity == D("52500.00")
    # Base for 12 months 150,000 + 17,500.
    assert outcome.net == D("167500.00")


def test_paper_value_is_the_default_and_public_equity_is_never_discounted():
    assert offer_terms(private_offer()).equity.value_discount_percent == 0
    public = private_offer(is_private_company=False)
    terms = offer_terms(public, risk_adjusted=True)
    assert terms.equity.value_discount_percent == 0
    assert compute_compensation(terms).split.equity == D("100000.00")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, True),
        ({"is_private_company": False}, False),
        ({"illiquidity_discount_percent": D("0")}, False),
        ({"equity_kind": "none", "equity_grant_value": None}, False),
    ],
)
def test_has_risk_adjustment_only_for_discounted_private_equity(overrides, expected):
    assert has_risk_adjustment(private_offer(**overrides)) is expected


@pytest.mark.parametrize("discount", [D("-1"), D("100.01")])
def test_a_discount_outside_0_to_100_is_refused_naming_the_field(discount):
    with pytest.raises(TermsError) as refused:
        EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("1000"),
            value_discount_percent=discount,
        )
    assert refused.value.field == "value_discount_percent"


def test_a_full_discount_counts_no_equity():
    result = compute_compensation(
        offer_terms(private_offer(illiquidity_discount_percent=D("100")), risk_adjusted=True)
    )
    assert result.split.equity == 0
    assert result.total == D("600000.00")  # base alone


money = st.decimals(min_value=0, max_value=5_000_000, places=2)
percent = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from([EquityKind.RSU, EquityKind.ISO]),
    grant=money,
    refresher=money,
    shares=st.decimals(min_value=0, max_value=1_000_000, places=4),
    price=st.decimals(min_value=0, max_value=1000, places=4),
    strike=st.decimals(min_value=0, max_value=1000, places=4),
    change=st.decimals(min_value=-100, max_value=100, places=2),
    discount=percent,
    preset=st.sampled_from(sorted(VESTING_PRESETS)),
)
def test_risk_adjusted_totals_never_exceed_paper_totals_year_by_year(
    kind, grant, refresher, shares, price, strike, change, discount, preset
):
    def grant_terms(discount_percent: Decimal) -> OfferTerms:
        equity = EquityGrant(
            kind=kind,
            schedule=VESTING_PRESETS[preset],
            total_value=grant if kind == EquityKind.RSU else None,
            shares=shares,
            share_price=price,
            strike_price=strike if kind.is_option else D("0"),
            yearly_price_change_percent=change,
            yearly_refresher_value=refresher,
            illiquid=True,
            value_discount_percent=discount_percent,
        )
        return OfferTerms(currency="USD", base_salary=D("150000"), equity=equity)

    paper = compute_compensation(grant_terms(D("0")))
    adjusted = compute_compensation(grant_terms(discount))
    # Running totals: each grant's vested value is rounded cumulatively, and rounding keeps order,
    # so at the end of every year the risk-adjusted total is at most the paper one. (A single
    # year's figure is a difference of two rounded totals and may differ by a cent either way.)
    for paper_total, adjusted_total in zip(
        paper.cumulative_totals, adjusted.cumulative_totals, strict=True
    ):
        assert adjusted_total <= paper_total
    assert adjusted.split.equity <= paper.split.equity
    for months in (0, 6, 12, 25, 48):
        assert leave_after(grant_terms(discount), months).vested_equity <= (
            leave_after(grant_terms(D("0")), months).vested_equity
        )

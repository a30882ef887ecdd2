"""The employee stock purchase plan (ESPP): its yearly gain, inside benefits and the totals, what
leaving keeps of it, and its terms on the offer and the offer form.

Every expected figure is worked out by hand in the comment next to it.
"""

from decimal import Decimal

import pytest
from crispy_forms.utils import render_crispy_form
from hypothesis import given, settings
from hypothesis import strategies as st

from offers.compensation import (
    EsppPlan,
    OfferTerms,
    TermsError,
    compute_compensation,
    leave_after,
)
from offers.forms import OfferForm
from offers.models import Offer, offer_snapshot
from offers.terms import offer_terms
from tests.factories import OfferFactory, bound_form

D = Decimal


def with_espp(currency: str = "USD", base: str = "200000", **plan) -> OfferTerms:
    plan.setdefault("contribution_percent", D("10"))
    return OfferTerms(currency=currency, base_salary=D(base), espp=EsppPlan(**plan))


def test_a_15_percent_discount_gains_its_share_of_what_the_shares_cost():
    result = compute_compensation(with_espp())
    # 10% of 200,000 = 20,000 buys shares worth 20,000 / 0.85 = 23,529.41; the gain is
    # 20,000 x 0.15 / 0.85 = 3,529.41 a year (two 6-month purchases of 1,764.705... each).
    assert [y.espp for y in result.years] == [D("3529.41")] * 4
    first = result.years[0]
    assert first.benefits == D("3529.41")  # the ESPP is a benefit (no other benefits here)
    assert first.recurring_total == first.total == D("203529.41")
    # 4 x 200,000 + 4 x 3,529.41 = 814,117.64; the split gives the ESPP apart, inside benefits.
    assert result.total == D("814117.64")
    assert (result.split.espp, result.split.benefits) == (D("14117.64"), D("14117.64"))
    assert result.split.total == result.total
    assert result.average_yearly_total == D("203529.41")


def test_without_look_back_the_share_price_changes_nothing():
    # Bought at 0.85 x the price that day: the gain is 0.15 / 0.85 of what is put in, at any price.
    plan = {"share_price": D("40"), "yearly_price_change_percent": D("25")}
    assert compute_compensation(with_espp(**plan)).years[0].espp == D("3529.41")


def test_a_look_back_buys_at_the_offering_start_price_after_a_rise():
    result = compute_compensation(
        with_espp(
            lookback=True, offering_months=12, share_price=D("10"),
            yearly_price_change_percent=D("10"),
        )
    )  # fmt: skip
    # One purchase at month 12: 20,000 buys at 0.85 x 10 (the start's lower price) shares worth
    # 11 each: 20,000 x 1.10 / 0.85 - 20,000 = 25,882.35 - 20,000 = 5,882.35. Each year's
    # offering starts afresh at that year's price, so the gain is the same every year.
    assert [y.espp for y in result.years] == [D("5882.35")] * 4


def test_a_look_back_after_a_fall_buys_at_the_lower_price_on_the_day():
    terms = with_espp(
        contribution_percent=D("5"), lookback=True, offering_months=12, share_price=D("10"),
        yearly_price_change_percent=D("-10"),
    )  # fmt: skip
    # The price at purchase (9) is the lower one: 10,000 in gains the discount alone,
    # 10,000 x 0.15 / 0.85 = 1,764.71 (its 1,307.19 shares are 13,071.90 at the start's 10).
    assert compute_compensation(terms).years[0].espp == D("1764.71")
    # With 10% in, 20,000 / 7.65 = 2,614.38 shares would be 26,143.79 at the start's price, over
    # the 25,000 limit: 2,500 shares are bought, 2,500 x (9 - 7.65) = 3,375.
    more = with_espp(
        lookback=True, offering_months=12, share_price=D("10"), yearly_price_change_percent=D("-10")
    )
    assert compute_compensation(more).years[0].espp == D("3375.00")


def test_a_24_month_offering_looks_back_to_its_start_at_every_6_month_purchase():
    terms = with_espp(
        lookback=True, offering_months=24, share_price=D("10"), yearly_price_change_percent=D("10")
    )
    years = compute_compensation(terms).years
    # Each purchase: 10,000 buys 10,000 / 8.50 = 1,176.470588 shares (0.85 x the start's 10).
    # Month 6 at 10 x 1.1^0.5 = 10.488088: 1,176.470588 x 1.988088 = 2,338.93;
    # month 12 at 11: 1,176.470588 x 2.50 = 2,941.18; year 1 = 5,280.10.
    # Month 18 at 10 x 1.1^1.5 = 11.536897: x 3.036897 = 3,572.82; month 24 at 12.10: x 3.60 =
    # 4,235.29; year 2 = 7,808.11. The next offering starts at 12.10 and repeats both years.
    assert [y.espp for y in years] == [D("5280.10"), D("7808.11"), D("5280.10"), D("7808.11")]


def test_the_25_000_limit_caps_the_stock_bought_in_a_year():
    result = compute_compensation(with_espp(contribution_percent=D("15")))
    # 15% of 200,000 = 30,000 would buy stock worth 30,000 / 0.85 = 35,294.12; at most 25,000
    # of it may be bought a year (the rest is refunded): 25,000 x 0.15 = 3,750.
    assert result.years[0].espp == D("3750.00")


def test_the_limit_is_in_the_offering_start_price():
    terms = with_espp(
        contribution_percent=D("15"), lookback=True, offering_months=12, share_price=D("10"),
        yearly_price_change_percent=D("10"),
    )  # fmt: skip
    # Room for 25,000 / 10 = 2,500 shares (valued at the start's 10), bought at 8.50 and worth 11:
    # 2,500 x (11 - 8.50) = 6,250.
    assert compute_compensation(terms).years[0].espp == D("6250.00")


def test_a_plan_paid_in_another_currency_has_no_dollar_limit():
    offer = espp_offer(currency="EUR", espp_contribution_percent=D("15"))
    assert offer_terms(offer).espp.yearly_limit is None
    # 30,000 x 0.15 / 0.85 = 5,294.12, uncapped.
    assert compute_compensation(offer_terms(offer)).years[0].espp == D("5294.12")


def test_contributions_follow_the_raise():
    terms = OfferTerms(
        currency="USD", base_salary=D("200000"), yearly_raise_percent=D("5"),
        espp=EsppPlan(contribution_percent=D("10")),
    )  # fmt: skip
    # Year 2: base 210,000, 21,000 in (worth 24,705.88, under the limit),
    # 21,000 x 0.15 / 0.85 = 3,705.88.
    assert compute_compensation(terms).years[1].espp == D("3705.88")


def test_no_discount_no_gain():
    assert compute_compensation(with_espp(discount_percent=D("0"))).split.espp == 0


def test_leaving_keeps_the_gain_of_the_purchases_made():
    # 6 months: one purchase of 10,000, gain 10,000 x 0.15 / 0.85 = 1,764.71; base 100,000.
    six = leave_after(with_espp(), 6)
    assert six.espp_gain == D("1764.71")
    assert six.net == D("101764.71")
    # 5 months: nothing bought yet (the contributions are refunded).
    assert leave_after(with_espp(), 5).espp_gain == 0
    # 12 months: the first year's total, 203,529.41.
    assert leave_after(with_espp(), 12).net == D("203529.41")


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        ({"contribution_percent": D("15.01")}, "espp_contribution_percent"),
        ({"discount_percent": D("20")}, "espp_discount_percent"),
        ({"offering_months": 3}, "espp_offering_months"),
    ],
)
def test_terms_the_engine_refuses_name_their_field(plan, field):
    with pytest.raises(TermsError) as refused:
        with_espp(**plan)
    assert refused.value.field == field


@settings(max_examples=150, deadline=None)
@given(
    base=st.decimals(min_value=1, max_value=2_000_000, places=2),
    contribution=st.decimals(min_value=0, max_value=15, places=2),
    discount=st.decimals(min_value=0, max_value=15, places=2),
    lookback=st.booleans(),
    months=st.sampled_from([6, 12, 24]),
    price=st.none() | st.decimals(min_value=0, max_value=1000, places=4),
    change=st.decimals(min_value=-100, max_value=100, places=2),
)
def test_an_espp_never_loses_and_without_look_back_gains_at_most_the_discount(
    base, contribution, discount, lookback, months, price, change
):
    plan = EsppPlan(
        contribution_percent=contribution, discount_percent=discount, lookback=lookback,
        offering_months=months, share_price=price, yearly_price_change_percent=change,
    )  # fmt: skip
    years = compute_compensation(OfferTerms(currency="USD", base_salary=base, espp=plan)).years
    plain = compute_compensation(OfferTerms(currency="USD", base_salary=base)).years
    for year, without in zip(years, plain, strict=True):
        assert year.espp >= 0
        # Everything else is as it is without an ESPP.
        assert year.total - year.espp == without.total
        if not lookback:
            # At most what the year's contribution gains at the discount (a cent for rounding).
            bound = year.base * contribution / 100 * discount / (100 - discount)
            assert year.espp <= bound + Decimal("0.01")


# --- The offer and its form ------------------------------------------------------------------


def espp_offer(**overrides) -> Offer:
    fields = {
        "currency": "USD",
        "base_salary": D("200000"),
        "espp_contribution_percent": D("10"),
    } | overrides
    return Offer(**fields)


def test_an_offer_without_a_contribution_has_no_espp():
    terms = offer_terms(Offer(currency="USD", base_salary=D("200000")))
    assert terms.espp is None
    assert compute_compensation(terms).years[0].espp == 0


def test_an_offer_prices_its_espp_with_its_share_price():
    offer = espp_offer(
        equity_kind="rsu", equity_shares=D("1000"), share_price=D("10"),
        share_price_change_percent=D("10"), espp_lookback=True, espp_offering_months=12,
    )  # fmt: skip
    plan = offer_terms(offer).espp
    # A new offer's discount is 15% unless the letter says otherwise.
    assert plan == EsppPlan(
        contribution_percent=D("10"), discount_percent=D("15"), lookback=True,
        offering_months=12, share_price=D("10"), yearly_price_change_percent=D("10"),
        yearly_limit=D("25000"),
    )  # fmt: skip
    # 20,000 x 1.10 / 0.85 - 20,000, as above.
    assert compute_compensation(offer_terms(offer)).years[0].espp == D("5882.35")


def test_a_round_keeps_the_espp_terms():
    snapshot = offer_snapshot(espp_offer(espp_lookback=True))
    assert snapshot["espp_contribution_percent"] == "10"
    assert snapshot["espp_lookback"] is True
    assert snapshot["espp_offering_months"] == 6


pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_the_form_saves_an_espp():
    form = bound_form(
        OfferFactory(),
        espp_contribution_percent="10",
        espp_discount_percent="10",
        espp_lookback="on",
        espp_offering_months="24",
    )
    assert form.is_valid(), form.errors
    offer = form.save()
    assert (offer.espp_contribution_percent, offer.espp_discount_percent) == (D("10"), D("10"))
    assert (offer.espp_lookback, offer.espp_offering_months) == (True, 24)


@pytestmark_db
def test_a_form_sent_without_espp_terms_saves_none():
    form = bound_form(
        OfferFactory(),
        espp_contribution_percent=None,
        espp_discount_percent=None,
        espp_offering_months=None,
    )
    assert form.is_valid(), form.errors
    offer = form.save()
    assert offer.espp_contribution_percent == 0
    assert (offer.espp_discount_percent, offer.espp_offering_months) == (D("15"), 6)


@pytestmark_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("espp_contribution_percent", "20", "An ESPP contribution is between 0% and 15%."),
        ("espp_discount_percent", "16", "Ensure this value is less than or equal to 15."),
        ("espp_offering_months", "3", "Select a valid choice. 3 is not one of the available choices."),
    ],
)  # fmt: skip
def test_the_form_refuses_espp_terms_beside_the_field(field, value, message):
    form = bound_form(OfferFactory(), **{field: value})
    assert not form.is_valid()
    assert message in form.errors[field]


@pytestmark_db
def test_the_form_has_an_espp_fieldset():
    html = render_crispy_form(OfferForm(instance=OfferFactory()))
    assert "<legend>ESPP</legend>" in html
    assert 'name="espp_contribution_percent"' in html

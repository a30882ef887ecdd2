"""The bridge from a saved offer to the engine, and the server-rendered offer charts."""

import datetime
import importlib
from decimal import Decimal

import pytest

from offers.charts import cumulative_chart, year_by_year_chart
from offers.compensation import compute_compensation, discounted_equity, leave_after
from offers.models import Offer, offer_snapshot
from offers.terms import months_between, offer_terms, parse_percentages
from tests.factories import OfferFactory, RoundFactory


def reference_offer(**overrides) -> Offer:
    fields = {
        "currency": "USD",
        "base_salary": Decimal("165000"),
        "bonus_type": "percent",
        "bonus_percent": Decimal("15"),
        "sign_on_year1": Decimal("30000"),
        "equity_kind": "rsu",
        "equity_grant_value": Decimal("200000"),
        "vesting_schedule": "back_loaded_5_15_40_40",
        "retirement_match_percent": Decimal("6"),
        "retirement_match_rate_percent": Decimal("50"),
    }
    fields.update(overrides)
    return Offer(**fields)


def test_reference_offer_through_the_engine():
    result = compute_compensation(offer_terms(reference_offer()))
    assert [y.total for y in result.years] == [
        Decimal("234700.00"), Decimal("224700.00"), Decimal("274700.00"), Decimal("274700.00")
    ]  # fmt: skip


def test_a_bonus_type_of_none_ignores_stale_amounts():
    result = compute_compensation(offer_terms(reference_offer(bonus_type="none")))
    assert result.years[0].bonus == 0


def test_custom_schedule_with_cliff():
    offer = reference_offer(vesting_schedule="custom", custom_vesting_percentages="10/20/30/40",
                            custom_vesting_cliff=True)  # fmt: skip
    years = compute_compensation(offer_terms(offer)).years
    # 200,000 × 10%, 20%, 30%, 40%
    assert [y.equity for y in years] == [Decimal("20000.00"), Decimal("40000.00"),
                                         Decimal("60000.00"), Decimal("80000.00")]  # fmt: skip


def test_vesting_start_after_the_start_date_shifts_the_cliff():
    offer = reference_offer(
        vesting_schedule="four_year_cliff_monthly",
        start_date=datetime.date(2026, 1, 15),
        vesting_start_date=datetime.date(2026, 7, 15),
    )
    terms = offer_terms(offer)
    assert terms.equity.vesting_start_months == 6
    years = compute_compensation(terms).years
    # The cliff falls at month 18, in year 2: 50,000 at the cliff + 6 × 4,166.67 monthly.
    assert years[0].equity == 0
    assert years[1].equity == Decimal("75000.00")


def test_other_perks_are_counted_each_year():
    offer = reference_offer(learning_budget=Decimal("2000"),
                            other_perks=[{"name": "Commuter pass", "amount": "1200"}])  # fmt: skip
    assert compute_compensation(offer_terms(offer)).years[0].perks == Decimal("3200.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25, 25, 25, 25", (25, 25, 25, 25)),
        ("5/15/40/40", (5, 15, 40, 40)),
        ("33%;33%;34%", (33, 33, 34)),
    ],
)
def test_parse_percentages(text, expected):
    assert parse_percentages(text) == tuple(Decimal(v) for v in expected)


@pytest.mark.parametrize(
    ("start", "later", "months"),
    [
        ((2026, 1, 15), (2026, 7, 15), 6),
        ((2026, 1, 31), (2026, 2, 28), 0),
        ((2026, 3, 1), (2026, 1, 1), 0),
    ],
)
def test_months_between(start, later, months):
    assert months_between(datetime.date(*start), datetime.date(*later)) == months


def test_discounted_equity_keeps_the_raw_number():
    result = compute_compensation(offer_terms(reference_offer()))
    # 200,000 over four years, less 30% = 140,000
    assert discounted_equity(result, Decimal("30")) == Decimal("140000.00")
    assert result.split.equity == Decimal("200000.00")
    with pytest.raises(ValueError):
        discounted_equity(result, Decimal("130"))


def test_year_chart_is_accessible_svg_without_inline_styles():
    svg = str(year_by_year_chart(compute_compensation(offer_terms(reference_offer()))))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "year 1 234,700" in svg and "year 4 274,700" in svg
    assert "style=" not in svg


def test_cumulative_chart_escapes_names():
    svg = str(cumulative_chart([("<b>Acme</b>", [Decimal(1), Decimal(2)])], "USD"))
    assert "<b>" not in svg and "&lt;b&gt;Acme" in svg


@pytest.mark.parametrize(("clawback", "owed"), [("full", "30000"), ("pro_rata", "20000")])
def test_the_offer_says_how_a_sign_on_is_repaid(clawback, owed):
    offer = reference_offer(clawback_months=12, sign_on_clawback=clawback)
    # Leaving after 4 of 12 months: all 30,000 in full; 30,000 x 8/12 = 20,000 pro rata.
    assert leave_after(offer_terms(offer), 4).sign_on_repayment == Decimal(owed)


@pytest.mark.django_db
def test_a_round_keeps_how_the_sign_on_is_repaid():
    offer = OfferFactory(sign_on_clawback="pro_rata", clawback_months=12)
    assert offer_snapshot(offer)["sign_on_clawback"] == "pro_rata"
    version = RoundFactory(offer=offer, number=1, label="Original offer")
    offer.sign_on_clawback = "full"
    offer.save()
    assert not version.matches(offer)
    assert version.as_offer().sign_on_clawback == "pro_rata"
    # 30,000 x 8/12 = 20,000 when the round's terms are read.
    assert leave_after(offer_terms(version.as_offer()), 4).sign_on_repayment == Decimal("20000")


@pytest.mark.django_db
def test_rounds_saved_before_the_choice_read_as_repaid_in_full():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("offers.migrations.0006_rounds_keep_full_clawback")
    # The models as that migration knew them (the round was still called OfferVersion).
    apps = (
        MigrationLoader(connection).project_state(("offers", "0006_rounds_keep_full_clawback")).apps
    )
    old = RoundFactory(number=1, label="Original offer")
    old.snapshot = {k: v for k, v in old.snapshot.items() if k != "sign_on_clawback"}
    old.save()
    newer = RoundFactory(number=1, label="Original offer")
    newer.snapshot = newer.snapshot | {"sign_on_clawback": "pro_rata"}
    newer.save()
    migration.snapshots_say_full(apps, None)
    old.refresh_from_db()
    newer.refresh_from_db()
    assert old.snapshot["sign_on_clawback"] == "full"
    assert newer.snapshot["sign_on_clawback"] == "pro_rata"  # a choice made is kept


def test_the_offer_names_the_engines_equity_kinds_and_options_are_the_engines_options():
    from offers.compensation import EquityKind

    assert Offer.EquityKind is EquityKind
    choices = dict(Offer._meta.get_field("equity_kind").choices)
    assert list(choices) == ["none", "rsu", "iso", "nso"]
    assert choices["rsu"] == "RSUs (restricted stock units)"
    for kind in EquityKind:
        assert Offer(equity_kind=kind.value).has_options is kind.is_option
    assert [k for k in EquityKind if k.is_option] == ["iso", "nso"]


def test_targets_put_on_an_offer_are_worth_what_negotiate_shows_for_them():
    from offers.negotiation import CounterTargets, counter_result
    from offers.terms import offer_with_targets

    offer = OfferFactory.build(equity_kind="none", equity_grant_value=None)
    targets = CounterTargets(
        base_salary=Decimal("190000"),
        sign_on_year1=Decimal("40000"),
        equity_grant_value=Decimal("100000"),
        bonus_percent=Decimal("20"),
    )
    shown = counter_result(offer_terms(offer), targets)
    saved = offer_with_targets(offer.unsaved_copy(), targets)
    # A first grant is set up as Negotiate sets it up: RSUs, 4 years with a 1-year cliff.
    assert (saved.equity_kind, saved.vesting_schedule) == ("rsu", "four_year_cliff_monthly")
    assert (saved.bonus_type, saved.bonus_percent) == ("percent", Decimal("20"))
    assert compute_compensation(offer_terms(saved)) == shown
    # Year 1: 190,000 + 20% bonus 38,000 + sign-on 40,000 + match 3% 5,700 = 273,700, and the
    # cliff vests 25% of 100,000 = 25,000: 298,700.
    assert shown.first_year_total == Decimal("298700.00")


def test_an_option_target_is_asked_for_in_shares():
    from offers.negotiation import CounterTargets
    from offers.terms import offer_with_targets

    offer = OfferFactory.build(
        equity_kind="iso",
        equity_grant_value=None,
        equity_shares=Decimal("10000"),
        share_price=Decimal("20"),
        strike_price=Decimal("5"),
    )
    # Spread 20 − 5 = 15 a share, 150,000 in all; 180,000 is 180,000 / 15 = 12,000 shares.
    targets = CounterTargets(
        base_salary=Decimal("165000"),
        sign_on_year1=Decimal("30000"),
        equity_grant_value=Decimal("180000"),
        bonus_percent=Decimal("15"),
    )
    saved = offer_with_targets(offer, targets)
    assert saved.equity_shares == Decimal("12000.0000")
    assert saved.equity_grant_value is None

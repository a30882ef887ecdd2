"""Verdicts, counter-offer targets, recomputed totals, words and rounds (offers.negotiation):
pure, no database."""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.money import format_money
from benchmarks.percentiles import BandPosition, place_in_band
from offers import negotiate_views
from offers.comparison import grant_value
from offers.compensation import (
    VESTING_PRESETS,
    EquityGrant,
    EquityKind,
    OfferTerms,
    compute_compensation,
)
from offers.counter_reasons import sentence
from offers.negotiation import (
    Competitor,
    CounterTargets,
    Verdict,
    adjusted_counter,
    apply_targets,
    counter_result,
    counter_words,
    halfway_ask,
    market_verdict,
    point_between_median_and_75th,
    round_up,
    suggest_after_answer,
    suggest_counter,
    verdict_for,
)
from offers.rounds import changes_between, negotiation_rounds


@dataclass(frozen=True)
class Band:
    percentiles: dict = field(default_factory=dict)
    currency: str = "USD"
    label: str = "Technical Product Manager, Senior, Seattle"
    confidence: str = "derived"
    typical_error: D | None = D("6.30")

    def position(self, amount):
        return place_in_band(amount, self.percentiles)


# The Seattle band of the offer-page tests: national 130,000 · 155,000 · 180,000 × 1.2.
SEATTLE = Band({10: None, 25: D("156000"), 50: D("186000"), 75: D("216000"), 90: None})


def northwind(**changes) -> OfferTerms:
    values = {
        "currency": "USD",
        "base_salary": D("165000"),
        "bonus_percent": D("15"),
        "sign_on_year1": D("30000"),
        "equity": EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["back_loaded_5_15_40_40"],
            total_value=D("200000"),
        ),
        "retirement_match_share_percent": D("6"),
        "retirement_match_rate_percent": D("50"),
    } | changes
    return OfferTerms(**values)


def competitor(name="Contoso", **changes) -> Competitor:
    values = {
        "currency": "USD",
        "base_salary": D("200000"),
        "equity": EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("200000"),
        ),
    } | changes
    terms = OfferTerms(**values)
    return Competitor(name, terms, compute_compensation(terms))


def suggest(terms, band=SEATTLE, competitors=(), total_band=None):
    result = compute_compensation(terms)
    position = band.position(terms.base_salary) if band else None
    return suggest_counter(terms, result, band, position, competitors, total_band)


def lines(counter):
    return {line.key: line for line in counter.lines}


# --- Verdict ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "verdict"),
    [
        (BandPosition(D("39.9"), None, None, ""), Verdict.BELOW_MARKET),
        (BandPosition(D("40"), None, None, ""), Verdict.FAIR),
        (BandPosition(D("64.9"), None, None, ""), Verdict.FAIR),
        (BandPosition(D("65"), None, None, ""), Verdict.STRONG),
        (BandPosition(None, 25, None, ""), Verdict.BELOW_MARKET),
        (BandPosition(None, None, 75, ""), Verdict.STRONG),
        (BandPosition(None, None, None, ""), Verdict.UNKNOWN),
        (None, Verdict.UNKNOWN),
    ],
)
def test_verdict_thresholds(position, verdict):
    assert verdict_for(position) == verdict


def test_market_verdict_carries_the_band_confidence():
    # 165,000 in Seattle: 25 + 25 × (165,000 − 156,000) / 30,000 = 32.5 → below market.
    verdict = market_verdict("Base salary", SEATTLE.position(D("165000")), SEATTLE)
    assert verdict.verdict == Verdict.BELOW_MARKET
    assert verdict.position == "32nd percentile"
    assert verdict.confidence == "derived"
    assert market_verdict("Average yearly total", None, None).verdict == Verdict.UNKNOWN


# --- Targets ---------------------------------------------------------------------------------


def test_base_target_is_the_60th_percentile_rounded_up():
    # 186,000 + (216,000 − 186,000) × 10/25 = 198,000.
    assert point_between_median_and_75th(SEATTLE, 60) == D("198000")
    assert round_up(D("197000.01")) == D("198000")
    assert round_up(D("198000")) == D("198000")
    counter = suggest(northwind())
    base = lines(counter)["base"]
    assert (base.current, base.target) == (D("165000"), D("198000"))
    assert "60th percentile" in base.reason and "32nd percentile" in base.reason
    # Nothing to leverage: bonus, sign-on and equity stay.
    assert lines(counter)["bonus"].target == D("15")
    assert lines(counter)["sign_on"].target == D("30000")
    assert lines(counter)["equity"].target == D("200000")
    assert [line.key for line in counter.asks] == ["base"]


def test_a_market_ask_is_held_to_a_quarter_above_todays_base_in_one_round():
    # Band 60th: 186,000 + (216,000 − 186,000) × 10/25 = 198,000. Today's base 120,000:
    # the ask is held to 120,000 × 1.25 = 150,000, and nothing is pushed into sign-on.
    counter = suggest(northwind(base_salary=D("120000")))
    base = lines(counter)["base"]
    assert base.target == D("150000")
    # 120,000 × 1.25 is a round 150,000: nothing rounded, so the reason says no rounding.
    assert base.reason == (
        "The band's 60th percentile is $198,000 (this offer: below the 25th percentile); one "
        "round asks at most +25% of today's base, $120,000: $150,000."
    )
    assert lines(counter)["sign_on"].target == D("30000")


# A band whose 60th percentile is not a round number: 280,000 + (322,543 − 280,000) × 10/25
# = 280,000 + 17,017.2 = 297,017.2.
UNEVEN = Band({25: D("250000"), 50: D("280000"), 75: D("322543")})


def test_a_held_ask_says_it_was_rounded_up_to_the_next_thousand():
    # 165,000 × 1.25 = 206,250, rounded up to 207,000 (+25.45%): the reason says both steps.
    base = lines(suggest(northwind(), band=UNEVEN))["base"]
    assert base.target == D("207000")
    assert base.reason == (
        "The band's 60th percentile is $297,017 (this offer: below the 25th percentile); one "
        "round asks at most +25% of today's base, $165,000, rounded up to the next $1,000: "
        "$207,000."
    )


def test_a_band_point_asked_in_round_thousands_says_the_exact_point_and_the_rounding():
    # 297,017.2 rounds up to 298,000; today's 240,000 × 1.25 = 300,000 does not hold it back.
    # 240,000 is under the band's 25th (250,000).
    base = lines(suggest(northwind(base_salary=D("240000")), band=UNEVEN))["base"]
    assert base.target == D("298000")
    assert base.reason == (
        "The band's 60th percentile, between the median and the 75th: $297,017, rounded up "
        "to $298,000 (this offer: below the 25th percentile)."
    )


def test_reasons_are_formatted_in_the_offers_currency():
    london = Band({25: D("90000"), 50: D("100000"), 75: D("110000")}, currency="GBP")
    # 60th: 100,000 + 10,000 × 10/25 = 104,000; today's 100,000 × 1.25 = 125,000 holds nothing.
    base = lines(suggest(northwind(currency="GBP", base_salary=D("100000")), band=london))["base"]
    assert base.target == D("104000")
    assert base.reason == (
        "The band's 60th percentile, between the median and the 75th: £104,000 "
        "(this offer: at the 50th percentile)."
    )


def test_a_competing_base_is_not_held_back_by_the_one_round_limit():
    counter = suggest(northwind(base_salary=D("120000")), competitors=[competitor()])
    # Contoso's 200,000 base is real leverage, but base asks stop at the band's 75th
    # (216,000), so the target is 200,000.
    assert lines(counter)["base"].target == D("200000")


def test_new_totals_are_recomputed_by_the_engine():
    counter = suggest(northwind())
    # Base 198,000: bonus 15% = 29,700, match 6% × 50% = 5,940.
    # Year 1: 198,000 + 29,700 + 30,000 + 10,000 + 5,940 = 273,640 (was 234,700: +38,940).
    assert counter.counter.first_year_total == D("273640")
    assert counter.first_year_increase == D("38940")
    # Recurring: 243,640 · 263,640 · 313,640 · 313,640 → average 283,640 (was 244,700).
    assert counter.counter.average_yearly_total == D("283640")
    assert counter.average_yearly_increase == D("38940")


def test_a_competing_base_above_the_market_ask_leads_the_base_target():
    counter = suggest(northwind(), competitors=[competitor()])
    base = lines(counter)["base"]
    assert base.target == D("200000")
    assert base.reason == "Contoso offers a base of $200,000."


def test_base_above_the_75th_moves_to_sign_on_as_one_time():
    counter = suggest(northwind(), competitors=[competitor(base_salary=D("230000"))])
    # Desired 230,000, capped at the 75th (216,000): 14,000 goes to sign-on, 30,000 + 14,000.
    assert lines(counter)["base"].target == D("216000")
    assert "Capped at the band's 75th percentile ($216,000)" in lines(counter)["base"].reason
    sign_on = lines(counter)["sign_on"]
    assert sign_on.one_time
    assert sign_on.target == D("44000")
    assert "$14,000 of base above the band's 75th percentile" in sign_on.reason


def test_base_already_capped_keeps_base_and_asks_the_total_gap_as_sign_on():
    terms = OfferTerms(currency="USD", base_salary=D("220000"))
    total_band = Band({25: D("260000"), 50: D("300000"), 75: D("340000")})
    counter = suggest(terms, total_band=total_band)
    base = lines(counter)["base"]
    assert base.target == D("220000")
    assert base.reason.startswith("Already at or above the 75th percentile ($216,000)")
    # Total band 60th: 300,000 + 40,000 × 10/25 = 316,000; average 220,000 → 96,000 once.
    assert lines(counter)["sign_on"].target == D("96000")


def test_bonus_and_equity_match_a_stronger_competitor_by_name():
    rival = competitor(
        "Fabrikam",
        bonus_percent=D("20"),
        sign_on_year1=D("40000"),
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("240000"),
            illiquid=True,
        ),
    )
    targets = lines(suggest(northwind(), competitors=[rival]))
    # Fabrikam's bonus: 20% × 200,000 = 40,000; on our target base 200,000 that is 20%.
    assert targets["bonus"].target == D("20")
    assert targets["bonus"].reason == "Fabrikam's target bonus is $40,000 a year."
    assert targets["sign_on"].target == D("40000")
    assert targets["sign_on"].reason == "Fabrikam pays a sign-on of $40,000."
    assert targets["equity"].target == D("240000")
    assert targets["equity"].reason == (
        "Fabrikam grants $240,000 in equity (private shares, illiquid) against your $200,000."
    )


def test_a_competing_bonus_above_the_whole_base_is_capped_at_100_percent():
    # 90,000 at 10% beside 120,000 with a fixed bonus of 150,000.
    terms = OfferTerms(currency="USD", base_salary=D("90000"), bonus_percent=D("10"))
    rival = competitor("Contoso", base_salary=D("120000"), bonus_fixed=D("150000"), equity=None)
    counter = suggest(terms, competitors=[rival])
    targets = lines(counter)
    # Base: the band's 60th (198,000) is held to +25% (113,000); Contoso's 120,000 is more.
    assert targets["base"].target == D("120000")
    # 150,000 on a base of 120,000 would be 125%: held to 100%, 120,000.
    assert targets["bonus"].target == D("100")
    assert targets["bonus"].reason == (
        "Contoso's target bonus is $150,000 a year; capped at 100% of base."
    )
    # Year 1 now: 90,000 + 9,000 = 99,000; asked: 120,000 + 120,000 = 240,000.
    assert counter.current.first_year_total == D("99000")
    assert counter.counter.first_year_total == D("240000")


def test_a_competing_bonus_and_grant_that_are_not_round_say_how_they_were_rounded():
    # Contoso's base 150,000 is under the band's 198,000, so base asks 198,000. Its bonus
    # 30,000 on 198,000 is 15.1515…%, shown 15.15%, rounded up to the next 0.5%: 15.5%.
    rival = competitor(
        base_salary=D("150000"),
        bonus_fixed=D("30000"),
        equity=EquityGrant(
            kind=EquityKind.RSU,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            total_value=D("240500"),
        ),
    )
    targets = lines(suggest(northwind(), competitors=[rival]))
    assert targets["base"].target == D("198000")
    assert targets["bonus"].target == D("15.5")
    assert targets["bonus"].reason == (
        "Contoso's target bonus is $30,000 a year: 15.15% of the asked base of $198,000, "
        "rounded up to the next 0.5%: 15.5%."
    )
    # 240,500 rounds up to 241,000.
    assert targets["equity"].target == D("241000")
    assert targets["equity"].reason == (
        "Contoso grants $240,500 in equity against your $200,000, rounded up to $241,000."
    )


def test_a_competing_bonus_the_asked_base_already_carries_is_kept_and_says_so():
    # Today 15% of 165,000 = 24,750 < Contoso's 28,000; but base asks 198,000, and 28,000 on
    # 198,000 is 14.14%, under today's 15%, which pays 198,000 × 15% = 29,700 there.
    rival = competitor(base_salary=D("150000"), bonus_fixed=D("28000"), equity=None)
    bonus = lines(suggest(northwind(), competitors=[rival]))["bonus"]
    assert bonus.target == D("15")
    assert bonus.reason == (
        "Contoso's target bonus is $28,000 a year; your 15% of the asked base of $198,000 "
        "already pays $29,700: keep it."
    )


def test_a_capped_base_asks_the_total_gap_with_its_real_figures():
    terms = OfferTerms(currency="USD", base_salary=D("220000"))
    # 60th of total pay: 300,000 + 38,500 × 10/25 = 315,400; average 220,000: 95,400 under,
    # asked as 96,000.
    total_band = Band({25: D("260000"), 50: D("300000"), 75: D("338500")})
    sign_on = lines(suggest(terms, total_band=total_band))["sign_on"]
    assert sign_on.target == D("96000")
    assert sign_on.reason == (
        "Base is capped; the average yearly total, $220,000, is $95,400 under the 60th "
        "percentile of total pay ($315,400): asked once, rounded up to $96,000."
    )


def test_without_a_band_base_stays_and_says_why():
    counter = suggest(northwind(), band=None)
    assert lines(counter)["base"].target == D("165000")
    assert "No market band" in lines(counter)["base"].reason
    assert counter.asks == ()


def test_adjusted_targets_recompute_and_mark_own_targets():
    terms = northwind()
    suggested = suggest(terms)
    targets = CounterTargets(
        base_salary=D("190000"),
        sign_on_year1=D("30000"),
        equity_grant_value=D("200000"),
        bonus_percent=D("15"),
    )
    adjusted = adjusted_counter(suggested, terms, targets)
    assert lines(adjusted)["base"].reason == "Your own target."
    assert lines(adjusted)["sign_on"].reason == lines(suggested)["sign_on"].reason
    # 190,000 + 28,500 + 30,000 + 10,000 + 5,700 = 264,200.
    assert adjusted.counter.first_year_total == D("264200")


def test_negative_or_contradictory_targets_are_refused():
    with pytest.raises(ValueError, match="negative"):
        CounterTargets(D("-1"), D("0"), D("0"))
    with pytest.raises(ValueError, match="negative"):
        CounterTargets(D("1"), D("0"), D("0"), bonus_fixed=D("-5"))
    with pytest.raises(ValueError, match="not both"):
        CounterTargets(D("1"), D("0"), D("0"), bonus_percent=D("5"), bonus_fixed=D("5"))


# --- After the company's answer -------------------------------------------------------------


def test_after_their_answer_each_component_meets_it_halfway_to_the_last_ask():
    answer = northwind(base_salary=D("185000"))
    last_ask = northwind(base_salary=D("210000"), sign_on_year1=D("40000"))
    counter = suggest_after_answer(answer, compute_compensation(answer), last_ask)
    targets = lines(counter)
    # Base: (185,000 + 210,000) / 2 = 197,500, rounded up to 198,000.
    assert (targets["base"].current, targets["base"].target) == (D("185000"), D("198000"))
    assert targets["base"].reason == (
        "They answered $185,000 to your ask of $210,000; meeting halfway is $197,500, "
        "rounded up to $198,000."
    )
    # Sign-on: (30,000 + 40,000) / 2 = 35,000, already round.
    assert targets["sign_on"].target == D("35000")
    assert targets["sign_on"].reason == (
        "They answered $30,000 to your ask of $40,000; meeting halfway is $35,000."
    )
    # Bonus and equity were asked as they are: kept.
    assert targets["bonus"].target == D("15")
    assert targets["bonus"].reason == "They answered 15%, what you asked: keep it."
    assert targets["equity"].reason == "They answered $200,000, what you asked: keep it."
    # Now (their answer): 185,000 + 27,750 + 30,000 + 10,000 + 5,550 = 258,300.
    # Asked: 198,000 + 29,700 + 35,000 + 10,000 + 5,940 = 278,640 (+20,340).
    assert counter.current.first_year_total == D("258300")
    assert counter.counter.first_year_total == D("278640")
    assert counter.first_year_increase == D("20340")
    email = email_draft("Northwind", "Senior TPM", counter, SEATTLE, after_answer=True)
    assert "Thank you for coming back to me on the Senior TPM offer." in email
    assert "Thank you for the offer to join" not in email
    assert "- Base salary: $198,000 (currently $185,000)" in email
    assert "- Sign-on bonus (one-time): $35,000 (currently $30,000)" in email


def test_a_bonus_asked_in_the_other_form_is_compared_in_their_answers_form():
    answer = northwind(base_salary=D("185000"), bonus_percent=None, bonus_fixed=D("20000"))
    last_ask = northwind(base_salary=D("210000"))  # 15% of 210,000 = 31,500
    bonus = lines(suggest_after_answer(answer, compute_compensation(answer), last_ask))["bonus"]
    # (20,000 + 31,500) / 2 = 25,750, rounded up to 26,000.
    assert (bonus.is_percent, bonus.target) == (False, D("26000"))
    assert bonus.reason == (
        "They answered $20,000 to your ask of $31,500; meeting halfway is $25,750, "
        "rounded up to $26,000."
    )
    # The other way round: 33,000 asked on 220,000 is 15%; (10 + 15) / 2 = 12.5%.
    answer = northwind(bonus_percent=D("10"))
    last_ask = northwind(base_salary=D("220000"), bonus_percent=None, bonus_fixed=D("33000"))
    bonus = lines(suggest_after_answer(answer, compute_compensation(answer), last_ask))["bonus"]
    assert (bonus.is_percent, bonus.target) == (True, D("12.5"))


def test_halfway_never_asks_past_the_last_ask_and_keeps_what_they_gave_beyond_it():
    # (186,000 + 186,500) / 2 = 186,250 → 187,000 would pass the ask: held to 186,500.
    assert halfway_ask(D("186000"), D("186500"), D("1000")).target == D("186500")
    kept = halfway_ask(D("200000"), D("190000"), D("1000"))
    assert kept.target == D("200000")
    assert sentence(kept.reasons[0], "EUR") == (
        "They answered €200,000, more than your ask of €190,000: keep it."
    )
    # A bonus percentage: (15 + 17.25) / 2 = 16.125 → 16.5.
    bonus = halfway_ask(D("15"), D("17.25"), D("0.5"), percent=True)
    assert bonus.target == D("16.5")
    assert sentence(bonus.reasons[0], "USD") == (
        "They answered 15% to your ask of 17.25%; meeting halfway is 16.125%, rounded up to 16.5%."
    )


# --- Applying targets to terms ---------------------------------------------------------------


def test_apply_targets_to_each_kind_of_equity():
    no_equity = OfferTerms(currency="USD", base_salary=D("100000"))
    with_grant = apply_targets(no_equity, CounterTargets(D("100000"), D("0"), D("40000")))
    # A new RSU grant, 4 years with a 1-year cliff: 25% = 10,000 in year 1.
    assert with_grant.equity.kind == EquityKind.RSU
    assert compute_compensation(with_grant).years[0].equity == D("10000")

    options = OfferTerms(
        currency="USD",
        base_salary=D("100000"),
        equity=EquityGrant(
            kind=EquityKind.ISO,
            schedule=VESTING_PRESETS["four_year_quarterly"],
            shares=D("1000"),
            share_price=D("30"),
            strike_price=D("10"),
        ),
    )
    # Spread 1,000 × 20 = 20,000; a 30,000 target is 1,500 shares.
    scaled = apply_targets(options, CounterTargets(D("100000"), D("0"), D("30000")))
    assert scaled.equity.shares == D("1500")
    assert grant_value(scaled.equity) == D("30000")


def test_bonus_target_as_a_fixed_amount_replaces_the_percentage():
    terms = apply_targets(
        northwind(), CounterTargets(D("165000"), D("30000"), D("200000"), bonus_fixed=D("30000"))
    )
    assert (terms.bonus_percent, terms.bonus_fixed) == (None, D("30000"))


amounts = st.decimals(min_value=1, max_value=400_000, places=0)


@settings(max_examples=60, deadline=None)
@given(base=amounts, sign_on=st.decimals(min_value=0, max_value=100_000, places=0))
def test_targets_never_go_down_and_base_stays_within_the_cap(base, sign_on):
    terms = northwind(base_salary=base, sign_on_year1=sign_on)
    counter = suggest(terms)
    for line in counter.lines:
        assert line.target >= line.current
    base_target = lines(counter)["base"].target
    assert base_target <= max(base, D("216000"))
    assert base_target == base or base_target % 1000 == 0
    assert counter.counter == counter_result(terms, counter.targets)


@settings(max_examples=60, deadline=None)
@given(base=amounts)
def test_a_raised_base_names_the_figure_it_asks_and_the_real_band_point(base):
    counter = suggest(northwind(base_salary=base), band=UNEVEN)
    line = lines(counter)["base"]
    if line.target > base:
        # The reason ends on the figure asked, and quotes the 60th percentile as it is
        # (297,017.2 shown $297,017), never the rounded ask in its place.
        assert line.reason.endswith(f"{format_money(line.target, 'USD')}.") or (
            f"rounded up to {format_money(line.target, 'USD')}" in line.reason
        )
        assert "$297,017" in line.reason


@settings(max_examples=40, deadline=None)
@given(base=amounts)
def test_current_values_as_targets_change_nothing(base):
    terms = northwind(base_salary=base)
    same = CounterTargets(
        base_salary=base,
        sign_on_year1=terms.sign_on_year1,
        equity_grant_value=grant_value(terms.equity),
        bonus_percent=terms.bonus_percent,
    )
    assert counter_result(terms, same) == compute_compensation(terms)


# --- Words -----------------------------------------------------------------------------------
# The words live in templates, fed the figures `counter_words` gathers: these read them as the
# page shows them.


def talking_points(company, counter, verdicts, band) -> tuple[str, ...]:
    """The talking points' list items, as text."""
    words = counter_words(company, "", counter, verdicts, band)
    page = render_to_string("offers/_talking_points.html", {"words": words})
    return tuple(html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", page, re.DOTALL))


def email_draft(company, role, counter, band, after_answer=False) -> str:
    return negotiate_views.email_draft(
        counter_words(company, role, counter, [], band, after_answer=after_answer)
    )


def test_talking_points_and_email_have_the_numbers_filled_in():
    counter = suggest(northwind())
    verdicts = [market_verdict("Base salary", SEATTLE.position(D("165000")), SEATTLE)]
    points = talking_points("Northwind", counter, verdicts, SEATTLE)
    assert points[0] == (
        "Base salary: 32nd percentile of the market band for Technical Product Manager, "
        "Senior, Seattle — below market (band confidence: derived)."
    )
    assert (
        "The band's median base is $186,000 and its 75th percentile $216,000 (confidence: "
        "derived, typically within ±6.3% of official figures)."
    ) in points
    assert any(p.startswith("Base salary: ask for $198,000 instead of $165,000.") for p in points)
    assert points[-1] == (
        "Together that is $273,640 in the first year (+$38,940) and $283,640 a year on average "
        "(+$38,940)."
    )
    email = email_draft("Northwind", "Senior Technical Product Manager", counter, SEATTLE)
    assert "Thank you for the offer to join Northwind as Senior Technical Product Manager." in email
    assert "- Base salary: $198,000 (currently $165,000)" in email
    # The band is quoted only with how sure it is.
    assert (
        "Market data for Technical Product Manager, Senior, Seattle (confidence: derived, "
        "typically within ±6.3% of official figures) puts the median base at $186,000"
    ) in email
    assert "first-year total to $273,640 and the average yearly total to $283,640" in email
    assert "<" not in email  # plain text


def test_words_when_there_is_nothing_to_ask():
    counter = suggest(northwind(base_salary=D("210000")))
    assert counter.asks == ()
    assert "already at or above every target" in talking_points("Northwind", counter, [], None)[-1]
    assert "could we talk through" in email_draft("Northwind", "TPM", counter, None)


# --- Rounds ----------------------------------------------------------------------------------

LABELS = {"base_salary": "Base salary", "sign_on_year1": "Sign-on", "bonus_type": "Bonus type"}


def test_changes_between_snapshots_with_deltas():
    before = {"base_salary": "165000.00", "sign_on_year1": "30000", "bonus_type": "percent"}
    after = {"base_salary": "180000", "sign_on_year1": "30000.00", "bonus_type": "fixed"}
    changes = changes_between(before, after, LABELS)
    # 180,000 − 165,000 = 15,000; the sign-on is the same number written differently.
    assert [(c.field, c.delta) for c in changes] == [
        ("base_salary", D("15000")),
        ("bonus_type", None),
    ]


def test_rounds_say_what_changed_and_by_how_much():
    original = northwind()
    answer = northwind(base_salary=D("180000"))
    rounds = negotiation_rounds(
        [
            (
                1,
                "Original offer",
                "company",
                {"base_salary": "165000"},
                compute_compensation(original),
            ),
            (2, "Their answer", "company", {"base_salary": "180000"}, compute_compensation(answer)),
        ],
        LABELS,
    )
    assert rounds[0].changes == () and rounds[0].first_year_change is None
    # +15,000 base → bonus +2,250 (15%), match +450 (3%): first year +17,700.
    assert rounds[1].first_year_change == D("17700")
    assert rounds[1].average_yearly_change == D("17700")
    assert rounds[1].changes[0].delta == D("15000")

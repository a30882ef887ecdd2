"""Negotiate with numbers: a verdict against the market, a counter-offer with a reason per line,
and the figures the words quote (`counter_words`; the talking points and the email draft are
templates). Pure Python like the engine (no Django, no I/O).

The rules, stated once (the negotiation page and the README repeat them):

Verdict, from the percentile of the offer within its own location's band
- **below market**: under the 40th percentile (or under the lowest point the band knows);
- **fair**: from the 40th up to (not including) the 65th;
- **strong**: the 65th percentile or above (or above the highest point the band knows).
The verdict comes with the band's confidence, so "below market" on an assumed band reads as such.
Total pay (the average yearly total, and the first-year total with its one-time items) is judged
the same way in the best total-compensation band available (offers/market.py: this site's
community band, else an imported one); the words cite it only when it is shown (`TotalQuote`).

Counter-offer targets
- **Base**: the 60th percentile of the band — interpolated between the median and the 75th
  (median + 40% of the way to the 75th), rounded up to the next 1,000 — or a competing offer's
  higher base, whichever is more; never less than today's base. Base asks stop at the band's
  75th percentile (the usual top of a company's range for a level): what is left above it is
  asked as a one-time sign-on instead, one year's worth. A market-based ask is also held to at
  most 25% above today's base in one round (rounded up to 1,000): bigger jumps rarely land, and
  the band it comes from may be derived from assumptions. A competing offer's real figure is not
  held back.
- **Sign-on** (one-time): the larger of today's sign-on and a competing offer's, plus whatever
  base could not carry. When base is already at or above the 75th and the average yearly total
  sits under the 60th percentile of a total-compensation band, that gap is asked as sign-on too.
- **Bonus** and **equity**: matched to the strongest competing offer where it is stronger
  (it is named with its figure); otherwise kept. A bonus given as a percentage of base is
  matched up to 100% of base at most, and its reason says so.
- **After the company's answer** (their newest round, answering the person's last counter): each
  component starts from where the negotiation stands, not from the first offer: their answer met
  halfway to the person's last ask (rounded up to the next 1,000, a bonus percentage to the next
  0.5%, never past the ask); a component where they gave at least what was asked is kept.
Each target comes with structured reasons (`counter_reasons.Reason`: what was done, and the real
figures it was done with); the sentence a person reads is built from them.
The user can change any target; `apply_targets` puts them into the offer's terms and the engine
recomputes the totals (`counter_result`). A round saved from the counter puts the targets on the
offer the same way (`offers.terms.offer_with_targets`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from benchmarks.percentiles import BandPosition
from offers.comparison import grant_value
from offers.compensation import (
    HUNDRED,
    VESTING_PRESETS,
    ZERO,
    CompensationResult,
    EquityGrant,
    EquityKind,
    OfferTerms,
    compute_compensation,
)
from offers.counter_reasons import (
    ASK_STEP,
    BONUS_PERCENT_STEP,
    CAP_PERCENTILE,
    MAX_ONE_ROUND_RAISE,
    TARGET_PERCENTILE,
    Done,
    Reason,
    sentence,
)

BELOW_MARKET_UNDER = Decimal(40)
STRONG_FROM = Decimal(65)
NEW_GRANT_SCHEDULE = "four_year_cliff_monthly"


class MarketBand(Protocol):
    """What negotiation needs of a band (benchmarks.lookup.ResolvedBand has it)."""

    percentiles: Mapping[int, Decimal | None]
    currency: str
    label: str

    @property
    def confidence(self) -> str: ...

    @property
    def typical_error(self) -> Decimal | None: ...


def band_confidence_phrase(band: MarketBand) -> str:
    """How sure a band is, in words a recruiter reads: "confidence: derived, typically within
    ±6.3% of official figures"."""
    phrase = f"confidence: {band.confidence}"
    if band.typical_error is not None:
        error = band.typical_error.quantize(Decimal("0.1")).normalize()
        phrase += f", typically within ±{error:f}% of official figures"
    return phrase


# --- Verdict ---------------------------------------------------------------------------------


class Verdict(StrEnum):
    BELOW_MARKET = "below market"
    FAIR = "fair"
    STRONG = "strong"
    UNKNOWN = "no market data"


def verdict_for(position: BandPosition | None) -> Verdict:
    """Below the 40th: below market; 40th to under 65th: fair; 65th or more: strong."""
    if position is None:
        return Verdict.UNKNOWN
    if position.percentile is not None:
        if position.percentile < BELOW_MARKET_UNDER:
            return Verdict.BELOW_MARKET
        return Verdict.FAIR if position.percentile < STRONG_FROM else Verdict.STRONG
    if position.below is not None:
        return Verdict.BELOW_MARKET
    if position.above is not None:
        return Verdict.STRONG
    return Verdict.UNKNOWN


@dataclass(frozen=True)
class MarketVerdict:
    what: str  # "Base salary", "Average yearly total"
    verdict: Verdict
    position: str  # "32nd percentile", "above the 75th percentile", ""
    confidence: str  # the band's confidence, "" without a band
    band_label: str


def market_verdict(
    what: str, position: BandPosition | None, band: MarketBand | None, band_label: str = ""
) -> MarketVerdict:
    """Where ``position`` puts the offer; ``band_label`` names the band when its own label
    does not say what a person needs (a total-pay band: whose pay, where)."""
    if band is None or position is None:
        return MarketVerdict(what, Verdict.UNKNOWN, "", "", "")
    return MarketVerdict(
        what, verdict_for(position), position.label, str(band.confidence), band_label or band.label
    )


# --- Counter-offer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Competitor:
    """Another offer the person holds, in this offer's currency and over the same horizon."""

    name: str
    terms: OfferTerms
    result: CompensationResult


@dataclass(frozen=True)
class CounterTargets:
    """What to ask for. Bonus is a percentage of base or a fixed amount (not both), as in the
    offer; equity is the initial grant's value (options: their spread at today's price)."""

    base_salary: Decimal
    sign_on_year1: Decimal
    equity_grant_value: Decimal
    bonus_percent: Decimal | None = None
    bonus_fixed: Decimal | None = None

    def __post_init__(self) -> None:
        amounts = (self.base_salary, self.sign_on_year1, self.equity_grant_value)
        if any(a < ZERO for a in amounts) or any(
            b is not None and b < ZERO for b in (self.bonus_percent, self.bonus_fixed)
        ):
            raise ValueError("A target cannot be negative.")
        if self.bonus_percent is not None and self.bonus_fixed is not None:
            raise ValueError("Give the bonus target as a percentage or an amount, not both.")
        if self.bonus_percent is not None and self.bonus_percent > HUNDRED:
            raise ValueError("A bonus target is at most 100% of base.")


@dataclass(frozen=True)
class TargetLine:
    key: str  # base, bonus, sign_on, equity
    label: str
    current: Decimal
    target: Decimal
    reasons: tuple[Reason, ...]
    currency: str
    is_percent: bool = False
    one_time: bool = False

    @property
    def change(self) -> Decimal:
        return self.target - self.current

    @cached_property
    def reason(self) -> str:
        """The reasons in words: one sentence each (put in words once: the targets table and
        the talking points both say it)."""
        return " ".join(sentence(reason, self.currency) for reason in self.reasons)


@dataclass(frozen=True)
class CounterOffer:
    lines: tuple[TargetLine, ...]
    targets: CounterTargets
    current: CompensationResult
    counter: CompensationResult

    @property
    def first_year_increase(self) -> Decimal:
        return self.counter.first_year_total - self.current.first_year_total

    @property
    def average_yearly_increase(self) -> Decimal:
        return self.counter.average_yearly_total - self.current.average_yearly_total

    @cached_property
    def asks(self) -> tuple[TargetLine, ...]:
        """The lines whose target differs from what is on the table (read once a page: the
        talking points and the email each list them and say whether there are any)."""
        return tuple(line for line in self.lines if line.target != line.current)


def round_up(amount: Decimal, step: Decimal = ASK_STEP) -> Decimal:
    """People ask for round numbers: the next multiple of `step` at or above `amount`."""
    return (amount / step).to_integral_value(ROUND_CEILING) * step


def point_between_median_and_75th(band: MarketBand, percentile: int) -> Decimal | None:
    """The band's value at a percentile from 50 to 75, interpolated linearly; the median when
    the band has no 75th; None without a median."""
    median = band.percentiles.get(50)
    top = band.percentiles.get(CAP_PERCENTILE)
    if median is None:
        return None
    if top is None:
        return median
    return median + (top - median) * Decimal(percentile - 50) / Decimal(CAP_PERCENTILE - 50)


def _best(competitors: Sequence[Competitor], read) -> tuple[Competitor | None, Decimal]:
    best, amount = None, ZERO
    for competitor in competitors:
        value = read(competitor)
        if value > amount:
            best, amount = competitor, value
    return best, amount


@dataclass(frozen=True)
class Ask:
    """One component's target and why (a bonus target is a percentage or a fixed amount)."""

    target: Decimal
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class BaseAsk(Ask):
    overflow: Decimal = ZERO  # what base could not carry above the band's 75th: asked as sign-on
    cap: Decimal | None = None  # the band's 75th percentile


@dataclass(frozen=True)
class MarketAsk:
    """The band's 60th percentile as asked: `point` exactly, `ask` rounded up to the next 1,000,
    then held to one round's raise (`held`)."""

    point: Decimal
    ask: Decimal
    held: bool


def market_ask(band: MarketBand | None, current_base: Decimal) -> MarketAsk | None:
    point = point_between_median_and_75th(band, TARGET_PERCENTILE) if band else None
    if point is None:
        return None
    one_round_limit = round_up(current_base * (1 + MAX_ONE_ROUND_RAISE))
    ask = round_up(point)
    return MarketAsk(point, min(ask, one_round_limit), ask > one_round_limit)


def _raise_reason(
    current_base: Decimal, market: MarketAsk | None, rival: Competitor | None, rival_base: Decimal
) -> Reason:
    """Why base goes up: a competing base at or above the market ask leads, else the band."""
    if rival is not None and rival_base >= (market.ask if market else ZERO):
        return Reason(Done.RIVAL_BASE, figure=rival_base, name=rival.name)
    if market.held:
        return Reason(
            Done.ONE_ROUND_LIMIT, figure=market.point, compared=current_base, asked=market.ask
        )
    return Reason(Done.BAND_POINT, figure=market.point, asked=market.ask)


def base_ask(
    current_base: Decimal,
    band: MarketBand | None,
    position: BandPosition | None,
    competitors: Sequence[Competitor],
) -> BaseAsk:
    """Toward the band's 60th percentile or a higher competing base, never past the 75th."""
    market = market_ask(band, current_base)
    cap = band.percentiles.get(CAP_PERCENTILE) if band else None
    rival, rival_base = _best(competitors, lambda c: c.result.years[0].base)
    desired = max(current_base, market.ask if market else ZERO, rival_base)
    target = desired if cap is None else min(desired, max(current_base, cap))
    overflow = desired - target
    where = position.label if position else ""
    if target > current_base:
        reasons = (replace(_raise_reason(current_base, market, rival, rival_base), position=where),)
        if overflow:
            reasons += (Reason(Done.CAPPED_AT_75TH, figure=cap),)
    elif cap is not None and current_base >= cap:
        reasons = (Reason(Done.AT_75TH, figure=cap),)
    elif market is not None:
        reasons = (Reason(Done.ABOVE_TARGET, figure=market.point, position=where),)
    else:
        reasons = (Reason(Done.NO_BAND),)
    return BaseAsk(target, reasons, overflow=overflow, cap=cap)


def sign_on_ask(
    terms: OfferTerms,
    result: CompensationResult,
    base: BaseAsk,
    competitors: Sequence[Competitor],
    total_band: MarketBand | None,
) -> Ask:
    """A stronger competing sign-on, plus what base could not carry, plus (base already at the
    75th) the gap to the 60th percentile of total pay."""
    rival, rival_sign_on = _best(competitors, lambda c: c.terms.sign_on_year1)
    target = max(terms.sign_on_year1, rival_sign_on)
    reasons: list[Reason] = []
    if rival is not None and rival_sign_on > terms.sign_on_year1:
        reasons.append(Reason(Done.RIVAL_SIGN_ON, figure=rival_sign_on, name=rival.name))
    if base.overflow:
        target += base.overflow
        reasons.append(Reason(Done.OVERFLOW, figure=base.overflow, compared=base.cap))
    if base.cap is not None and terms.base_salary >= base.cap and total_band is not None:
        total_point = point_between_median_and_75th(total_band, TARGET_PERCENTILE)
        average = result.average_yearly_total
        if total_point is not None and total_point > average:
            gap = round_up(total_point - average)
            target += gap
            reasons.append(Reason(Done.TOTAL_GAP, figure=total_point, compared=average, asked=gap))
    return Ask(target, tuple(reasons) or (Reason(Done.KEEP_SIGN_ON),))


@dataclass(frozen=True)
class BonusAsk:
    percent: Decimal | None
    fixed: Decimal | None
    reason: Reason


def bonus_ask(
    terms: OfferTerms,
    result: CompensationResult,
    base_target: Decimal,
    competitors: Sequence[Competitor],
) -> BonusAsk:
    """Match the strongest competing yearly bonus, in the offer's own form (an amount, or a
    percentage of the base asked for, at most 100%)."""
    rival, rival_bonus = _best(competitors, lambda c: c.result.years[0].bonus)
    percent, fixed = terms.bonus_percent, terms.bonus_fixed
    if rival is None or rival_bonus <= result.years[0].bonus:
        return BonusAsk(percent, fixed, Reason(Done.KEEP_BONUS))
    if fixed is not None:
        fixed = round_up(rival_bonus)
        return BonusAsk(
            percent,
            fixed,
            Reason(Done.RIVAL_BONUS, figure=rival_bonus, asked=fixed, name=rival.name),
        )
    if base_target <= ZERO:
        return BonusAsk(
            percent, fixed, Reason(Done.RIVAL_BONUS, figure=rival_bonus, name=rival.name)
        )
    needed = round_up(rival_bonus * HUNDRED / base_target, BONUS_PERCENT_STEP)
    if percent is not None and percent >= needed:  # the higher base already carries it
        covered = base_target * percent / HUNDRED
        reason = Reason(
            Done.BONUS_COVERED, figure=rival_bonus, compared=base_target, asked=covered,
            name=rival.name, share=percent,
        )  # fmt: skip
        return BonusAsk(percent, fixed, reason)
    # A bonus stated as a share of base goes no higher than the whole base.
    capped = needed > HUNDRED
    percent = min(needed, HUNDRED)
    reason = Reason(
        Done.RIVAL_BONUS,
        figure=rival_bonus,
        compared=base_target,
        asked=percent,
        name=rival.name,
        percent=True,
        capped=capped,
    )
    return BonusAsk(percent, fixed, reason)


def equity_ask(terms: OfferTerms, competitors: Sequence[Competitor]) -> Ask:
    """Match the strongest competing initial grant (named, with whether it is illiquid)."""
    current = grant_value(terms.equity)
    rival, rival_grant = _best(competitors, lambda c: grant_value(c.terms.equity))
    if rival is None or rival_grant <= current:
        return Ask(current, (Reason(Done.KEEP_EQUITY),))
    target = round_up(rival_grant)
    illiquid = rival.terms.equity is not None and rival.terms.equity.illiquid
    reason = Reason(
        Done.RIVAL_GRANT,
        figure=rival_grant,
        compared=current,
        asked=target,
        name=rival.name,
        illiquid=illiquid,
    )
    return Ask(target, (reason,))


def _counter_offer(
    terms: OfferTerms,
    result: CompensationResult,
    base: Ask,
    bonus: BonusAsk,
    sign_on: Ask,
    equity: Ask,
) -> CounterOffer:
    currency = terms.currency
    targets = CounterTargets(
        base_salary=base.target,
        sign_on_year1=sign_on.target,
        equity_grant_value=equity.target,
        bonus_percent=None if bonus.fixed is not None else bonus.percent,
        bonus_fixed=bonus.fixed,
    )
    if bonus.fixed is not None:
        bonus_line = TargetLine(
            "bonus",
            "Target bonus (yearly)",
            terms.bonus_fixed or ZERO,
            bonus.fixed,
            (bonus.reason,),
            currency,
        )
    else:
        bonus_line = TargetLine(
            "bonus",
            "Target bonus (% of base)",
            terms.bonus_percent or ZERO,
            bonus.percent or ZERO,
            (bonus.reason,),
            currency,
            is_percent=True,
        )
    lines = (
        TargetLine("base", "Base salary", terms.base_salary, base.target, base.reasons, currency),
        bonus_line,
        TargetLine(
            "sign_on",
            "Sign-on bonus",
            terms.sign_on_year1,
            sign_on.target,
            sign_on.reasons,
            currency,
            one_time=True,
        ),
        TargetLine(
            "equity",
            "Equity grant (value)",
            grant_value(terms.equity),
            equity.target,
            equity.reasons,
            currency,
        ),
    )
    return CounterOffer(lines, targets, result, counter_result(terms, targets))


def suggest_counter(
    terms: OfferTerms,
    result: CompensationResult,
    base_band: MarketBand | None,
    base_position: BandPosition | None,
    competitors: Sequence[Competitor] = (),
    total_band: MarketBand | None = None,
) -> CounterOffer:
    """Targets per component with a one-line reason each (rules in the module docstring)."""
    base = base_ask(terms.base_salary, base_band, base_position, competitors)
    return _counter_offer(
        terms,
        result,
        base,
        bonus_ask(terms, result, base.target, competitors),
        sign_on_ask(terms, result, base, competitors, total_band),
        equity_ask(terms, competitors),
    )


# --- After the company's answer --------------------------------------------------------------


def halfway_ask(theirs: Decimal, yours: Decimal, step: Decimal, percent: bool = False) -> Ask:
    """Meet their answer halfway to your last ask, rounded up to `step` and never past the ask.

    Why halfway: a counter that repeats the first ask reads as not listening, and one that takes
    their answer leaves money on the table; splitting what is left shows movement while keeping
    the anchor of your own ask, the usual coach's advice for a second round. A component where
    they gave at least what you asked is kept."""
    if theirs >= yours:
        return Ask(theirs, (Reason(Done.THEY_MET, figure=theirs, compared=yours, percent=percent),))
    asked = min(round_up((theirs + yours) / 2, step), yours)
    reason = Reason(Done.HALFWAY, figure=theirs, compared=yours, asked=asked, percent=percent)
    return Ask(asked, (reason,))


def suggest_after_answer(
    answer: OfferTerms, answer_result: CompensationResult, last_ask: OfferTerms
) -> CounterOffer:
    """The next counter once the company has answered: each component from where it stands
    (their answer, against what the person asked last), met halfway."""
    base = halfway_ask(answer.base_salary, last_ask.base_salary, ASK_STEP)
    # The bonus is compared in their answer's form; an ask made in the other form is converted.
    if answer.bonus_fixed is not None:
        asked = last_ask.bonus_fixed
        if asked is None:
            asked = last_ask.base_salary * (last_ask.bonus_percent or ZERO) / HUNDRED
        bonus = halfway_ask(answer.bonus_fixed, asked, ASK_STEP)
        bonus_ask_ = BonusAsk(None, bonus.target, bonus.reasons[0])
    else:
        asked = last_ask.bonus_percent
        if asked is None:
            asked = (
                ((last_ask.bonus_fixed or ZERO) * HUNDRED / last_ask.base_salary).quantize(
                    Decimal("0.01")
                )
                if last_ask.base_salary
                else ZERO
            )
        asked = min(asked, HUNDRED)
        bonus = halfway_ask(answer.bonus_percent or ZERO, asked, BONUS_PERCENT_STEP, percent=True)
        bonus_ask_ = BonusAsk(bonus.target, None, bonus.reasons[0])
    return _counter_offer(
        answer,
        answer_result,
        base,
        bonus_ask_,
        halfway_ask(answer.sign_on_year1, last_ask.sign_on_year1, ASK_STEP),
        halfway_ask(grant_value(answer.equity), grant_value(last_ask.equity), ASK_STEP),
    )


def adjusted_counter(
    suggested: CounterOffer, terms: OfferTerms, targets: CounterTargets
) -> CounterOffer:
    """The suggestion with the person's own targets; reasons stay where the target is unchanged."""
    values = {
        "base": targets.base_salary,
        "bonus": targets.bonus_fixed
        if targets.bonus_fixed is not None
        else targets.bonus_percent or ZERO,
        "sign_on": targets.sign_on_year1,
        "equity": targets.equity_grant_value,
    }
    lines = tuple(
        line
        if values[line.key] == line.target
        else replace(line, target=values[line.key], reasons=(Reason(Done.OWN_TARGET),))
        for line in suggested.lines
    )
    return CounterOffer(lines, targets, suggested.current, counter_result(terms, targets))


def apply_targets(terms: OfferTerms, targets: CounterTargets) -> OfferTerms:
    """The offer's terms with the targets in place; everything else unchanged."""
    equity = terms.equity
    current_grant = grant_value(equity)
    if targets.equity_grant_value != current_grant:
        if equity is None or not equity.has_equity:
            if targets.equity_grant_value > ZERO:
                equity = EquityGrant(
                    kind=EquityKind.RSU,
                    schedule=VESTING_PRESETS[NEW_GRANT_SCHEDULE],
                    total_value=targets.equity_grant_value,
                )
        elif equity.kind.is_option:
            # Options are asked for in shares: scale them to the target spread value. Options
            # under water have no spread to scale, so they stay as they are.
            if current_grant > ZERO and equity.shares is not None:
                shares = equity.shares * targets.equity_grant_value / current_grant
                equity = replace(equity, shares=shares)
        else:
            equity = replace(equity, total_value=targets.equity_grant_value)
    return replace(
        terms,
        base_salary=targets.base_salary,
        bonus_percent=targets.bonus_percent,
        bonus_fixed=targets.bonus_fixed,
        sign_on_year1=targets.sign_on_year1,
        equity=equity,
    )


def counter_result(terms: OfferTerms, targets: CounterTargets) -> CompensationResult:
    """What the offer would be worth with the targets, computed by the engine."""
    return compute_compensation(apply_targets(terms, targets))


# --- Words -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BandQuote:
    """The band figures the words quote: its median and 75th percentile base, and how sure it is."""

    label: str
    median: Decimal
    top: Decimal | None
    confidence: str  # band_confidence_phrase


def band_quote(band: MarketBand | None) -> BandQuote | None:
    if band is None or band.percentiles.get(50) is None:
        return None
    return BandQuote(
        band.label,
        band.percentiles[50],
        band.percentiles.get(CAP_PERCENTILE),
        band_confidence_phrase(band),
    )


@dataclass(frozen=True)
class TotalQuote:
    """The total-compensation placement the words cite, only ever from a band that is shown:
    where the average yearly total sits, whose pay the band describes, and how sure it is."""

    amount: Decimal  # the average yearly total
    position: str  # "56th percentile", "above the 75th percentile"
    around: bool  # between two of the band's points: "around the 56th percentile"
    people: str  # "Senior Technical Product Managers in Seattle"
    counts: str  # a community band's "14 offers from 6 companies in this site's data", else ""
    confidence: str  # "medium" for a community band, else the band's confidence
    source: str = ""  # an imported band's source


@dataclass(frozen=True)
class CounterWords:
    """What the talking points and the email draft say, as figures: the templates
    offers/_talking_points.html and offers/_email_draft.txt put them in words."""

    company: str
    role: str
    counter: CounterOffer
    verdicts: tuple[MarketVerdict, ...]  # those with a band to place them in
    band: BandQuote | None
    after_answer: bool = False  # a reply to the company's answer, not to their first offer
    total: TotalQuote | None = None

    @property
    def currency(self) -> str:
        return self.counter.current.currency


def counter_words(
    company: str,
    role: str,
    counter: CounterOffer,
    verdicts: Sequence[MarketVerdict],
    base_band: MarketBand | None,
    after_answer: bool = False,
    total: TotalQuote | None = None,
) -> CounterWords:
    known = tuple(v for v in verdicts if v.verdict != Verdict.UNKNOWN)
    return CounterWords(company, role, counter, known, band_quote(base_band), after_answer, total)

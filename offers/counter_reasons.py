"""Why each counter-offer target is what it is: what was done, with the real figures it was done
with, and the one sentence a person reads, built from them. Pure Python (no Django, no I/O).

A reason never rounds a figure in words: a band point of $297,017 asked as $298,000 says both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from benchmarks.money import format_money
from benchmarks.percentiles import ordinal

# The rules' figures (offers.negotiation's docstring states the rules they belong to).
TARGET_PERCENTILE = 60
CAP_PERCENTILE = 75
ASK_STEP = Decimal(1000)
MAX_ONE_ROUND_RAISE = Decimal("0.25")
BONUS_PERCENT_STEP = Decimal("0.5")


class Done(StrEnum):
    """What was done to reach a target."""

    RIVAL_BASE = "matched a competing base"
    BAND_POINT = "asked the band's 60th percentile"
    ONE_ROUND_LIMIT = "held the market ask to one round's raise"
    CAPPED_AT_75TH = "capped base at the band's 75th percentile"
    AT_75TH = "kept a base already at the 75th"
    ABOVE_TARGET = "kept a base already at the 60th"
    NO_BAND = "kept base: no band, no higher competing base"
    RIVAL_SIGN_ON = "matched a competing sign-on"
    OVERFLOW = "moved base above the 75th into sign-on"
    TOTAL_GAP = "asked the total pay gap as sign-on"
    KEEP_SIGN_ON = "kept the sign-on"
    RIVAL_BONUS = "matched a competing bonus"
    BONUS_COVERED = "kept a bonus percentage the asked base makes large enough"
    KEEP_BONUS = "kept the bonus"
    RIVAL_GRANT = "matched a competing grant"
    KEEP_EQUITY = "kept the equity"
    HALFWAY = "met their answer halfway"
    THEY_MET = "kept an answer that meets the ask"
    OWN_TARGET = "the person's own target"


@dataclass(frozen=True)
class Reason:
    """What was done, and the figures it was done with (which ones depends on `done`):

    - `figure`: what the rule starts from (a band point, a competing offer's figure, their answer);
    - `compared`: what it is set against (today's base, your grant, your last ask, the 75th);
    - `asked`: what the rule gives after rounding, holding back or capping;
    - `name`: the competing offer; `position`: this offer's place in the band;
    - `share`: a percentage of base the figures rest on (today's bonus percentage);
    - `percent`: the figures are percentages of base, not money;
    - `capped` / `illiquid`: the bonus was held to 100% of base / the grant is private shares.
    """

    done: Done
    figure: Decimal | None = None
    compared: Decimal | None = None
    asked: Decimal | None = None
    name: str = ""
    position: str = ""
    share: Decimal | None = None
    percent: bool = False
    capped: bool = False
    illiquid: bool = False


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


class _Words:
    """Formats one reason's figures in its currency (or as percentages)."""

    def __init__(self, reason: Reason, currency: str):
        self.reason, self.currency = reason, currency

    def __call__(self, value: Decimal) -> str:
        return _percent(value) if self.reason.percent else format_money(value, self.currency)

    @property
    def where(self) -> str:
        return f" (this offer: {self.reason.position})" if self.reason.position else ""

    def rounded_up(self, exact: Decimal) -> str:
        """ ", rounded up to $198,000" when the ask is not the exact figure; else nothing."""
        asked = self.reason.asked
        return "" if asked is None or asked == exact else f", rounded up to {self(asked)}"


def _rival_base(r: Reason, w: _Words) -> str:
    return f"{r.name} offers a base of {w(r.figure)}."


def _band_point(r: Reason, w: _Words) -> str:
    return (
        f"The band's {ordinal(TARGET_PERCENTILE)} percentile, between the median and the "
        f"{ordinal(CAP_PERCENTILE)}: {w(r.figure)}{w.rounded_up(r.figure)}{w.where}."
    )


def _one_round_limit(r: Reason, w: _Words) -> str:
    raise_percent = _percent(MAX_ONE_ROUND_RAISE * 100)
    exact = r.compared * (1 + MAX_ONE_ROUND_RAISE)
    step = f", rounded up to the next {w(ASK_STEP)}" if r.asked != exact else ""
    return (
        f"The band's {ordinal(TARGET_PERCENTILE)} percentile is {w(r.figure)}{w.where}; one "
        f"round asks at most +{raise_percent} of today's base, {w(r.compared)}{step}: "
        f"{w(r.asked)}."
    )


def _capped_at_75th(r: Reason, w: _Words) -> str:
    return (
        f"Capped at the band's {ordinal(CAP_PERCENTILE)} percentile ({w(r.figure)}); "
        "the rest is asked as sign-on."
    )


def _at_75th(r: Reason, w: _Words) -> str:
    return (
        f"Already at or above the {ordinal(CAP_PERCENTILE)} percentile ({w(r.figure)}): "
        "base rarely goes higher, so ask for one-time money."
    )


def _above_target(r: Reason, w: _Words) -> str:
    return (
        f"Already at or above the band's {ordinal(TARGET_PERCENTILE)} percentile "
        f"({w(r.figure)}){w.where}: keep it."
    )


def _overflow(r: Reason, w: _Words) -> str:
    return (
        f"{w(r.figure)} of base above the band's {ordinal(CAP_PERCENTILE)} percentile "
        f"({w(r.compared)}), asked once."
    )


def _total_gap(r: Reason, w: _Words) -> str:
    gap = r.figure - r.compared
    return (
        f"Base is capped; the average yearly total, {w(r.compared)}, is {w(gap)} under the "
        f"{ordinal(TARGET_PERCENTILE)} percentile of total pay ({w(r.figure)}): asked once"
        f"{w.rounded_up(gap)}."
    )


def _rival_bonus(r: Reason, w: _Words) -> str:
    said = f"{r.name}'s target bonus is {format_money(r.figure, w.currency)} a year"
    if r.capped:
        return f"{said}; capped at 100% of base."
    if not r.percent:
        return f"{said}{w.rounded_up(r.figure)}."
    # A percentage: `compared` is the base asked for, `asked` the percentage of it.
    share = (r.figure * 100 / r.compared).quantize(Decimal("0.01"))
    if r.asked == share:
        return f"{said}."
    return (
        f"{said}: {w(share)} of the asked base of {format_money(r.compared, w.currency)}, "
        f"rounded up to the next {w(BONUS_PERCENT_STEP)}: {w(r.asked)}."
    )


def _bonus_covered(r: Reason, w: _Words) -> str:
    return (
        f"{r.name}'s target bonus is {w(r.figure)} a year; your {_percent(r.share)} of the asked base "
        f"of {w(r.compared)} already pays {w(r.asked)}: keep it."
    )


def _rival_grant(r: Reason, w: _Words) -> str:
    illiquid = " (private shares, illiquid)" if r.illiquid else ""
    return (
        f"{r.name} grants {w(r.figure)} in equity{illiquid} against your {w(r.compared)}"
        f"{w.rounded_up(r.figure)}."
    )


def _halfway(r: Reason, w: _Words) -> str:
    middle = (r.figure + r.compared) / 2
    return (
        f"They answered {w(r.figure)} to your ask of {w(r.compared)}; meeting halfway is "
        f"{w(middle)}{w.rounded_up(middle)}."
    )


def _they_met(r: Reason, w: _Words) -> str:
    if r.figure == r.compared:
        return f"They answered {w(r.figure)}, what you asked: keep it."
    return f"They answered {w(r.figure)}, more than your ask of {w(r.compared)}: keep it."


def _fixed(text: str) -> Callable[[Reason, _Words], str]:
    return lambda r, w: text


SENTENCES: dict[Done, Callable[[Reason, _Words], str]] = {
    Done.RIVAL_BASE: _rival_base,
    Done.BAND_POINT: _band_point,
    Done.ONE_ROUND_LIMIT: _one_round_limit,
    Done.CAPPED_AT_75TH: _capped_at_75th,
    Done.AT_75TH: _at_75th,
    Done.ABOVE_TARGET: _above_target,
    Done.NO_BAND: _fixed("No market band for this role and place, and no higher competing base."),
    Done.RIVAL_SIGN_ON: lambda r, w: f"{r.name} pays a sign-on of {w(r.figure)}.",
    Done.OVERFLOW: _overflow,
    Done.TOTAL_GAP: _total_gap,
    Done.KEEP_SIGN_ON: _fixed("Keep: no competing offer pays a larger sign-on."),
    Done.RIVAL_BONUS: _rival_bonus,
    Done.BONUS_COVERED: _bonus_covered,
    Done.KEEP_BONUS: _fixed("Keep: no competing offer has a larger target bonus."),
    Done.RIVAL_GRANT: _rival_grant,
    Done.KEEP_EQUITY: _fixed("Keep: no competing offer grants more equity."),
    Done.HALFWAY: _halfway,
    Done.THEY_MET: _they_met,
    Done.OWN_TARGET: _fixed("Your own target."),
}


def sentence(reason: Reason, currency: str) -> str:
    """The reason in one sentence, every figure formatted for `currency`."""
    return SENTENCES[reason.done](reason, _Words(reason, currency))

"""Place an amount within a market band given as percentile points (10/25/50/75/90).

Pure Decimal arithmetic, no Django. Linear interpolation between the two nearest known points;
never extrapolates beyond the lowest or highest known point, because nothing in the source data
says how the tails are shaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise

__all__ = [
    "PERCENTILE_POINTS",
    "BandPosition",
    "known_points",
    "level_window",
    "ordinal",
    "place_among_known",
    "place_in_band",
    "scale_points",
    "value_at",
    "window_percentile",
]

PERCENTILE_POINTS = (10, 25, 50, 75, 90)

_ONE_DECIMAL = Decimal("0.1")
_WHOLE = Decimal("1")


@dataclass(frozen=True)
class BandPosition:
    """Where an amount sits in a band.

    Exactly one of these holds: ``percentile`` is set (inside the known range), ``below`` is set
    (under the lowest known point), ``above`` is set (over the highest), or none is set (the band
    has no known points at all).
    """

    percentile: Decimal | None  # rounded to 1 decimal place, ROUND_HALF_UP
    below: int | None
    above: int | None
    label: str

    @property
    def is_known(self) -> bool:
        return self.percentile is not None


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 62 -> "62nd"."""
    if 10 <= abs(n) % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(abs(n) % 10, "th")
    return f"{n}{suffix}"


def _known_points(points: Mapping[int, Decimal | None]) -> list[tuple[int, Decimal]]:
    known = sorted((p, v) for p, v in points.items() if v is not None)
    for p, v in known:
        if not isinstance(v, Decimal):
            raise TypeError(f"percentile {p} value must be a Decimal, got {type(v).__name__}")
    for (p1, v1), (p2, v2) in pairwise(known):
        if v2 < v1:
            raise ValueError(f"band values decrease: {p2}th ({v2}) is below {p1}th ({v1})")
    return known


def place_in_band(amount: Decimal, points: Mapping[int, Decimal | None]) -> BandPosition:
    """Return the interpolated percentile of ``amount`` within the band ``points``.

    ``points`` maps percentile (e.g. 10, 25, 50, 75, 90) to amount; None marks a missing point,
    which is skipped. A flat run (several points with the same amount) gives an amount equal to
    it the midpoint of the run's percentiles (25th and 50th both 100,000 -> 100,000 is the 37.5th):
    the band says only that somewhere between those percentiles people earn exactly that, so the
    middle is the unbiased choice and keeps the result monotonic in ``amount``.
    Raises ValueError when the known values decrease with the percentile.
    """
    _check_amount(amount)  # before the points, as ever
    return place_among_known(amount, known_points(points))


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal):
        # Money is Decimal end to end; a float here means a bug upstream.
        raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")


def known_points(points: Mapping[int, Decimal | None]) -> list[tuple[int, Decimal]]:
    """The known (percentile, amount) pairs of ``points``, lowest first, checked as
    ``place_in_band`` checks them: a band placing several amounts reads them once."""
    return _known_points(points)


def place_among_known(amount: Decimal, known: Sequence[tuple[int, Decimal]]) -> BandPosition:
    """``place_in_band`` for a band's ``known_points``."""
    _check_amount(amount)
    if not known:
        return BandPosition(None, None, None, "no market data for this band")

    lowest_p, lowest_v = known[0]
    highest_p, highest_v = known[-1]
    if amount < lowest_v:
        return BandPosition(None, lowest_p, None, f"below the {ordinal(lowest_p)} percentile")
    if amount > highest_v:
        return BandPosition(None, None, highest_p, f"above the {ordinal(highest_p)} percentile")

    run = [p for p, v in known if v == amount]
    if run:
        exact = Decimal(run[0] + run[-1]) / 2
        if len(run) == 1:
            label = f"at the {ordinal(run[0])} percentile"
        else:
            label = f"at the {ordinal(run[0])} to {ordinal(run[-1])} percentile"
        return BandPosition(exact.quantize(_ONE_DECIMAL, ROUND_HALF_UP), None, None, label)

    # amount lies strictly inside [lowest, highest] and equals no point, so one segment holds it.
    (p1, v1), (p2, v2) = next(seg for seg in pairwise(known) if seg[0][1] < amount < seg[1][1])
    exact = p1 + (p2 - p1) * (amount - v1) / (v2 - v1)
    rounded = exact.quantize(_ONE_DECIMAL, ROUND_HALF_UP)
    # The label uses the displayed (rounded) value so the two never disagree.
    whole = int(rounded.to_integral_value(ROUND_FLOOR))
    return BandPosition(rounded, None, None, f"{ordinal(whole)} percentile")


def scale_points(
    points: Mapping[int, Decimal | None], factor: Decimal
) -> dict[int, Decimal | None]:
    """Multiply each known point by ``factor`` (e.g. a location factor), rounded to whole units."""
    if not isinstance(factor, Decimal):
        raise TypeError(f"factor must be a Decimal, got {type(factor).__name__}")
    if factor < 0:
        raise ValueError(f"factor must not be negative, got {factor}")
    return {
        p: None if v is None else (v * factor).quantize(_WHOLE, ROUND_HALF_UP)
        for p, v in points.items()
    }


def value_at(points: Mapping[int, Decimal | None], percentile: Decimal) -> Decimal | None:
    """The amount at ``percentile``, interpolated linearly between the nearest known points;
    None outside the known points (the tails' shape is unknown)."""
    known = _known_points(points)
    for (p1, v1), (p2, v2) in pairwise(known):
        if p1 <= percentile <= p2:
            return v1 + (v2 - v1) * (percentile - p1) / (p2 - p1)
    if len(known) == 1 and known[0][0] == percentile:
        return known[0][1]
    return None


def window_percentile(point: int, low: int, high: int) -> Decimal:
    """Where a level's percentile ``point`` sits in the whole occupation's distribution, when the
    level's 25th–75th percentiles span the occupation's ``low``–``high``: 50 → the midpoint."""
    return Decimal(low) + (Decimal(point) - 25) * (Decimal(high) - Decimal(low)) / 50


def level_window(
    points: Mapping[int, Decimal | None], low: int, high: int
) -> dict[int, Decimal | None]:
    """A level's band cut from a whole occupation's distribution (``points``): the level's 25th
    and 75th percentiles at the occupation's ``low`` and ``high``, the rest in proportion.
    Not rounded; a point outside the occupation's known range is None."""
    return {p: value_at(points, window_percentile(p, low, high)) for p in PERCENTILE_POINTS}

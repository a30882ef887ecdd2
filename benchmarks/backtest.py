"""How far a derived band lands from the official cell it stands in for.

The lookup builds a band where no official cell exists from the occupation's national band × a
factor, and the factor is often another occupation's (the role's reference occupation). Here
official cells are hidden one at a time and derived that way from the rest of the release:

- **metro** (metro and nonmetro areas) and **state**: for an occupation O, an area A and another
  reference occupation R, O@A = O@U.S. × (R@A ÷ R@U.S.), per percentile;
- **industry**: O@I = O@all industries × (R@I ÷ R@all industries), national figures.

The error is |derived − official| ÷ official. Per kind: the median and 90th percentile of the
errors of the median (stored as ``BacktestFigure``, which the lookup quotes on every derived
band), and of the 25th and 75th (reported only).

The functions down to ``headline`` are pure: cells in, figures out. ``backtest_release`` reads
the database (two queries), ``store_figures`` writes one figure per kind, and
``backtest_newest_release`` does both for the newest official release.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.models import Source

__all__ = [
    "KINDS",
    "REPORTED_POINTS",
    "ErrorFigure",
    "KindResult",
    "OfficialCell",
    "backtest",
    "backtest_newest_release",
    "backtest_release",
    "headline",
    "quantile",
    "store_figures",
]

POINTS = (10, 25, 50, 75, 90)
REPORTED_POINTS = (25, 50, 75)
KINDS = ("metro", "state", "industry")
# The kind of back-test an area's cells belong to (BacktestFigure.Kind, Location.Kind values).
_AREA_KIND = {"metro": "metro", "nonmetro": "metro", "state": "state"}
_FACTOR_PLACES = Decimal("0.0001")  # factors are stored with four places
_PERCENT_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class OfficialCell:
    """One published cell: an occupation at a place (national: ``place_kind`` "nation"), all
    industries (``industry`` None) or one."""

    soc_code: str
    place: int
    place_kind: str
    industry: int | None
    points: Mapping[int, Decimal | None]
    top_coded_from: int | None = None

    def exact(self, point: int) -> Decimal | None:
        """The value at ``point`` as published, or None where missing or only a lower bound."""
        value = self.points.get(point)
        if value is None or (self.top_coded_from is not None and point >= self.top_coded_from):
            return None
        return value


@dataclass(frozen=True)
class ErrorFigure:
    derivations: int
    median: Decimal  # % with two places
    p90: Decimal


@dataclass(frozen=True)
class KindResult:
    kind: str
    hidden_cells: int  # official cells hidden and derived, each from several occupations
    errors: Mapping[int, ErrorFigure]  # by percentile (25, 50, 75), where any was derived

    @property
    def derivations(self) -> int:
        return self.errors[50].derivations if 50 in self.errors else 0


def backtest(cells: Iterable[OfficialCell], reference_socs: Iterable[str]) -> dict[str, KindResult]:
    """Hide each official cell of a detailed occupation and derive it from every other
    reference occupation's factor; the errors per kind (kinds with no derivation left out)."""
    references = sorted(set(reference_socs))
    national: dict[tuple[str, int | None], OfficialCell] = {}
    areas: dict[tuple[str, int], OfficialCell] = {}
    for cell in cells:
        if cell.place_kind == "nation":
            national[(cell.soc_code, cell.industry)] = cell
        elif cell.industry is None and cell.place_kind in _AREA_KIND:
            areas[(cell.soc_code, cell.place)] = cell

    errors: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    hidden: dict[str, int] = defaultdict(int)
    for kind, official, others, where in _hidden_cells(national, areas):
        start = national.get((official.soc_code, None))
        if start is None or official.exact(50) is None or start.exact(50) is None:
            continue
        derived_once = False
        for reference in references:
            if reference == official.soc_code:
                continue
            factor = _factor(others.get((reference, where)), national.get((reference, None)))
            if factor is None:
                continue
            derived_once = True
            derived = derive(start.points, factor)
            for point in REPORTED_POINTS:
                error = _error(derived[point], start.exact(point), official.exact(point))
                if error is not None:
                    errors[kind][point].append(error)
        if derived_once:
            hidden[kind] += 1
    return {
        kind: KindResult(
            kind=kind,
            hidden_cells=hidden[kind],
            errors={
                point: _figure(errors[kind][point])
                for point in REPORTED_POINTS
                if errors[kind][point]
            },
        )
        for kind in KINDS
        if errors[kind][50]
    }


def _hidden_cells(
    national: Mapping[tuple[str, int | None], OfficialCell],
    areas: Mapping[tuple[str, int], OfficialCell],
) -> Iterable[tuple[str, OfficialCell, Mapping, int]]:
    """Each cell to hide, of a detailed occupation: its kind, the cell, and where a reference
    occupation's cell of the same place or industry is found (the mapping and the key's second
    part)."""
    for (soc, place), cell in areas.items():
        if _is_detailed(soc):
            yield _AREA_KIND[cell.place_kind], cell, areas, place
    for (soc, industry), cell in national.items():
        if industry is not None and _is_detailed(soc):
            yield "industry", cell, national, industry


def derive(
    points: Mapping[int, Decimal | None], factor: Mapping[int, Decimal]
) -> dict[int, Decimal | None]:
    """Scale each point by its factor, as the lookup does: a percentile never below the one
    beneath it (per-percentile factors can cross two close points)."""
    derived, floor = {}, None
    for point in POINTS:
        value = points.get(point)
        if value is not None:
            value = value * factor[point]
            floor = value if floor is None else max(floor, value)
            value = floor
        derived[point] = value
    return derived


def quantile(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """The ``q`` quantile, interpolated linearly between the two nearest ranks (the median of
    an even count is the mean of the middle two)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _is_detailed(soc_code: str) -> bool:
    # Major groups ("15-0000") and all occupations ("00-0000") add up detailed ones.
    return not soc_code.endswith("0000")


def _factor(here: OfficialCell | None, there: OfficialCell | None) -> dict[int, Decimal] | None:
    """The reference occupation's factor as benchmarks.factors stores it: a ratio per
    percentile of exact values, four places; the median's where a percentile has none."""
    if here is None or there is None:
        return None
    ratios = {}
    for point in POINTS:
        top, bottom = here.exact(point), there.exact(point)
        if top and bottom:
            ratios[point] = (top / bottom).quantize(_FACTOR_PLACES, ROUND_HALF_UP)
    if 50 not in ratios:
        return None
    return {point: ratios.get(point, ratios[50]) for point in POINTS}


def _error(
    derived: Decimal | None, start: Decimal | None, official: Decimal | None
) -> Decimal | None:
    if derived is None or start is None or official is None:
        return None
    return abs(derived - official) / official * 100


def _figure(errors: Sequence[Decimal]) -> ErrorFigure:
    return ErrorFigure(
        derivations=len(errors),
        median=_percent(quantile(errors, Decimal("0.5"))),
        p90=_percent(quantile(errors, Decimal("0.9"))),
    )


def _percent(value: Decimal) -> Decimal:
    return value.quantize(_PERCENT_PLACES, ROUND_HALF_UP)


def headline(results: Mapping[str, KindResult]) -> str:
    """One line: each kind's median error of the median."""
    if not results:
        return "nothing to back-test"
    return (
        ", ".join(
            f"{kind} ±{results[kind].errors[50].median}%" for kind in KINDS if kind in results
        )
        + " (median error of a derived median)"
    )


# The database ----------------------------------------------------------------------------


def backtest_release(source: Source) -> dict[str, KindResult]:
    """Back-test one official release's cells (U.S. data)."""
    from benchmarks.models import Band, Occupation  # here: the functions above need no Django

    rows = (
        Band.objects.official_cells_of(source)
        .filter(location__country="US")
        .values_list(
            "occupation__soc_code",
            "location_id",
            "location__kind",
            "industry_id",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "top_coded_from",
        )
    )
    cells = [
        OfficialCell(
            soc_code=soc,
            place=place,
            place_kind=kind,
            industry=industry,
            points=dict(zip(POINTS, values[:5], strict=True)),
            top_coded_from=values[5],
        )
        for soc, place, kind, industry, *values in rows
    ]
    references = Occupation.objects.filter(roles__isnull=False).values_list("soc_code", flat=True)
    return backtest(cells, references)


def store_figures(source: Source, results: Mapping[str, KindResult], today: date) -> None:
    """One figure per kind of the release, updated in place; a kind no longer measurable is
    removed, so the lookup never quotes a figure the data no longer support."""
    from benchmarks.models import BacktestFigure

    for kind in KINDS:
        result = results.get(kind)
        if result is None:
            BacktestFigure.objects.filter(source=source, kind=kind).delete()
            continue
        median = result.errors[50]
        BacktestFigure.objects.update_or_create(
            source=source,
            kind=kind,
            defaults={
                "cells": median.derivations,
                "median_error": median.median,
                "p90_error": median.p90,
                "computed_on": today,
            },
        )


def backtest_newest_release(
    today: date | None = None,
) -> tuple[Source, dict[str, KindResult]] | None:
    """Back-test the newest official release and store its figures (computed ``today``,
    default today); None without one."""
    from django.utils import timezone

    from benchmarks.factors import newest_official_source

    source = newest_official_source()
    if source is None:
        return None
    results = backtest_release(source)
    store_figures(source, results, today or timezone.localdate())
    return source, results

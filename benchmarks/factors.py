"""Location and industry factors computed from the newest official (BLS OEWS) bands.

A location factor is an area's percentiles for an occupation over the U.S. percentiles of the
same occupation, one ratio per percentile (25th ÷ 25th, median ÷ median, …), because official
differentials differ across pay levels; an industry factor is the national percentiles in an
industry over the U.S. cross-industry percentiles. A ratio is left out where either side is
missing or top-coded (a lower bound would make it look exact). Each factor keeps the two medians in its basis text, and the source and
effective date of the release it came from. Recomputing is idempotent: existing factors of that
release are updated in place. Every function reads with a fixed number of queries and writes in
batches, whatever the number of occupations or areas.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from benchmarks.models import Band, Factor, Location, Occupation, Source
from benchmarks.money import grouped_amount

__all__ = [
    "newest_official_source",
    "recompute_industry_factors",
    "recompute_location_factors",
]

_FOUR_PLACES = Decimal("0.0001")
_AREA_KINDS = (Location.Kind.STATE, Location.Kind.METRO, Location.Kind.NONMETRO)
_BATCH_SIZE = 1000
_POINTS = ("p10", "p25", "p50", "p75", "p90")
_FACTOR_FIELDS = {
    10: "value_p10",
    25: "value_p25",
    50: "value",
    75: "value_p75",
    90: "value_p90",
}


def newest_official_source(as_of: date | None = None) -> Source | None:
    """The official source with the latest effective date (on or before ``as_of``) that has bands."""
    sources = Source.objects.filter(kind=Source.Kind.OFFICIAL, bands__isnull=False)
    if as_of is not None:
        sources = sources.filter(effective_date__lte=as_of)
    return sources.order_by("-effective_date", "-pk").distinct().first()


@transaction.atomic
def recompute_location_factors(
    occupations: Iterable[Occupation] | None = None, as_of: date | None = None
) -> int:
    """Write area median ÷ U.S. median for each occupation and area; return how many changed.

    ``occupations`` defaults to those some Role stands on. Counts factors created or updated.
    """
    source = newest_official_source(as_of)
    if source is None:
        return 0
    bands = _official_medians(source, occupations).filter(
        industry__isnull=True, location__kind__in=[Location.Kind.NATION, *_AREA_KINDS]
    )
    national: dict[int, dict[str, Any]] = {}
    areas: list[dict[str, Any]] = []
    for band in bands.values(
        "occupation_id",
        "location_id",
        "location__kind",
        "location__name",
        *_POINTS,
        "top_coded_from",
    ):
        if _median_is_top_coded(band):
            # A top-coded median is only a lower bound: a ratio of it would look exact.
            continue
        if band["location__kind"] == Location.Kind.NATION:
            national[band["occupation_id"]] = band
        else:
            areas.append(band)

    wanted: dict[tuple[int, int], tuple[dict[str, Decimal | None], str]] = {}
    for band in areas:
        us = national.get(band["occupation_id"])
        if us:
            wanted[(band["occupation_id"], band["location_id"])] = (
                _ratios(band, us),
                f"{band['location__name']} median {grouped_amount(band['p50'])} ÷ "
                f"U.S. median {grouped_amount(us['p50'])}",
            )
    return _write_factors(Factor.Kind.LOCATION, "location_id", source, wanted)


@transaction.atomic
def recompute_industry_factors(
    occupations: Iterable[Occupation] | None = None, as_of: date | None = None
) -> int:
    """Write industry median ÷ U.S. cross-industry median (national figures); return how many changed."""
    source = newest_official_source(as_of)
    if source is None:
        return 0
    bands = _official_medians(source, occupations).filter(location__kind=Location.Kind.NATION)
    all_industries: dict[int, dict[str, Any]] = {}
    by_industry: list[dict[str, Any]] = []
    for band in bands.values(
        "occupation_id", "industry_id", "industry__name", *_POINTS, "top_coded_from"
    ):
        if _median_is_top_coded(band):
            continue
        if band["industry_id"] is None:
            all_industries[band["occupation_id"]] = band
        else:
            by_industry.append(band)

    wanted: dict[tuple[int, int], tuple[dict[str, Decimal | None], str]] = {}
    for band in by_industry:
        us = all_industries.get(band["occupation_id"])
        if us:
            wanted[(band["occupation_id"], band["industry_id"])] = (
                _ratios(band, us),
                f"{band['industry__name']} median {grouped_amount(band['p50'])} ÷ "
                f"U.S. all-industries median {grouped_amount(us['p50'])}",
            )
    return _write_factors(Factor.Kind.INDUSTRY, "industry_id", source, wanted)


# --------------------------------------------------------------------------- helpers


def _official_medians(source: Source, occupations: Iterable[Occupation] | None):
    bands = Band.objects.official_cells_of(source)
    if occupations is None:
        return bands.filter(occupation__in=Occupation.objects.filter(roles__isnull=False))
    return bands.filter(occupation__in=[o.pk for o in occupations])


def _median_is_top_coded(band: dict[str, Any]) -> bool:
    return band["top_coded_from"] is not None and band["top_coded_from"] <= 50


def _ratio(median: Decimal, us_median: Decimal) -> Decimal:
    return (median / us_median).quantize(_FOUR_PLACES, ROUND_HALF_UP)


def _exact(band: dict[str, Any], point: int) -> Decimal | None:
    top = band["top_coded_from"]
    value = band[f"p{point}"]
    return None if value is None or (top is not None and point >= top) else value


def _ratios(band: dict[str, Any], us: dict[str, Any]) -> dict[str, Decimal | None]:
    """The factor field values: ``value`` (median ÷ median) and each other percentile's ratio."""
    ratios: dict[str, Decimal | None] = {}
    for point, name in _FACTOR_FIELDS.items():
        here, there = _exact(band, point), _exact(us, point)
        ratios[name] = _ratio(here, there) if here and there else None
    return ratios


def _write_factors(
    kind: str,
    target_field: str,
    source: Source,
    wanted: dict[tuple[int, int], tuple[dict[str, Decimal | None], str]],
) -> int:
    """Create or update one factor per (occupation, target); return how many were written."""
    existing = {
        (f.occupation_id, getattr(f, target_field)): f
        for f in Factor.objects.filter(
            kind=kind,
            source=source,
            effective_date=source.effective_date,
            occupation_id__in={occupation for occupation, _ in wanted},
        )
    }
    to_create, to_update = [], []
    fields = [*_FACTOR_FIELDS.values(), "basis"]
    for (occupation_id, target_id), (values, basis) in wanted.items():
        values = {**values, "basis": basis[:300]}
        factor = existing.get((occupation_id, target_id))
        if factor is None:
            to_create.append(
                Factor(
                    kind=kind,
                    occupation_id=occupation_id,
                    source=source,
                    effective_date=source.effective_date,
                    **values,
                    **{target_field: target_id},
                )
            )
        elif any(getattr(factor, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(factor, name, value)
            to_update.append(factor)
    reason = f"Computed from {source}"[:100]
    if to_create:
        bulk_create_with_history(
            to_create, Factor, batch_size=_BATCH_SIZE, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            Factor,
            fields,
            batch_size=_BATCH_SIZE,
            default_change_reason=reason,
        )
    return len(to_create) + len(to_update)

"""Write parsed BLS OEWS rows into the market-data tables.

`benchmarks.importers.oews` turns a file into `OewsRow`s; this module upserts the occupations,
areas, industries, the release's Source (with its top-coding bound) and one base-salary Band
per cell (area, industry, occupation), all in one transaction. It compares against what is
stored, so importing the same file twice changes nothing, and a newer release (another effective
date) adds its bands beside the older ones.

Every table is read once and written in batches: the number of queries grows with the number
of batches, never with the number of rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from benchmarks.importers.oews import (
    TOP_CODED_ANNUAL,
    OewsFormatError,
    OewsRow,
    RowError,
    WageValue,
    count_data_rows,
    ownership_rank,
    read_oews,
    resolve_top_coding,
)
from benchmarks.importers.oews import Source as OewsFile
from benchmarks.models import Band, Industry, Location, Occupation, Source
from benchmarks.money import grouped_amount

__all__ = [
    "BATCH_SIZE",
    "OEWS_SOURCE_NAME",
    "ChangeCounts",
    "OewsLoadError",
    "OewsLoadResult",
    "Progress",
    "import_oews_file",
    "load_oews_rows",
    "oews_source",
    "release_from_filename",
    "release_from_label",
    "release_is_loaded",
    "release_top_coding_bound",
]

OEWS_SOURCE_NAME = "BLS Occupational Employment and Wage Statistics"
NATION_AREA_CODE = "99"
CROSS_INDUSTRY_NAICS = "000000"
# BLS titles that read badly in a menu of industries, by NAICS code.
INDUSTRY_NAMES = {"000001": "Private sector (all industries)"}
BATCH_SIZE = 1000

_OEWS_SOURCE_DEFAULTS = {
    "kind": Source.Kind.OFFICIAL,
    "publisher": "U.S. Bureau of Labor Statistics",
    "url": "https://www.bls.gov/oes/",
    "licence": "Public domain (U.S. government work); not endorsed by BLS",
}
_OEWS_NOTES = (
    "Official Occupational Employment and Wage Statistics (OEWS) estimates. The bands are annual "
    "base wages (no bonus, equity or benefits) across all experience levels, for the whole "
    "occupation: they carry no role or level. Where BLS prints a figure once per ownership, the "
    "row covering every employer (private and government) is used. Percentiles BLS does not "
    "publish ('*') are left empty; rows without an annual median, and rows for which BLS "
    "publishes hourly wages only, are not imported. BLS prints '#' for wages at or above the "
    "release's top-coding bound, kept per release as this source's top-coding bound "
    "(this release: ${bound} a year). The same files publish exact percentiles above that "
    "bound for some high-paid occupations, so a '#' percentile is stored as the larger of the "
    "bound and the highest exact percentile below it in the same row (a row printed '#' "
    "throughout is the bound from the 10th percentile up). The band's 'top-coded from' names "
    "the lowest top-coded percentile: it and those above are lower bounds, not exact values. "
    "Cite as: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics, "
    "{release}."
)

# AREA_TYPE -> Location.Kind: 1 U.S., 2 state, 3 U.S. territory, 4 metro area, 6 nonmetro area.
_AREA_KINDS = {
    1: Location.Kind.NATION,
    2: Location.Kind.STATE,
    3: Location.Kind.STATE,
    4: Location.Kind.METRO,
    6: Location.Kind.NONMETRO,
}
_PERCENTILE_ATTRS = {10: "p10", 25: "p25", 50: "p50", 75: "p75", 90: "p90"}
_BAND_VALUE_FIELDS = ("p10", "p25", "p50", "p75", "p90", "top_coded_from", "employment")
_CENTS = Decimal("0.01")

# progress(stage, done, total): stage is "read" (parsing the file) or "write" (saving bands).
Progress = Callable[[str, int, int], None]


class OewsLoadError(ValueError):
    """The rows are well formed but cannot be stored as asked (e.g. a release label clash)."""


@dataclass(frozen=True)
class ChangeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"


@dataclass(frozen=True)
class OewsLoadResult:
    release: str
    effective_date: date
    source_id: int
    source_created: bool
    rows: int
    occupations: ChangeCounts
    locations: ChangeCounts
    industries: ChangeCounts
    bands: ChangeCounts
    skipped_without_median: int
    # Lines repeating an earlier line's occupation, area, industry and ownership: the first one
    # is kept.
    duplicate_lines: tuple[int, ...] = field(default=())
    top_coding_bound: Decimal = TOP_CODED_ANNUAL
    # HOURLY=TRUE rows: BLS publishes no annual wages for them.
    skipped_hourly_only: int = 0
    # Rows for one ownership (e.g. private only) of a cell another row covers for every employer.
    skipped_narrower_ownership: int = 0

    @property
    def changed(self) -> bool:
        return self.source_created or any(
            c.created or c.updated
            for c in (self.occupations, self.locations, self.industries, self.bands)
        )

    def summary(self) -> str:
        lines = [
            f"OEWS {self.release} (effective {self.effective_date:%Y-%m-%d}): {self.rows:,} rows read",
            f"  bands: {self.bands}",
            f"  occupations: {self.occupations}",
            f"  locations: {self.locations}",
            f"  industries: {self.industries}",
            f"  top-coding bound: {grouped_amount(self.top_coding_bound)} a year",
        ]
        if self.skipped_without_median:
            lines.append(f"  skipped (no annual median published): {self.skipped_without_median:,}")
        if self.skipped_hourly_only:
            lines.append(
                f"  skipped (BLS publishes hourly wages only): {self.skipped_hourly_only:,}"
            )
        if self.skipped_narrower_ownership:
            lines.append(
                "  skipped (a row covering more ownerships gives the same cell): "
                f"{self.skipped_narrower_ownership:,}"
            )
        if self.duplicate_lines:
            shown = ", ".join(str(n) for n in self.duplicate_lines[:10])
            more = "…" if len(self.duplicate_lines) > 10 else ""
            lines.append(
                f"  skipped (repeat an earlier row's occupation, area and industry): "
                f"{len(self.duplicate_lines):,} (lines {shown}{more})"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------- release labels

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MONTH_YEAR_RE = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_ ]?((?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
# BLS's own names: all_data_M_2024.xlsx (M = May), oesm24all.zip.
_BLS_MAY_RE = re.compile(r"(?:^|[^a-z])m_((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_OESM_RE = re.compile(r"oesm(\d{2})", re.IGNORECASE)


def release_from_filename(name: str) -> tuple[str, date] | None:
    """Release label and effective date from a file name, or None when it does not say.

    ``oews-may2025-tech.csv`` -> ("May 2025", 2025-05-01); BLS's ``all_data_M_2024.xlsx`` and
    ``oesm24all`` -> ("May 2024", 2024-05-01): OEWS estimates are dated May of their year.
    """
    if match := _MONTH_YEAR_RE.search(name):
        month, year = _MONTHS[match.group(1).lower()], int(match.group(2))
    elif match := _BLS_MAY_RE.search(name):
        month, year = 5, int(match.group(1))
    elif match := _OESM_RE.search(name):
        month, year = 5, 2000 + int(match.group(1))
    else:
        return None
    effective = date(year, month, 1)
    return f"{effective:%B %Y}", effective


def release_from_label(label: str) -> date | None:
    """The first day of the month a label such as "May 2025" names, or None."""
    match = _MONTH_YEAR_RE.fullmatch(label.strip())
    if not match:
        return None
    return date(int(match.group(2)), _MONTHS[match.group(1).lower()], 1)


def oews_source(release: str) -> Source | None:
    return Source.objects.filter(name=OEWS_SOURCE_NAME, release=release).first()


def release_top_coding_bound(release: str, top_coding_bound: Decimal | None = None) -> Decimal:
    """The yearly bound behind BLS's '#' for ``release``.

    ``top_coding_bound`` when given; else the one stored on the release's Source; else the
    May 2025 footnote's (239,200).
    """
    if top_coding_bound is not None:
        return top_coding_bound
    source = oews_source(release)
    if source is not None and source.top_coding_bound is not None:
        return source.top_coding_bound
    return TOP_CODED_ANNUAL


def release_is_loaded(rows: Iterable[OewsRow], *, release: str, effective_date: date) -> bool:
    """True when ``release`` is stored with as many bands as ``rows`` would give.

    A cheap check (two queries, no comparison of values) for loading shipped data again.
    """
    source = oews_source(release)
    if source is None or source.effective_date != effective_date:
        return False
    return Band.objects.official_cells_of(source).count() == len(_band_rows(rows).rows)


# --------------------------------------------------------------------------- public API


def import_oews_file(
    path_or_file: OewsFile,
    *,
    release: str,
    effective_date: date,
    filename: str | None = None,
    top_coding_bound: Decimal | None = None,
    progress: Progress | None = None,
    progress_every: int = 10_000,
) -> OewsLoadResult:
    """Parse a whole OEWS file, then store it; all or nothing.

    ``top_coding_bound`` is the release's yearly bound behind '#' (default: the one stored for
    the release, else 239,200); it is kept on the release's Source.
    Raises ``OewsFormatError`` listing every bad row (by line) before anything is written.
    """
    bound = release_top_coding_bound(release, top_coding_bound)
    total = count_data_rows(path_or_file, filename=filename) if progress else 0
    if progress and hasattr(path_or_file, "seek"):
        path_or_file.seek(0)  # counting read the file object; parse it from the start
    rows: list[OewsRow] = []
    errors: list[RowError] = []
    n = 0
    items = read_oews(path_or_file, filename=filename, top_coding_bound=bound)
    for n, item in enumerate(items, start=1):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
        if progress and n % progress_every == 0:
            progress("read", n, total)
    if errors:
        raise OewsFormatError(errors)
    if progress and n % progress_every:
        progress("read", n, total)
    return load_oews_rows(
        rows,
        release=release,
        effective_date=effective_date,
        top_coding_bound=top_coding_bound,
        progress=progress,
        progress_every=progress_every,
    )


def load_oews_rows(
    rows: Iterable[OewsRow],
    *,
    release: str,
    effective_date: date,
    top_coding_bound: Decimal | None = None,
    progress: Progress | None = None,
    progress_every: int = 10_000,
) -> OewsLoadResult:
    """Upsert occupations, areas, industries, the Source and the bands of one OEWS release.

    ``top_coding_bound`` given is stored on the Source (replacing the one stored); otherwise the
    stored one, else 239,200, is used. Each '#' percentile is stored as at least the larger of
    the bound and the highest exact percentile below it (``resolve_top_coding``).

    One transaction: on any error nothing is written. Raises ``OewsFormatError`` for rows whose
    AREA_TYPE is unknown and ``OewsLoadError`` when ``release`` is already stored with another
    effective date.
    """
    if top_coding_bound is not None and top_coding_bound <= 0:
        raise OewsLoadError(f"The top-coding bound must be above zero, not {top_coding_bound}.")
    rows = list(rows)
    unknown_areas = [
        RowError(r.line, f"AREA_TYPE: {r.area_type} is not a known area type (1, 2, 3, 4 or 6)")
        for r in rows
        if r.area_type not in _AREA_KINDS
    ]
    if unknown_areas:
        raise OewsFormatError(unknown_areas)

    selected = _band_rows(rows)
    with transaction.atomic():
        source, source_created = _source(release, effective_date, top_coding_bound)
        occupation_ids, occupations = _upsert_occupations(rows)
        location_ids, locations = _upsert_locations(rows)
        industry_ids, industries = _upsert_industries(rows)
        bands = _upsert_bands(
            selected.rows,
            source=source,
            occupation_ids=occupation_ids,
            location_ids=location_ids,
            industry_ids=industry_ids,
            progress=progress,
            progress_every=progress_every,
        )
    return OewsLoadResult(
        release=release,
        effective_date=effective_date,
        source_id=source.pk,
        source_created=source_created,
        rows=len(rows),
        occupations=occupations,
        locations=locations,
        industries=industries,
        bands=bands,
        skipped_without_median=selected.without_median,
        duplicate_lines=tuple(selected.duplicate_lines),
        top_coding_bound=source.top_coding_bound,
        skipped_hourly_only=selected.hourly_only,
        skipped_narrower_ownership=selected.narrower_ownership,
    )


# --------------------------------------------------------------------------- source and lookups


def _notes(release: str, bound: Decimal) -> str:
    return _OEWS_NOTES.format(release=release, bound=grouped_amount(bound))


def _source(
    release: str, effective_date: date, top_coding_bound: Decimal | None
) -> tuple[Source, bool]:
    bound = (top_coding_bound or TOP_CODED_ANNUAL).quantize(_CENTS)
    source, created = Source.objects.get_or_create(
        name=OEWS_SOURCE_NAME,
        release=release,
        defaults={
            **_OEWS_SOURCE_DEFAULTS,
            "effective_date": effective_date,
            "notes": _notes(release, bound),
            "top_coding_bound": bound,
        },
    )
    # Notes, link and licence may have been edited by an admin since: leave them be.
    if source.effective_date != effective_date:
        raise OewsLoadError(
            f"Release {release!r} is already stored with effective date "
            f"{source.effective_date:%Y-%m-%d}, not {effective_date:%Y-%m-%d}. Use the same "
            "date to re-import it, or another release label for a new release."
        )
    stored = source.top_coding_bound
    if stored is None or (top_coding_bound is not None and stored != bound):
        # A bound asked for replaces the stored one; notes still as written here follow it.
        if source.notes == _notes(release, stored or TOP_CODED_ANNUAL):
            source.notes = _notes(release, bound)
        source.top_coding_bound = bound
        source.save(update_fields=["top_coding_bound", "notes"])
    return source, created


def _upsert(
    model: type[Any],
    key_field: str,
    wanted: dict[str, dict[str, Any]],
) -> tuple[dict[str, int], ChangeCounts]:
    """Create or update ``model`` rows keyed on ``key_field``; return key -> id and counts.

    ``wanted`` maps each key to the field values it should have. Three queries plus the writes.
    """
    if not wanted:
        return {}, ChangeCounts()
    fields = sorted({f for values in wanted.values() for f in values})
    existing = {
        getattr(obj, key_field): obj
        for obj in model.objects.filter(**{f"{key_field}__in": list(wanted)})
    }
    to_create, to_update, unchanged = [], [], 0
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**{key_field: key}, **values))
        elif any(getattr(obj, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(obj, f, v)
            to_update.append(obj)
        else:
            unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    ids = dict(
        model.objects.filter(**{f"{key_field}__in": list(wanted)}).values_list(key_field, "pk")
    )
    return ids, ChangeCounts(len(to_create), len(to_update), unchanged)


def _upsert_occupations(rows: list[OewsRow]) -> tuple[dict[str, int], ChangeCounts]:
    wanted: dict[str, dict[str, Any]] = {}
    for r in rows:
        wanted.setdefault(r.occ_code, {"title": r.occ_title or r.occ_code})
    return _upsert(Occupation, "soc_code", wanted)


def _upsert_industries(rows: list[OewsRow]) -> tuple[dict[str, int], ChangeCounts]:
    wanted: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.naics != CROSS_INDUSTRY_NAICS:
            name = INDUSTRY_NAMES.get(r.naics) or r.naics_title or f"NAICS {r.naics}"
            wanted.setdefault(r.naics, {"name": name})
    return _upsert(Industry, "naics_code", wanted)


def _upsert_locations(rows: list[OewsRow]) -> tuple[dict[str, int], ChangeCounts]:
    """Nation, then states (parent: the nation), then areas (parent: their primary state)."""
    areas: dict[str, OewsRow] = {}
    for r in rows:
        areas.setdefault(r.area_code, r)

    def values(r: OewsRow, parent_id: int | None) -> dict[str, Any]:
        kind = _AREA_KINDS[r.area_type]
        return {
            "name": "U.S." if kind == Location.Kind.NATION else (r.area_title or r.area_code),
            "kind": kind,
            "country": "US",
            "currency": "USD",
            "state_code": "" if kind == Location.Kind.NATION else r.prim_state[:2],
            "parent_id": parent_id,
        }

    by_kind: dict[str, list[OewsRow]] = {}
    for r in areas.values():
        by_kind.setdefault(_AREA_KINDS[r.area_type], []).append(r)

    ids: dict[str, int] = {}
    counts = ChangeCounts()

    def run(wanted: dict[str, dict[str, Any]]) -> None:
        nonlocal counts
        _adopt_locations_without_code(wanted)
        new_ids, new_counts = _upsert(Location, "bls_area_code", wanted)
        ids.update(new_ids)
        counts = ChangeCounts(
            counts.created + new_counts.created,
            counts.updated + new_counts.updated,
            counts.unchanged + new_counts.unchanged,
        )

    run({r.area_code: values(r, None) for r in by_kind.get(Location.Kind.NATION, [])})
    nation_id = ids.get(NATION_AREA_CODE) or (
        Location.objects.filter(bls_area_code=NATION_AREA_CODE).values_list("pk", flat=True).first()
    )
    run({r.area_code: values(r, nation_id) for r in by_kind.get(Location.Kind.STATE, [])})

    # Areas may name a state this file does not carry: look states up in the database.
    state_ids = dict(
        Location.objects.filter(kind=Location.Kind.STATE, country="US")
        .exclude(state_code="")
        .values_list("state_code", "pk")
    )
    run(
        {
            r.area_code: values(r, state_ids.get(r.prim_state))
            for kind in (Location.Kind.METRO, Location.Kind.NONMETRO)
            for r in by_kind.get(kind, [])
        }
    )
    return ids, counts


def _adopt_locations_without_code(wanted: dict[str, dict[str, Any]]) -> None:
    """Give an admin-made place without a BLS code (e.g. "U.S.") the code of its file row."""
    if not wanted:
        return
    candidates = Location.objects.filter(
        bls_area_code="", country="US", name__in=[v["name"] for v in wanted.values()]
    )
    by_name = {(loc.name, loc.kind): loc for loc in candidates}
    if not by_name:
        return
    coded = set(
        Location.objects.filter(bls_area_code__in=list(wanted)).values_list(
            "bls_area_code", flat=True
        )
    )
    adopted = []
    for code, v in wanted.items():
        loc = by_name.get((v["name"], v["kind"]))
        if loc is not None and code not in coded:
            loc.bls_area_code = code
            adopted.append(loc)
    Location.objects.bulk_update(adopted, ["bls_area_code"])


# --------------------------------------------------------------------------- bands


@dataclass(frozen=True)
class _BandRows:
    """The one row per cell that becomes a band, and why the other rows do not."""

    rows: list[OewsRow]
    without_median: int
    hourly_only: int
    narrower_ownership: int
    duplicate_lines: list[int]


def _band_rows(rows: Iterable[OewsRow]) -> _BandRows:
    """Per cell (occupation, area, industry) the row covering the most ownerships, in file order.

    BLS's full files may print a cell once per ownership (OWN_CODE 1235 every employer, 5 private
    only…): whatever the order, the broadest one describes the cell, and when it has no annual
    median the cell has no band (a narrower ownership never stands in for it). A row repeating
    a kept row's cell and ownership is a duplicate: the first one is kept.
    """
    chosen: dict[tuple[str, str, str], OewsRow] = {}
    narrower = 0
    duplicates: list[int] = []
    for r in rows:
        key = (r.occ_code, r.area_code, r.naics)
        kept = chosen.get(key)
        if kept is None:
            chosen[key] = r
            continue
        rank, kept_rank = ownership_rank(r.own_code), ownership_rank(kept.own_code)
        if rank == kept_rank:
            duplicates.append(r.line)
        else:
            narrower += 1
            if rank < kept_rank:
                chosen[key] = r
    band_rows: list[OewsRow] = []
    hourly_only = without_median = 0
    for r in sorted(chosen.values(), key=lambda r: r.line):
        if r.hourly_only:
            hourly_only += 1
        elif r.annual_median.amount is None:
            without_median += 1
        else:
            band_rows.append(r)
    return _BandRows(band_rows, without_median, hourly_only, narrower, sorted(duplicates))


def _band_values(r: OewsRow, bound: Decimal) -> dict[str, Any]:
    values: dict[str, Any] = {"top_coded_from": None, "employment": r.total_employment}
    # Resolved again with the release's bound: the rows may have been read with another.
    resolved: list[WageValue] = resolve_top_coding(r.annual_percentiles.values(), bound)
    for point, wage in zip(r.annual_percentiles, resolved, strict=True):
        amount = wage.amount
        values[_PERCENTILE_ATTRS[point]] = None if amount is None else amount.quantize(_CENTS)
        if wage.top_coded and values["top_coded_from"] is None:
            values["top_coded_from"] = point
    return values


def _upsert_bands(
    rows: list[OewsRow],
    *,
    source: Source,
    occupation_ids: dict[str, int],
    location_ids: dict[str, int],
    industry_ids: dict[str, int],
    progress: Progress | None,
    progress_every: int,
) -> ChangeCounts:
    """Create or update one band per row; the rows are one per cell (``_band_rows``)."""
    effective_date = source.effective_date
    bound = source.top_coding_bound
    existing = {
        (b.occupation_id, b.location_id, b.industry_id): b
        for b in Band.objects.official_cells_of(source).only(
            "id", "occupation_id", "location_id", "industry_id", *_BAND_VALUE_FIELDS
        )
    }
    unchanged = 0
    to_create: list[Band] = []
    to_update: list[Band] = []
    for r in rows:
        industry_id = None if r.naics == CROSS_INDUSTRY_NAICS else industry_ids[r.naics]
        key = (occupation_ids[r.occ_code], location_ids[r.area_code], industry_id)
        values = _band_values(r, bound)
        band = existing.get(key)
        if band is None:
            to_create.append(
                Band(
                    occupation_id=key[0],
                    location_id=key[1],
                    industry_id=industry_id,
                    component=Band.Component.BASE,
                    currency="USD",
                    source=source,
                    effective_date=effective_date,
                    **values,
                )
            )
        elif any(getattr(band, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(band, f, v)
            to_update.append(band)
        else:
            unchanged += 1

    reason = f"Imported {source}"[:100]
    total = len(to_create) + len(to_update)
    done = 0
    # Write in slices so progress can be reported; each slice is a few batches.
    step = max(BATCH_SIZE, progress_every)
    for start in range(0, len(to_create), step):
        chunk = to_create[start : start + step]
        Band.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        done += len(chunk)
        if progress:
            progress("write", done, total)
    if to_create:
        _record_creation_history(source, reason)
    for start in range(0, len(to_update), step):
        chunk = to_update[start : start + step]
        bulk_update_with_history(
            chunk,
            Band,
            list(_BAND_VALUE_FIELDS),
            batch_size=BATCH_SIZE,
            default_change_reason=reason,
        )
        done += len(chunk)
        if progress:
            progress("write", done, total)
    return ChangeCounts(len(to_create), len(to_update), unchanged)


def _record_creation_history(source: Source, reason: str) -> None:
    """Give each band of ``source`` that has no history yet its "created" history record.

    One INSERT … SELECT instead of simple_history's bulk_create_with_history, which builds a
    second Python object per band and doubled the time of a 100,000-row import.
    """
    history = Band.history.model
    qn = connection.ops.quote_name
    columns = [f.column for f in Band._meta.concrete_fields]
    insert_columns = [
        *columns,
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    history_table, band_table = qn(history._meta.db_table), qn(Band._meta.db_table)
    into = ", ".join(qn(c) for c in insert_columns)
    select = ", ".join(f"b.{qn(c)}" for c in columns)
    # Only quoted names from the models' metadata are interpolated; values are parameters.
    sql = f"INSERT INTO {history_table} ({into}) SELECT {select}, %s, %s, '+', NULL FROM {band_table} b WHERE b.source_id = %s AND b.effective_date = %s AND NOT EXISTS (SELECT 1 FROM {history_table} h WHERE h.id = b.id)"  # noqa: S608
    params = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        reason,
        source.pk,
        connection.ops.adapt_datefield_value(source.effective_date),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)

"""Resolve the market band for a role, level and place, and say how it was found.

Three queries at most, however many lookups and however large the tables: the market-data stamp;
then, for lookups not already resolved in this process since market data last changed, every
candidate band for them and the factors and exchange rates they need. Pure Python then chooses
and explains. A warm lookup is the stamp's one query.

Resolution, for each lookup (the newest row effective on or before ``as_of`` wins throughout):

1. The role's band for the level; when there is none (or no level was asked), the band for all
   experience levels — the role's own if there is one, else the official band of its occupation.
2. Within that, the most specific place first: the target location itself, then the national
   location of its country, then (for a place outside the U.S. with no national band of its own)
   the U.S. national band. At a place, a band for the asked industry and company size is
   preferred to one for all industries or sizes.
3. Whatever the chosen band does not cover is derived: × location factor (the role's occupation's
   factor preferred, else one for all occupations), × industry factor, × company-size factor, then
   converted to the target currency. A missing factor is a step that says so; it assumes 1.0.

Confidence: ``OFFICIAL_EXACT`` only for an official statistic of exactly the asked cell, used as is.
A published guide's exact cell is ``DERIVED`` (a guide's ranges are a reading, not a measurement —
its source is named in the step, so users tell official data from a guide), anything adapted by a
factor or converted is ``DERIVED``, and anything resting on an assumption — an assumption source,
or a missing factor taken as 1.0 — is ``ASSUMPTION``.

When the band's currency cannot be converted to the target currency (no exchange rate), the
lookup returns None rather than a band in a currency the caller did not ask for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from django.db.models import (
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from benchmarks.market_cache import StampedCache, current_stamp
from benchmarks.models import (
    Band,
    CompanySize,
    ExchangeRate,
    Factor,
    Industry,
    Level,
    Location,
    Role,
    Source,
)
from benchmarks.percentiles import PERCENTILE_POINTS, BandPosition, place_in_band, scale_points

__all__ = [
    "BandQuery",
    "Confidence",
    "ProvenanceStep",
    "ResolvedBand",
    "band_for",
    "bands_for",
]

US = "US"
USD = "USD"
_SOURCE_KIND_RANK = {Source.Kind.OFFICIAL: 0, Source.Kind.PUBLISHED: 1, Source.Kind.ASSUMPTION: 2}


class Confidence(StrEnum):
    OFFICIAL_EXACT = "official exact"
    DERIVED = "derived"
    ASSUMPTION = "assumption"

    @property
    def explanation(self) -> str:
        return {
            Confidence.OFFICIAL_EXACT: "Official statistics for exactly this selection, used as published.",
            Confidence.DERIVED: "Computed from a published guide or adapted from other data by the factors below.",
            Confidence.ASSUMPTION: "Rests on at least one assumption (marked below); treat it as a rough guide.",
        }[self]


@dataclass(frozen=True)
class ProvenanceStep:
    description: str  # one line a person reads
    source: str  # source name and release; empty for a step that notes missing data
    effective_date: date
    is_assumption: bool
    factor: Decimal | None = None


@dataclass(frozen=True)
class BandQuery:
    """What to look up. Model instances, not ids: the caller loads them (``select_related``),
    so the lookup knows the role's occupation and the place's country without a query."""

    role: Role
    level: Level | None
    location: Location
    industry: Industry | None = None
    company_size: CompanySize | None = None
    component: str = Band.Component.BASE
    as_of: date | None = None  # None: today
    currency: str | None = None  # None: the location's currency


@dataclass(frozen=True)
class ResolvedBand:
    # 10, 25, 50, 75, 90 in order; whole currency units. Read-only: requests share resolved bands.
    percentiles: Mapping[int, Decimal | None]
    currency: str
    component: str
    confidence: Confidence
    steps: tuple[ProvenanceStep, ...]
    effective_date: date  # of the newest input used
    top_coded_from: int | None
    label: str

    def position(self, amount: Decimal) -> BandPosition:
        return place_in_band(amount, self.percentiles)


def band_for(query: BandQuery, *, stamp: tuple | None = None) -> ResolvedBand | None:
    return bands_for([query], stamp=stamp)[0]


# Resolved bands of the current market data, shared by the requests this process serves.
RESOLVED_BANDS = StampedCache(max_entries=50_000)


def bands_for(
    queries: Sequence[BandQuery], *, stamp: tuple | None = None
) -> list[ResolvedBand | None]:
    """Resolve every query, in order: one query for the market-data stamp (none when the caller
    read it this request), then for whatever this process has not resolved since market data
    last changed, two more."""
    if not queries:
        return []
    today = timezone.localdate()
    queries = [q if q.as_of else replace(q, as_of=today) for q in queries]
    keys = [_cache_key(q) for q in queries]
    by_key = dict(zip(keys, queries, strict=True))
    return RESOLVED_BANDS.get_or_compute(
        stamp or current_stamp(),
        keys,
        lambda missing: _resolve_all([by_key[k] for k in missing]),
    )


def _cache_key(query: BandQuery) -> tuple:
    # Names and places shown in a resolved band come from market data, so the stamp covers them.
    return (
        query.role.pk,
        _pk(query.level),
        query.location.pk,
        _pk(query.industry),
        _pk(query.company_size),
        query.component,
        query.as_of,
        query.currency,
    )


def _resolve_all(queries: Sequence[BandQuery]) -> list[ResolvedBand | None]:
    """Resolve in two database queries at most, however many lookups and bands."""
    bands = _candidate_bands(queries)
    choices = [_choose_band(q, bands) for q in queries]

    needs = [(q, c) for q, c in zip(queries, choices, strict=True) if c is not None]
    adjustments = (
        _Adjustments.fetch(needs) if any(_needs_adjusting(q, c) for q, c in needs) else None
    )
    return [
        None if choice is None else _resolve(query, choice, adjustments)
        for query, choice in zip(queries, choices, strict=True)
    ]


# Query 1: candidate bands ----------------------------------------------------------------------


def _candidate_bands(queries: Sequence[BandQuery]) -> list[Band]:
    role_ids = {q.role.pk for q in queries}
    occupation_ids = {q.role.occupation_id for q in queries}
    location_ids = {q.location.pk for q in queries}
    countries = {q.location.country for q in queries} | {US}
    industry_ids = {q.industry.pk for q in queries if q.industry}
    size_ids = {q.company_size.pk for q in queries if q.company_size}
    # The asked places and their nations, as a subquery of the same statement, so the index on
    # (location, occupation, component, effective_date) serves the whole lookup. A role's own
    # bands stand under the role's occupation (Band.save keeps them there).
    places = Location.objects.filter(
        Q(pk__in=location_ids) | Q(kind=Location.Kind.NATION, country__in=countries)
    ).values("pk")
    return list(
        Band.objects.effective_on(max(q.as_of for q in queries))
        .filter(location__in=Subquery(places), occupation__in=occupation_ids)
        .filter(component__in={q.component for q in queries})
        .filter(Q(role__in=role_ids) | Q(role__isnull=True))
        .filter(Q(industry__isnull=True) | Q(industry__in=industry_ids))
        .filter(Q(company_size__isnull=True) | Q(company_size__in=size_ids))
        .select_related("source", "location", "occupation")
        .order_by()
    )


@dataclass(frozen=True)
class _Choice:
    band: Band
    all_levels_instead_of: Level | None  # the asked level, when only an all-levels band exists


def _choose_band(query: BandQuery, bands: Iterable[Band]) -> _Choice | None:
    usable = [
        b
        for b in bands
        if b.component == query.component
        and b.effective_date <= query.as_of
        and b.industry_id in (None, _pk(query.industry))
        and b.company_size_id in (None, _pk(query.company_size))
    ]
    role, level = query.role, query.level
    level_bands = [b for b in usable if level and b.role_id == role.pk and b.level_id == level.pk]
    all_levels = [
        b
        for b in usable
        if b.level_id is None
        and (b.role_id == role.pk or (b.role_id is None and b.occupation_id == role.occupation_id))
    ]
    for tier, instead_of in ((level_bands, None), (all_levels, level)):
        for location_ids in _places_in_order(query.location, tier):
            here = [b for b in tier if b.location_id in location_ids]
            if here:
                best = min(here, key=lambda b: _preference(query, b))
                return _Choice(best, instead_of)
    return None


def _places_in_order(target: Location, bands: Sequence[Band]) -> list[set[int]]:
    """The target, then its country's national location, then the U.S. national location."""
    national = {
        b.location_id
        for b in bands
        if b.location.kind == Location.Kind.NATION and b.location.country == target.country
    }
    us_national = {
        b.location_id
        for b in bands
        if b.location.kind == Location.Kind.NATION and b.location.country == US
    }
    return [{target.pk}, national - {target.pk}, us_national - {target.pk}]


def _preference(query: BandQuery, band: Band) -> tuple:
    """Sort key, best first: asked industry and size covered, the role's own band, newest, most
    authoritative source, then the latest entered (a stable tie-break)."""
    return (
        query.industry is not None and band.industry_id is None,
        query.company_size is not None and band.company_size_id is None,
        band.role_id is None,
        -band.effective_date.toordinal(),
        _SOURCE_KIND_RANK.get(band.source.kind, 9),
        -band.pk,
    )


def _pk(instance) -> int | None:
    return instance.pk if instance is not None else None


def _needs_adjusting(query: BandQuery, choice: _Choice) -> bool:
    band = choice.band
    return (
        band.location_id != query.location.pk
        or (query.industry is not None and band.industry_id is None)
        or (query.company_size is not None and band.company_size_id is None)
        or band.currency != _target_currency(query)
    )


def _target_currency(query: BandQuery) -> str:
    return query.currency or query.location.currency


# Query 2: factors and exchange rates, in one UNION ------------------------------------------


@dataclass(frozen=True)
class _Row:
    """A factor or an exchange rate, as the UNION returns them."""

    row_kind: str  # a Factor.Kind, or "rate"
    occupation_id: int | None
    target: str  # the location, industry or size id of a factor; the currency of a rate
    value: Decimal
    basis: str
    effective_date: date
    source: str
    source_kind: str


_COLUMNS = ("row_kind", "row_occupation", "row_target", "row_value", "row_basis", "row_date")
_SOURCE_COLUMNS = ("row_source_name", "row_source_release", "row_source_kind")


class _Adjustments:
    def __init__(self, rows: Iterable[_Row]):
        self.factors: dict[tuple[str, str], list[_Row]] = defaultdict(list)
        self.rates: dict[str, list[_Row]] = defaultdict(list)
        for row in rows:
            if row.row_kind == "rate":
                self.rates[row.target].append(row)
            else:
                self.factors[(row.row_kind, row.target)].append(row)

    @classmethod
    def fetch(cls, needs: Sequence[tuple[BandQuery, _Choice]]) -> _Adjustments:
        as_of = max(q.as_of for q, _ in needs)
        location_ids = {q.location.pk for q, _ in needs}
        industry_ids = {q.industry.pk for q, _ in needs if q.industry}
        size_ids = {q.company_size.pk for q, _ in needs if q.company_size}
        currencies = {_target_currency(q) for q, _ in needs} | {c.band.currency for _, c in needs}
        factors = (
            Factor.objects.filter(effective_date__lte=as_of)
            .filter(
                Q(kind=Factor.Kind.LOCATION, location__in=location_ids)
                | Q(kind=Factor.Kind.INDUSTRY, industry__in=industry_ids)
                | Q(kind=Factor.Kind.COMPANY_SIZE, company_size__in=size_ids)
            )
            .filter(
                Q(occupation__isnull=True)
                | Q(occupation__in={q.role.occupation_id for q, _ in needs})
            )
            .annotate(
                row_kind=F("kind"),
                row_occupation=F("occupation_id"),
                row_target=_as_text(Coalesce("location_id", "industry_id", "company_size_id")),
                row_value=_as_rate(F("value")),
                row_basis=F("basis"),
                row_date=F("effective_date"),
            )
        )
        rates = ExchangeRate.objects.filter(
            date__lte=as_of, currency__in=currencies - {USD}
        ).annotate(
            row_kind=Value("rate", output_field=CharField()),
            row_occupation=Value(None, output_field=IntegerField()),
            row_target=_as_text(F("currency")),
            row_value=_as_rate(F("units_per_usd")),
            row_basis=Value("", output_field=CharField()),
            row_date=F("date"),
        )
        columns = (*_COLUMNS, *_SOURCE_COLUMNS)
        union = (
            _with_source(factors)
            .values_list(*columns)
            .order_by()
            .union(_with_source(rates).values_list(*columns).order_by(), all=True)
            .order_by()
        )
        return cls(
            _Row(
                kind, occupation, str(target), value, basis, day, f"{name}, {release}", source_kind
            )
            for kind, occupation, target, value, basis, day, name, release, source_kind in union
        )

    def factor(self, kind: str, target_id: int, occupation_id: int, as_of: date) -> _Row | None:
        rows = [r for r in self.factors[(kind, str(target_id))] if r.effective_date <= as_of]
        # The occupation's own factor first, then the newest.
        return min(
            rows,
            key=lambda r: (r.occupation_id != occupation_id, -r.effective_date.toordinal()),
            default=None,
        )

    def rate(self, currency: str, as_of: date) -> _Row | None:
        rows = [r for r in self.rates[currency] if r.effective_date <= as_of]
        return max(rows, key=lambda r: r.effective_date, default=None)


def _as_text(expression):
    # A real cast: PostgreSQL will not UNION an integer column with a text one.
    return Cast(expression, output_field=CharField(max_length=20))


def _as_rate(expression):
    # One decimal shape for both halves of the UNION, so a 6-place rate is not cut to 4 places.
    return ExpressionWrapper(expression, output_field=DecimalField(max_digits=20, decimal_places=6))


def _with_source(queryset):
    return queryset.annotate(
        row_source_name=F("source__name"),
        row_source_release=F("source__release"),
        row_source_kind=F("source__kind"),
    )


# Pure Python: derive and explain ----------------------------------------------------------


def _resolve(
    query: BandQuery, choice: _Choice, adjustments: _Adjustments | None
) -> ResolvedBand | None:
    band = choice.band
    occupation_id = query.role.occupation_id
    steps: list[ProvenanceStep] = []
    multiplier = Decimal(1)
    dates = [band.effective_date]

    if choice.all_levels_instead_of is not None:
        steps.append(
            _note(
                f"No band for {choice.all_levels_instead_of}; this is the band for all "
                f"experience levels of {_who(query, band)}",
                query.as_of,
            )
        )
    steps.append(
        ProvenanceStep(
            description=f"{_place(band.location)} band for {_cell(query, band)} ({band.source})",
            source=str(band.source),
            effective_date=band.effective_date,
            is_assumption=band.source.kind == Source.Kind.ASSUMPTION,
        )
    )

    adapting = [
        (Factor.Kind.LOCATION, "location", query.location, band.location_id != query.location.pk),
        (
            Factor.Kind.INDUSTRY,
            "industry",
            query.industry,
            query.industry is not None and band.industry_id is None,
        ),
        (
            Factor.Kind.COMPANY_SIZE,
            "company-size",
            query.company_size,
            query.company_size is not None and band.company_size_id is None,
        ),
    ]
    for kind, noun, target, needed in adapting:
        if not needed:
            continue
        row = adjustments.factor(kind, target.pk, occupation_id, query.as_of)
        if row is None:
            # Not adjusting is itself an assumption: that this place, industry or size pays
            # like the band it was derived from.
            steps.append(_note(f"No {noun} factor for {target}; not adjusted", query.as_of, True))
            continue
        multiplier *= row.value
        dates.append(row.effective_date)
        basis = f" ({row.basis})" if row.basis else ""
        scope = "" if row.occupation_id == occupation_id else " (all occupations)"
        steps.append(
            ProvenanceStep(
                description=f"× {row.value:.4f} {noun} factor for {target}{scope}{basis}",
                source=row.source,
                effective_date=row.effective_date,
                is_assumption=row.source_kind == Source.Kind.ASSUMPTION,
                factor=row.value,
            )
        )

    currency = _target_currency(query)
    if band.currency != currency:
        conversion = _conversion(band.currency, currency, adjustments, query.as_of)
        if conversion is None:
            return None
        steps.append(conversion)
        multiplier *= conversion.factor
        dates.append(conversion.effective_date)

    # Scaling by 1 still rounds an exact band's cents away: bands are whole units.
    percentiles = MappingProxyType(
        scale_points({p: band.percentiles[p] for p in PERCENTILE_POINTS}, multiplier)
    )
    return ResolvedBand(
        percentiles=percentiles,
        currency=currency,
        component=query.component,
        confidence=_confidence(band, steps),
        steps=tuple(steps),
        effective_date=max(dates),
        top_coded_from=band.top_coded_from,
        label=_label(query, choice),
    )


def _conversion(
    from_currency: str, to_currency: str, adjustments: _Adjustments, as_of: date
) -> ProvenanceStep | None:
    """Rates are units per U.S. dollar, so any pair goes through the dollar."""
    used = {c: adjustments.rate(c, as_of) for c in (from_currency, to_currency) if c != USD}
    if None in used.values():
        return None
    rate_from = used[from_currency].value if from_currency != USD else Decimal(1)
    rate_to = used[to_currency].value if to_currency != USD else Decimal(1)
    factor = rate_to / rate_from
    rows = list(used.values())
    when = ", ".join(f"{c} rate of {r.effective_date.isoformat()}" for c, r in used.items())
    if from_currency == USD:
        how = f"at {_plain(rate_to)} per USD (rate of {rows[0].effective_date.isoformat()})"
    elif to_currency == USD:
        how = f"at {_plain(rate_from)} {from_currency} per USD (rate of {rows[0].effective_date.isoformat()})"
    else:
        how = f"at {_plain(rate_to)} {to_currency} and {_plain(rate_from)} {from_currency} per USD ({when})"
    return ProvenanceStep(
        description=f"Converted to {to_currency} {how}",
        source="; ".join(dict.fromkeys(r.source for r in rows)),
        effective_date=max(r.effective_date for r in rows),
        is_assumption=any(r.source_kind == Source.Kind.ASSUMPTION for r in rows),
        factor=factor,
    )


def _confidence(band: Band, steps: Sequence[ProvenanceStep]) -> Confidence:
    if any(step.is_assumption for step in steps):
        return Confidence.ASSUMPTION
    used_as_is = not any(step.factor is not None for step in steps)
    if used_as_is and band.source.kind == Source.Kind.OFFICIAL:
        return Confidence.OFFICIAL_EXACT
    return Confidence.DERIVED


def _note(description: str, as_of: date, is_assumption: bool = False) -> ProvenanceStep:
    return ProvenanceStep(description, source="", effective_date=as_of, is_assumption=is_assumption)


def _who(query: BandQuery, band: Band) -> str:
    return str(query.role) if band.role_id else band.occupation.title


def _cell(query: BandQuery, band: Band) -> str:
    """What the band covers, in words: "Technical Product Manager, Senior, Finance"."""
    parts = [str(query.role) if band.role_id else band.occupation.title]
    parts.append(str(query.level) if band.level_id else "all experience levels")
    if band.industry_id:
        parts.append(str(query.industry))
    if band.company_size_id:
        parts.append(str(query.company_size))
    return ", ".join(parts)


def _place(location: Location) -> str:
    return f"{location} national" if location.kind == Location.Kind.NATION else str(location)


def _label(query: BandQuery, choice: _Choice) -> str:
    level = "all levels" if choice.band.level_id is None else str(query.level)
    parts = [str(query.role), level, str(query.location)]
    parts += [str(x) for x in (query.industry, query.company_size) if x is not None]
    return " · ".join(parts)


def _plain(number: Decimal) -> str:
    """0.790000 -> "0.79": a rate as a person writes it."""
    return format(number.normalize(), "f")

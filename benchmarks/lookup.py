"""Resolve the market band for a role, level and place, and say how it was found.

At most six queries for any number of lookups (the level bases of the asked roles, candidate
bands, factors, exchange rates, wage growth and back-test figures), after the market-data version;
a warm lookup reads only the version, once per request (benchmarks/market_cache.py). Pure Python then chooses, derives and explains.

Each level of a role stands on a ``LevelBasis``:

- **own band**: the role's own band for the level (the TPM salary guide's ladder);
- **window**: a window of an official occupation's local distribution — the level's 25th and
  75th percentiles sit at the occupation's ``window_low`` and ``window_high`` percentiles (the
  way the U.S. Department of Labor places its prevailing-wage levels in OEWS data);
- **step**: the level below × a stated step (an assumption).

A band is then adapted only for what it does not already describe (the newest row effective on
or before ``as_of`` wins throughout): its place (the most specific first: the place itself, its
country's national band, then the U.S.) × a per-percentile location factor; its industry × an
industry factor relative to the industry the band describes (a guide to technology companies is
adjusted by an industry's pay relative to technology, never to all industries); its company size
× an assumed factor. It is aged to ``as_of`` by the yearly wage-growth rate, and converted to the
asked currency. Every level's median is kept above the one below it (the ladder rises); where
the data would not, the band is lifted and says so.

Confidence: ``OFFICIAL_EXACT`` only for an official cell matching every asked dimension, used as
published; ``OFFICIAL_AGED`` the same cell brought to today by wage growth; ``DERIVED`` anything
adapted, placed by level or read from a guide; ``ASSUMPTION`` anything resting on an assumption
(an assumed factor or step, a missing factor taken as 1.0, a lifted level).

When the band's currency cannot be converted to the target currency (no exchange rate), the
lookup returns None rather than a band in a currency the caller did not ask for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from django.db.models import Q, Subquery
from django.utils import timezone

from benchmarks.market_cache import MarketCache
from benchmarks.models import (
    BacktestFigure,
    Band,
    CompanySize,
    ExchangeRate,
    Factor,
    Industry,
    Level,
    LevelBasis,
    Location,
    Role,
    Source,
    WageGrowth,
)
from benchmarks.percentiles import (
    PERCENTILE_POINTS,
    BandPosition,
    level_window,
    ordinal,
    place_among_known,
    scale_points,
    window_percentile,
)
from benchmarks.percentiles import known_points as checked_points

__all__ = [
    "MIN_LEVEL_STEP",
    "BandQuery",
    "Confidence",
    "ProvenanceStep",
    "ResolvedBand",
    "band_for",
    "bands_for",
    "ladder_for",
]

US = "US"
USD = "USD"
# A level whose data would put it at or below the level beneath is lifted to this much above it.
MIN_LEVEL_STEP = Decimal("1.05")
_SOURCE_KIND_RANK = {Source.Kind.OFFICIAL: 0, Source.Kind.PUBLISHED: 1, Source.Kind.ASSUMPTION: 2}
_ONE = Decimal(1)


class Confidence(StrEnum):
    OFFICIAL_EXACT = "official exact"
    OFFICIAL_AGED = "official, aged"
    DERIVED = "derived"
    ASSUMPTION = "assumption"
    # Community bands (benchmarks/community.py): how sure follows from how many offers, from how
    # many companies, stand behind the figures.
    COMMUNITY_HIGH = "community, high"
    COMMUNITY_MEDIUM = "community, medium"
    COMMUNITY_LOW = "community, low"

    @property
    def explanation(self) -> str:
        return {
            Confidence.OFFICIAL_EXACT: "Official statistics for exactly this selection, used as published.",
            Confidence.OFFICIAL_AGED: "Official statistics for exactly this selection, brought to the date asked by the wage-growth rate below.",
            Confidence.DERIVED: "Computed from official data or a published guide by the stated method and factors below.",
            Confidence.ASSUMPTION: "Rests on at least one assumption (marked below); treat it as a rough guide.",
            Confidence.COMMUNITY_HIGH: "Offers people on this site contributed: at least 30 from at least 10 companies.",
            Confidence.COMMUNITY_MEDIUM: "Offers people on this site contributed: at least 10 from at least 5 companies.",
            Confidence.COMMUNITY_LOW: "Offers people on this site contributed: fewer than 10, or from fewer than 5 companies; treat it as a rough guide.",
        }[self]

    @property
    def is_community(self) -> bool:
        return self in (
            Confidence.COMMUNITY_HIGH,
            Confidence.COMMUNITY_MEDIUM,
            Confidence.COMMUNITY_LOW,
        )

    @property
    def is_official(self) -> bool:
        return self in (Confidence.OFFICIAL_EXACT, Confidence.OFFICIAL_AGED)


@dataclass(frozen=True)
class ProvenanceStep:
    description: str  # one line a person reads
    source: str  # source name and release; empty for a step that notes missing data
    effective_date: date
    is_assumption: bool
    factor: Decimal | None = None  # the median's multiplier, for a step that scales the band


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
    # 10, 25, 50, 75, 90 in order; whole currency units. Read-only, as it is a cached value.
    percentiles: Mapping[int, Decimal | None]
    currency: str
    component: str
    confidence: Confidence
    steps: tuple[ProvenanceStep, ...]
    effective_date: date  # of the newest input used
    top_coded_from: int | None
    label: str
    summary: str = ""  # one sentence: what the data covers and how the rest was filled
    typical_error: Decimal | None = None  # ± % within which derivations like this typically land
    error_p90: Decimal | None = None  # ± % within which 9 in 10 of them land
    employment: int | None = None  # the official employment estimate behind the band
    level_method: str = ""  # a LevelBasis.Method, or "" for a band of all levels
    # Community bands only: the contributions and distinct companies behind the figures.
    contributions: int | None = None
    companies: int | None = None

    def __getstate__(self) -> dict:
        # The shared cache pickles bands; the read-only view of the percentiles travels as a dict,
        # and what is worked out from the fields is worked out again after.
        state = {**self.__dict__, "percentiles": dict(self.percentiles)}
        state.pop("known_points", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, percentiles=MappingProxyType(state["percentiles"]))

    @cached_property
    def known_points(self) -> list[tuple[int, Decimal]]:
        """The known percentiles, checked once for every amount placed in the band (a page of
        offers places two in each total band, and offers alike share their bands)."""
        return checked_points(self.percentiles)

    def position(self, amount: Decimal) -> BandPosition:
        """As ``place_in_band(amount, self.percentiles)``."""
        return place_among_known(amount, self.known_points)

    @property
    def median(self) -> Decimal | None:
        return self.percentiles.get(50)


def band_for(query: BandQuery) -> ResolvedBand | None:
    return bands_for([query])[0]


def ladder_for(query: BandQuery, levels: Sequence[Level]) -> list[ResolvedBand | None]:
    """The band of every level in ``levels`` for the same role, place, industry and size."""
    return bands_for([replace(query, level=level) for level in levels])


# Resolved bands of the current market data, in the cache every worker shares.
RESOLVED_BANDS = MarketCache("bands")


def bands_for(queries: Sequence[BandQuery]) -> list[ResolvedBand | None]:
    """Resolve every query, in order: the market-data version (once per request), then
    whatever the shared cache does not hold for that version, up to six queries more."""
    if not queries:
        return []
    today = timezone.localdate()
    keys = [_cache_key(q, today) for q in queries]
    by_key = dict(zip(keys, queries, strict=True))
    # Only the queries resolved afresh need their date written in (a page's 40 copies did not).
    return RESOLVED_BANDS.get_or_compute(
        keys,
        lambda missing: _resolve_all(
            [q if (q := by_key[k]).as_of else replace(q, as_of=today) for k in missing]
        ),
    )


def _cache_key(query: BandQuery, today: date | None = None) -> tuple:
    # Names and places shown in a resolved band come from market data, so the version covers them.
    return (
        query.role.pk,
        _pk(query.level),
        query.location.pk,
        _pk(query.industry),
        _pk(query.company_size),
        query.component,
        query.as_of or today,
        query.currency,
    )


def _pk(instance) -> int | None:
    return instance.pk if instance is not None else None


def _target_currency(query: BandQuery) -> str:
    return query.currency or query.location.currency


# The queries ------------------------------------------------------------------------------


class _Market:
    """Every row the lookups need, fetched together."""

    def __init__(self, queries: Sequence[BandQuery]):
        as_of = max(q.as_of for q in queries)
        role_ids = {q.role.pk for q in queries}
        self.bases: dict[int, list[LevelBasis]] = defaultdict(list)
        for basis in LevelBasis.objects.filter(role__in=role_ids).select_related(
            "level", "occupation", "source"
        ):
            self.bases[basis.role_id].append(basis)
        for bases in self.bases.values():
            bases.sort(key=lambda b: b.level.rank)
        occupation_ids = {q.role.occupation_id for q in queries} | {
            b.occupation_id for bases in self.bases.values() for b in bases if b.occupation_id
        }
        self.bands = self._candidate_bands(queries, as_of, role_ids, occupation_ids)
        self.bands_at: dict[int, list[Band]] = defaultdict(list)
        self.nations: dict[str, set[int]] = defaultdict(set)
        for band in self.bands:
            self.bands_at[band.location_id].append(band)
            if band.location.kind == Location.Kind.NATION:
                self.nations[band.location.country].add(band.location_id)
        industry_ids = {q.industry.pk for q in queries if q.industry} | {
            b.reference_industry_id for b in self.bands if b.reference_industry_id
        }
        self.factors: dict[tuple[str, int], list[Factor]] = defaultdict(list)
        for factor in (
            Factor.objects.filter(effective_date__lte=as_of)
            .filter(
                Q(kind=Factor.Kind.LOCATION, location__in={q.location.pk for q in queries})
                | Q(kind=Factor.Kind.INDUSTRY, industry__in=industry_ids)
                | Q(
                    kind=Factor.Kind.COMPANY_SIZE,
                    company_size__in={q.company_size.pk for q in queries if q.company_size},
                )
            )
            .filter(Q(occupation__isnull=True) | Q(occupation__in=occupation_ids))
            .select_related("source", "occupation")
        ):
            target = factor.location_id or factor.industry_id or factor.company_size_id
            self.factors[(factor.kind, target)].append(factor)
        currencies = {_target_currency(q) for q in queries} | {b.currency for b in self.bands}
        self.rates: dict[str, list[ExchangeRate]] = defaultdict(list)
        if currencies - {USD}:  # amounts in dollars only need no rate
            for rate in ExchangeRate.objects.filter(
                date__lte=as_of, currency__in=currencies - {USD}
            ).select_related("source"):
                self.rates[rate.currency].append(rate)
        self.growth = sorted(
            WageGrowth.objects.select_related("source"), key=lambda g: g.effective_date
        )
        self.backtests = {(f.source_id, f.kind): f for f in BacktestFigure.objects.all()}
        self.ladders: dict[tuple, dict[int, _Draft | None]] = {}

    @staticmethod
    def _candidate_bands(queries, as_of, role_ids, occupation_ids) -> list[Band]:
        countries = {q.location.country for q in queries} | {US}
        industry_ids = {q.industry.pk for q in queries if q.industry}
        size_ids = {q.company_size.pk for q in queries if q.company_size}
        # The asked places and their nations, as a subquery of the same statement, so the index
        # on (location, occupation, component, effective_date) serves the whole lookup.
        places = Location.objects.filter(
            Q(pk__in={q.location.pk for q in queries})
            | Q(kind=Location.Kind.NATION, country__in=countries)
        ).values("pk")
        return list(
            Band.objects.effective_on(as_of)
            .filter(location__in=Subquery(places), occupation__in=occupation_ids)
            .filter(component__in={q.component for q in queries})
            .filter(Q(role__in=role_ids) | Q(role__isnull=True))
            .filter(Q(industry__isnull=True) | Q(industry__in=industry_ids))
            .filter(Q(company_size__isnull=True) | Q(company_size__in=size_ids))
            .select_related("source", "location", "occupation", "reference_industry", "level")
            .order_by()
        )

    def places_in_order(self, target: Location) -> list[int]:
        """The target, then its country's national location, then the U.S. national location."""
        order = [target.pk]
        for country in (target.country, US):
            order += sorted(self.nations.get(country, set()) - set(order))
        return order

    def factor(
        self, kind: str, target_id: int, occupations: Sequence[int | None], as_of: date
    ) -> Factor | None:
        """The first of ``occupations`` (None: all occupations) with a factor; the newest."""
        rows = [f for f in self.factors[(kind, target_id)] if f.effective_date <= as_of]
        for occupation_id in occupations:
            own = [f for f in rows if f.occupation_id == occupation_id]
            if own:
                return max(own, key=lambda f: (f.effective_date, f.pk))
        return None

    def rate(self, currency: str, as_of: date) -> ExchangeRate | None:
        rows = [r for r in self.rates[currency] if r.date <= as_of]
        return max(rows, key=lambda r: r.date, default=None)

    def growth_on(self, as_of: date) -> WageGrowth | None:
        rows = [g for g in self.growth if g.effective_date <= as_of] or self.growth[:1]
        return rows[-1] if rows else None

    def error_of(self, source_id: int, kind: str) -> BacktestFigure | None:
        return self.backtests.get((source_id, kind))


def _resolve_all(queries: Sequence[BandQuery]) -> list[ResolvedBand | None]:
    market = _Market(queries)
    return [_resolve(query, market) for query in queries]


def _ladder_key(query: BandQuery) -> tuple:
    return _cache_key(replace(query, level=None))


# Pure Python: choose, derive, explain -------------------------------------------------------


@dataclass
class _Draft:
    """A band on its way: unrounded points, the steps taken, what it rests on."""

    points: dict[int, Decimal | None]
    currency: str
    band: Band
    steps: list[ProvenanceStep] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    coverage: str = ""
    filled: list[str] = field(default_factory=list)
    errors: list[BacktestFigure] = field(default_factory=list)
    top_coded_from: int | None = None
    adapted: bool = False  # scaled by a factor, placed by level, or lifted
    aged: bool = False
    method: str = ""
    lift: str = ""  # why the level was lifted above the one below, if it was

    def scale(self, factors: Mapping[int, Decimal]) -> None:
        # Per-percentile factors can cross two close points; a percentile is never below the
        # one beneath it, so the higher of the two stands.
        scaled, floor = {}, None
        for point, value in self.points.items():
            if value is not None:
                value = value * factors[point]
                floor = value if floor is None else max(floor, value)
                value = floor
            scaled[point] = value
        self.points = scaled

    def copy(self) -> _Draft:
        return replace(
            self,
            points=dict(self.points),
            steps=list(self.steps),
            dates=list(self.dates),
            filled=list(self.filled),
            errors=list(self.errors),
        )


def _resolve(query: BandQuery, market: _Market) -> ResolvedBand | None:
    if query.level is None:
        draft = _all_levels(query, market)
    else:
        # Every level of a role at a place shares one ladder: work it out once per batch.
        key = _ladder_key(query)
        ladder = market.ladders.get(key)
        if ladder is None or query.level.pk not in ladder:
            ladder = market.ladders[key] = _ladder(query, market)
        draft = ladder.get(query.level.pk)
    return None if draft is None else _finish(query, draft, market)


def _ladder(query: BandQuery, market: _Market) -> dict[int, _Draft | None]:
    """Drafts of every level of the role (and the asked one), each kept above the one below."""
    bases = {b.level_id: b for b in market.bases.get(query.role.pk, [])}
    below: _Draft | None = None
    below_level: Level | None = None
    drafts: dict[int, _Draft | None] = {}
    own = {b.level for b in market.bands if b.role_id == query.role.pk and b.level_id}
    levels = sorted(
        {b.level for b in bases.values()} | own | {query.level}, key=lambda level: level.rank
    )
    for level in levels:
        at_level = replace(query, level=level)
        basis = bases.get(level.pk)
        if basis is None:
            # A role's own band for the level needs no basis to say so (an imported band).
            draft = _own_or_window(at_level, _OWN_BAND, market) or _all_levels(
                at_level, market, missing_basis=True
            )
        elif basis.method == LevelBasis.Method.STEP:
            draft = _step(at_level, basis, below, below_level)
        else:
            draft = _own_or_window(at_level, basis, market)
        if draft is not None and below is not None:
            _keep_above(draft, level, below, below_level)
        drafts[level.pk] = draft
        if draft is not None:
            below, below_level = draft, level
    return drafts


_OWN_BAND = LevelBasis(method=LevelBasis.Method.OWN_BAND)


def _usable(query: BandQuery, market: _Market) -> list[Band]:
    """Bands at the places the query may use, most specific place first."""
    return [
        b
        for location_id in market.places_in_order(query.location)
        for b in market.bands_at.get(location_id, ())
        if b.component == query.component
        and b.effective_date <= query.as_of
        and b.industry_id in (None, _pk(query.industry))
        and b.company_size_id in (None, _pk(query.company_size))
    ]


def _choose(query: BandQuery, bands: Sequence[Band]) -> Band | None:
    """The most specific place first (``bands`` come in that order), then the best band there."""
    if not bands:
        return None
    nearest = bands[0].location_id
    return min((b for b in bands if b.location_id == nearest), key=lambda b: _preference(query, b))


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


def _all_levels(query: BandQuery, market: _Market, missing_basis: bool = False) -> _Draft | None:
    role = query.role
    bands = [
        b
        for b in _usable(query, market)
        if b.level_id is None
        and (b.role_id == role.pk or (b.role_id is None and b.occupation_id == role.occupation_id))
    ]
    band = _choose(query, bands)
    if band is None:
        return None
    draft = _start(query, band, level_text="all experience levels")
    if missing_basis:
        draft.steps.insert(
            0,
            _note(
                f"Nothing says where {query.level} stands for {role}: this is the band for all "
                f"experience levels",
                query.as_of,
                True,
            ),
        )
    _adapt(query, draft, market)
    _age(query, draft, market)
    return draft


def _own_or_window(query: BandQuery, basis: LevelBasis, market: _Market) -> _Draft | None:
    role, level = query.role, query.level
    usable = _usable(query, market)
    if basis.method == LevelBasis.Method.OWN_BAND:
        band = _choose(
            query, [b for b in usable if b.role_id == role.pk and b.level_id == level.pk]
        )
        if band is None:
            return None
        draft = _start(query, band, level_text=str(level))
        draft.method = basis.method
        _adapt(query, draft, market)
    else:
        band = _choose(
            query,
            [
                b
                for b in usable
                if b.role_id is None
                and b.level_id is None
                and b.occupation_id == basis.occupation_id
            ],
        )
        if band is None:
            return None
        draft = _start(query, band, level_text="all experience levels")
        draft.method = basis.method
        _adapt(query, draft, market)
        _place_level(query, draft, basis)
    _age(query, draft, market)
    return draft


def _start(query: BandQuery, band: Band, level_text: str) -> _Draft:
    who = str(query.role) if band.role_id else band.occupation.title
    cell = [who, level_text]
    cell += [str(x) for x in (band.industry, band.company_size) if x is not None]
    employed = f"; {band.employment:,} employed" if band.employment else ""
    draft = _Draft(
        points={p: band.percentiles[p] for p in PERCENTILE_POINTS},
        currency=band.currency,
        band=band,
        dates=[band.effective_date],
        top_coded_from=band.top_coded_from,
    )
    draft.steps.append(
        ProvenanceStep(
            description=f"{_place(band.location)} band for {', '.join(cell)} ({band.source}{employed})",
            source=str(band.source),
            effective_date=band.effective_date,
            is_assumption=band.source.kind == Source.Kind.ASSUMPTION,
        )
    )
    where = _where(band.location)
    if band.source.kind == Source.Kind.OFFICIAL:
        industry = f" in {band.industry}" if band.industry_id else ""
        draft.coverage = (
            f"{_publisher(band.source)} publishes {band.occupation.title} {where}{industry} "
            f"for all experience levels"
        )
    else:
        reading = f", read as {band.reference_industry}" if band.reference_industry_id else ""
        draft.coverage = (
            f"The {band.source.name} ({band.source.release}) gives pay for {who}, {level_text}, "
            f"{where}{reading}"
        )
    return draft


def _adapt(query: BandQuery, draft: _Draft, market: _Market) -> None:
    """Location, industry and company size: each only where the band does not describe it."""
    band = draft.band
    occupations = list(dict.fromkeys([band.occupation_id, query.role.occupation_id, None]))
    if band.location_id != query.location.pk:
        factor = market.factor(Factor.Kind.LOCATION, query.location.pk, occupations, query.as_of)
        if factor is None:
            draft.steps.append(
                _note(f"No location factor for {query.location}; not adjusted", query.as_of, True)
            )
            draft.filled.append(f"not adjusted to {query.location} (no factor)")
        else:
            _apply_factor(draft, factor, factor.by_percentile, f"{query.location} differential")
            draft.filled.append(f"adapted to {query.location} by {_factor_phrase(factor)}")
            kind = (
                BacktestFigure.Kind.STATE
                if query.location.kind == Location.Kind.STATE
                else BacktestFigure.Kind.METRO
            )
            _count_error(draft, factor, kind, market)
    if query.industry is not None and band.industry_id is None:
        _adapt_industry(query, draft, market, occupations)
    if query.company_size is not None and band.company_size_id is None:
        size = query.company_size
        factor = market.factor(Factor.Kind.COMPANY_SIZE, size.pk, occupations, query.as_of)
        if factor is None:
            draft.steps.append(
                _note(f"No company-size factor for {size}; not adjusted", query.as_of, True)
            )
        else:
            _apply_factor(
                draft, factor, factor.by_percentile, f"company-size factor for {size}", scoped=False
            )
            assumed = " (assumed)" if factor.source.kind == Source.Kind.ASSUMPTION else ""
            draft.filled.append(f"to {size} companies by a factor{assumed}")


def _adapt_industry(
    query: BandQuery, draft: _Draft, market: _Market, occupations: list[int | None]
) -> None:
    band, industry = draft.band, query.industry
    reference = band.reference_industry
    if reference is not None and reference.pk == industry.pk:
        draft.steps.append(
            _note(f"The band already describes {industry}: no industry factor", query.as_of)
        )
        return
    factor = market.factor(Factor.Kind.INDUSTRY, industry.pk, occupations, query.as_of)
    base = (
        None
        if reference is None
        else market.factor(Factor.Kind.INDUSTRY, reference.pk, occupations, query.as_of)
    )
    if factor is None or (reference is not None and base is None):
        draft.steps.append(
            _note(f"No industry factor for {industry}; not adjusted", query.as_of, True)
        )
        draft.filled.append(f"not adjusted to {industry} (no factor)")
        return
    if base is None:
        _apply_factor(draft, factor, factor.by_percentile, f"industry factor for {industry}")
    else:
        # The band describes the reference industry: move from it, not from all industries.
        relative = {p: factor.by_percentile[p] / base.by_percentile[p] for p in PERCENTILE_POINTS}
        _apply_factor(
            draft,
            factor,
            relative,
            f"{industry} relative to {reference} (medians {factor.value:.4f} ÷ {base.value:.4f})",
            shown=relative[50],
        )
        draft.dates.append(base.effective_date)
    draft.filled.append(f"to {industry} by {_factor_phrase(factor, noun='industry factor')}")
    _count_error(draft, factor, BacktestFigure.Kind.INDUSTRY, market)


def _apply_factor(
    draft: _Draft,
    factor: Factor,
    by_percentile: Mapping[int, Decimal],
    what: str,
    shown: Decimal | None = None,
    scoped: bool = True,
) -> None:
    draft.scale(by_percentile)
    draft.adapted = True
    draft.dates.append(factor.effective_date)
    median = shown if shown is not None else by_percentile[50]
    others = [
        p
        for p in PERCENTILE_POINTS
        if p != 50 and draft.points[p] is not None and by_percentile[p] != by_percentile[50]
    ]
    spread = (
        " (" + ", ".join(f"{ordinal(p)} {by_percentile[p]:.4f}" for p in others) + ")"
        if others
        else ""
    )
    scope = "" if factor.occupation_id or not scoped else " (all occupations)"
    basis = f"; {factor.basis}" if factor.basis else ""
    draft.steps.append(
        ProvenanceStep(
            description=f"× {median:.4f} {what}{scope}{spread}{basis}",
            source=str(factor.source),
            effective_date=factor.effective_date,
            is_assumption=factor.source.kind == Source.Kind.ASSUMPTION,
            factor=median,
        )
    )


def _factor_phrase(factor: Factor, noun: str = "differential") -> str:
    if factor.source.kind == Source.Kind.ASSUMPTION:
        return f"an assumed {noun}"
    if factor.occupation_id:
        return f"the official {noun} of {factor.occupation.title}"
    return f"an official {noun}"


def _count_error(draft: _Draft, factor: Factor, kind: str, market: _Market) -> None:
    figure = market.error_of(factor.source_id, kind)
    if figure is not None and factor.source.kind != Source.Kind.ASSUMPTION:
        draft.errors.append(figure)


def _place_level(query: BandQuery, draft: _Draft, basis: LevelBasis) -> None:
    low, high = basis.window_low, basis.window_high
    draft.points = level_window(draft.points, low, high)
    if draft.top_coded_from is not None:
        # A level point read from a top-coded part of the distribution is a lower bound too.
        lowest = [
            p
            for p in PERCENTILE_POINTS
            if window_percentile(p, low, high) > _highest_exact(draft.band)
        ]
        draft.top_coded_from = lowest[0] if lowest else None
    draft.adapted = True
    middle = (Decimal(low) + Decimal(high)) / 2
    draft.steps.append(
        ProvenanceStep(
            description=(
                f"{query.level}: the {ordinal(low)}–{ordinal(high)} percentiles of that "
                f"distribution as the level's 25th–75th, its median at the "
                f"{_plain(middle)}th ({basis.reason})"
            ),
            source=str(basis.source),
            effective_date=query.as_of,
            is_assumption=basis.source.kind == Source.Kind.ASSUMPTION,
        )
    )
    draft.coverage += f"; {query.level} sits at its {ordinal(low)}–{ordinal(high)} percentiles"


def _highest_exact(band: Band) -> int:
    if band.top_coded_from is None:
        return 100
    exact = [p for p in PERCENTILE_POINTS if p < band.top_coded_from]
    return exact[-1] if exact else 0


def _step(
    query: BandQuery, basis: LevelBasis, below: _Draft | None, below_level: Level | None
) -> _Draft | None:
    if below is None:
        return None
    draft = below.copy()
    draft.lift = ""  # the level below's lift is its own
    draft.scale(dict.fromkeys(PERCENTILE_POINTS, basis.step))
    draft.adapted = True
    draft.method = basis.method
    above = (basis.step - 1) * 100
    draft.steps.append(
        ProvenanceStep(
            description=(
                f"× {basis.step:.4f}: {query.level} taken as {_plain(above)}% above "
                f"{below_level} ({basis.reason})"
            ),
            source=str(basis.source),
            effective_date=query.as_of,
            is_assumption=True,
            factor=basis.step,
        )
    )
    draft.coverage = (
        f"No data describe {query.level} on its own: it is taken as {_plain(above)}% above "
        f"{below_level}, whose band is built this way: {_mid_sentence(below.coverage)}"
    )
    return draft


def _keep_above(draft: _Draft, level: Level, below: _Draft, below_level: Level) -> None:
    median, floor = draft.points.get(50), below.points.get(50)
    if median is None or floor is None or median > floor:
        return
    lift = floor * MIN_LEVEL_STEP / median
    draft.scale(dict.fromkeys(PERCENTILE_POINTS, lift))
    draft.adapted = True
    draft.lift = (
        f"× {lift:.4f}: here the data put {level}'s median at or below {below_level}'s; "
        f"lifted to {_plain((MIN_LEVEL_STEP - 1) * 100)}% above it, so pay rises with level"
    )
    draft.steps.append(
        ProvenanceStep(
            description=draft.lift,
            source="",
            effective_date=draft.dates[0],
            is_assumption=True,
            factor=lift,
        )
    )
    draft.filled.append(f"lifted above {below_level}, where the data would not rise")


def _age(query: BandQuery, draft: _Draft, market: _Market) -> None:
    growth = market.growth_on(query.as_of)
    start = draft.band.effective_date
    months = (query.as_of.year - start.year) * 12 + query.as_of.month - start.month
    if query.as_of.day < start.day:
        months -= 1
    if growth is None or months <= 0 or not growth.yearly_rate:
        return
    factor = (_ONE + growth.yearly_rate) ** (Decimal(months) / 12)
    draft.scale(dict.fromkeys(PERCENTILE_POINTS, factor))
    draft.aged = True
    draft.dates.append(growth.effective_date)
    span = f"{start:%b %Y} to {query.as_of:%b %Y}"
    draft.steps.append(
        ProvenanceStep(
            description=(
                f"× {factor:.4f}: aged {months} months ({span}) at {_percent(growth.yearly_rate)} "
                f"a year ({growth.basis})"
            ),
            source=str(growth.source),
            effective_date=growth.effective_date,
            # The rate is measured; that it held since is the kind of step every dated band takes.
            is_assumption=False,
            factor=factor,
        )
    )
    draft.filled.append(f"aged {months} months at {_percent(growth.yearly_rate)} a year")


def _finish(query: BandQuery, draft: _Draft, market: _Market) -> ResolvedBand | None:
    currency = _target_currency(query)
    steps = list(draft.steps)
    multiplier = _ONE
    dates = list(draft.dates)
    if draft.currency != currency:
        conversion = _conversion(draft.currency, currency, market, query.as_of)
        if conversion is None:
            return None
        steps.append(conversion)
        multiplier = conversion.factor
        dates.append(conversion.effective_date)
    percentiles = MappingProxyType(scale_points(draft.points, multiplier))
    confidence = _confidence(draft, steps, currency)
    typical = sum((f.median_error for f in draft.errors), Decimal(0)) if draft.errors else None
    p90 = sum((f.p90_error for f in draft.errors), Decimal(0)) if draft.errors else None
    return ResolvedBand(
        percentiles=percentiles,
        currency=currency,
        component=query.component,
        confidence=confidence,
        steps=tuple(steps),
        effective_date=max(dates),
        top_coded_from=draft.top_coded_from,
        label=_label(query),
        summary=_summary(draft, confidence, currency, typical),
        typical_error=typical,
        error_p90=p90,
        employment=draft.band.employment
        if draft.band.source.kind == Source.Kind.OFFICIAL
        else None,
        level_method=draft.method,
    )


def _confidence(draft: _Draft, steps: Sequence[ProvenanceStep], currency: str) -> Confidence:
    if any(step.is_assumption for step in steps):
        return Confidence.ASSUMPTION
    if (
        draft.band.source.kind == Source.Kind.OFFICIAL
        and not draft.adapted
        and draft.currency == currency
    ):
        return Confidence.OFFICIAL_AGED if draft.aged else Confidence.OFFICIAL_EXACT
    return Confidence.DERIVED


def _summary(draft: _Draft, confidence: Confidence, currency: str, typical: Decimal | None) -> str:
    filled = list(draft.filled)
    if draft.currency != currency:
        filled.append(f"converted to {currency}")
    sentence = draft.coverage + (f"; {', '.join(filled)}" if filled else "") + "."
    if confidence == Confidence.OFFICIAL_EXACT:
        sentence += " Used as published."
    if typical is not None:
        sentence += (
            f" Derivations like this typically land within ±{_plain(typical.quantize(Decimal('0.1')))}% of official "
            f"figures (back-tested)."
        )
    return sentence[0].upper() + sentence[1:]


def _conversion(
    from_currency: str, to_currency: str, market: _Market, as_of: date
) -> ProvenanceStep | None:
    """Rates are units per U.S. dollar, so any pair goes through the dollar."""
    used = {c: market.rate(c, as_of) for c in (from_currency, to_currency) if c != USD}
    if None in used.values():
        return None
    rate_from = used[from_currency].units_per_usd if from_currency != USD else _ONE
    rate_to = used[to_currency].units_per_usd if to_currency != USD else _ONE
    factor = rate_to / rate_from
    rows = list(used.values())
    when = ", ".join(f"{c} rate of {r.date.isoformat()}" for c, r in used.items())
    if from_currency == USD:
        how = f"at {_plain(rate_to)} per USD (rate of {rows[0].date.isoformat()})"
    elif to_currency == USD:
        how = f"at {_plain(rate_from)} {from_currency} per USD (rate of {rows[0].date.isoformat()})"
    else:
        how = f"at {_plain(rate_to)} {to_currency} and {_plain(rate_from)} {from_currency} per USD ({when})"
    return ProvenanceStep(
        description=f"Converted to {to_currency} {how}",
        source="; ".join(dict.fromkeys(str(r.source) for r in rows)),
        effective_date=max(r.date for r in rows),
        is_assumption=any(r.source.kind == Source.Kind.ASSUMPTION for r in rows),
        factor=factor,
    )


def _note(description: str, as_of: date, is_assumption: bool = False) -> ProvenanceStep:
    return ProvenanceStep(description, source="", effective_date=as_of, is_assumption=is_assumption)


def _mid_sentence(text: str) -> str:
    return "the" + text[3:] if text.startswith("The ") else text


def _publisher(source: Source) -> str:
    return {"U.S. Bureau of Labor Statistics": "BLS"}.get(source.publisher, source.publisher)


def _place(location: Location) -> str:
    return f"{location} national" if location.kind == Location.Kind.NATION else str(location)


def _where(location: Location) -> str:
    if location.kind == Location.Kind.NATION:
        return "for the U.S. as a whole" if location.country == US else f"for {location}"
    return f"for {location}"


def _label(query: BandQuery) -> str:
    level = str(query.level) if query.level else "all levels"
    parts = [str(query.role), level, str(query.location)]
    parts += [str(x) for x in (query.industry, query.company_size) if x is not None]
    return " · ".join(parts)


def _plain(number: Decimal) -> str:
    """0.790000 -> "0.79", 62.50 -> "62.5": a number as a person writes it."""
    return format(number.normalize(), "f")


def _percent(rate: Decimal) -> str:
    return f"{_plain((rate * 100).quantize(Decimal('0.01')))}%"


def ladder_dips(role: Role, location: Location, as_of: date | None = None) -> list[str]:
    """Where ``role``'s own data would put a level's median at or below the level beneath it
    at ``location`` (before any lift), in words; read afresh, never from the cache."""
    query = BandQuery(role=role, level=None, location=location, as_of=as_of or timezone.localdate())
    market = _Market([query])
    levels = [b.level for b in market.bases.get(role.pk, [])]
    if not levels:
        return []
    drafts = _ladder(replace(query, level=levels[-1]), market)
    return [draft.lift for draft in drafts.values() if draft is not None and draft.lift]

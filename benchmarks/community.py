"""Community bands: pay bands from the offers this site's people chose to contribute.

The rules a cell must meet to be shown, how sure it is and how precisely it is shown are here,
once; the rebuild that computes cells from contributions is ``benchmarks/community_build.py``;
this module reads built cells for the pages (through the shared cache of market data, whose
version changes whenever a cell does, as for any market-data table).

A cell is one role × level × place × component of pay. Places are the offer's own place, its
state and its country: a lookup takes the narrowest place whose cell is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from types import MappingProxyType

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from benchmarks.lookup import BandQuery, Confidence, ProvenanceStep, ResolvedBand
from benchmarks.market_cache import MarketCache
from benchmarks.models import Band, CommunityBand, ExchangeRate, Location

# A cell is shown from this many contributions of this many distinct companies, counted after
# outliers are left out; its 10th and 90th percentiles only from TAILS_FROM contributions. A
# person counts once in a cell (their newest contribution there), so these are as many people.
MIN_CONTRIBUTIONS = 5
MIN_COMPANIES = 3
TAILS_FROM = 10
# No company weighs more than this share of a cell (or 1/k with only k < 4 companies: the least
# any one of them can weigh).
COMPANY_CAP = Decimal("0.25")
# Contributions older than this many months are left out; the rest are aged to the build date.
WINDOW_MONTHS = 24
# Beyond this many interquartile ranges outside the quartiles a contribution is an outlier.
OUTLIER_IQRS = 3
# Figures are shown to the dollar from this many contributions, otherwise to the nearest 1,000.
EXACT_FROM = 30

COMPONENTS = (Band.Component.BASE, Band.Component.TOTAL_CASH, Band.Component.TOTAL_COMP)


def confidence_of(contributions: int, companies: int) -> Confidence:
    if contributions >= 30 and companies >= 10:
        return Confidence.COMMUNITY_HIGH
    if contributions >= 10 and companies >= 5:
        return Confidence.COMMUNITY_MEDIUM
    return Confidence.COMMUNITY_LOW


def shown_precision(contributions: int) -> Decimal:
    """The unit figures are rounded to: a dollar (or pound, euro) only where the count allows."""
    return Decimal(1) if contributions >= EXACT_FROM else Decimal(1000)


def rounded_for_display(amount: Decimal, contributions: int) -> Decimal:
    unit = shown_precision(contributions)
    return (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def cell_places(location: Location) -> list[Location]:
    """The places whose cells an offer in ``location`` counts in, narrowest first: the place
    itself, its state (U.S. places below a state), its country. One query."""
    wanted = Q(kind=Location.Kind.NATION, country=location.country)
    if _has_state(location):
        wanted |= Q(
            kind=Location.Kind.STATE, country=location.country, state_code=location.state_code
        )
    found = {place.kind: place for place in Location.objects.filter(wanted).exclude(pk=location.pk)}
    places = [location]
    for kind in (Location.Kind.STATE, Location.Kind.NATION):
        if kind in found and location.kind != Location.Kind.NATION:
            places.append(found[kind])
    return places


def _has_state(location: Location) -> bool:
    return location.kind not in (Location.Kind.NATION, Location.Kind.STATE) and bool(
        location.state_code
    )


def _place_rank(location: Location, place: Location) -> int | None:
    """Where ``place`` stands in ``cell_places(location)`` (0 the place itself), or None when
    an offer in ``location`` does not count there: the same rule, read from a row's place."""
    if place.pk == location.pk:
        return 0
    if place.country != location.country or location.kind == Location.Kind.NATION:
        return None
    if place.kind == Location.Kind.STATE and _has_state(location):
        return 1 if place.state_code == location.state_code else None
    return 2 if place.kind == Location.Kind.NATION else None


def _places_wanted(locations: Sequence[Location]) -> Q:
    """Rows at any of ``locations``' cell places, as a filter of the rows' own query (no
    query of places first: a page of offers in many places costs what one offer does)."""
    wanted = Q(location__in={location.pk for location in locations})
    wanted |= Q(
        location__kind=Location.Kind.NATION,
        location__country__in={location.country for location in locations},
    )
    for location in locations:
        if _has_state(location):
            wanted |= Q(
                location__kind=Location.Kind.STATE,
                location__country=location.country,
                location__state_code=location.state_code,
            )
    return wanted


@dataclass(frozen=True)
class CommunityCell:
    """What the site's data says about one cell: a band when shown, else what it still lacks."""

    band: ResolvedBand | None
    place: str
    contributions: int
    companies: int
    status: str  # a CommunityBand.Status
    earliest: date | None = None  # month of the oldest offer the figures stand on
    latest: date | None = None  # month of the newest
    is_demo: bool = False  # made up for the demo (development only)

    @cached_property
    def span(self) -> str:
        """ "Jan 2025–Nov 2026", "in Nov 2026", or "" before any offer is counted (worked out
        once: a row of the offer list asks for it twice, and each time formats two months)."""
        return _span(self.earliest, self.latest).removeprefix("in ")

    @property
    def contributions_needed(self) -> int:
        return max(0, MIN_CONTRIBUTIONS - self.contributions)

    @property
    def companies_needed(self) -> int:
        return max(0, MIN_COMPANIES - self.companies)

    @property
    def counts(self) -> str:
        """ "14 offers from 6 companies"."""
        offers = "offer" if self.contributions == 1 else "offers"
        companies = "company" if self.companies == 1 else "companies"
        return f"{self.contributions} {offers} from {self.companies} {companies}"

    @property
    def counts_phrase(self) -> str:
        """ "14 offers, each from a different person, from 6 companies in this site's data"."""
        if self.contributions == 1:
            return f"{self.counts} in this site's data"
        companies = "company" if self.companies == 1 else "companies"
        return (
            f"{self.contributions} offers, each from a different person, from {self.companies} "
            f"{companies} in this site's data"
        )


COMMUNITY_CELLS = MarketCache("community")


def community_cells_for(queries: Sequence[BandQuery]) -> list[CommunityCell | None]:
    """For each query, the narrowest place's cell that is shown, else the narrowest cell with
    any contributions (to say what it lacks), else None. Cached under the market-data version."""
    if not queries:
        return []
    today = timezone.localdate()
    keys = [_key(q, today) for q in queries]
    by_key = dict(zip(keys, queries, strict=True))
    # Only the queries computed afresh need their date written in (a page's 20 copies did not).
    return COMMUNITY_CELLS.get_or_compute(
        keys,
        lambda missing: _cells(
            [q if (q := by_key[k]).as_of else replace(q, as_of=today) for k in missing]
        ),
    )


def _key(query: BandQuery, today: date) -> tuple:
    level = query.level.pk if query.level else None
    as_of = query.as_of or today
    return (query.role.pk, level, query.location.pk, query.component, as_of, query.currency)


def _cells(queries: Sequence[BandQuery]) -> list[CommunityCell | None]:
    rows = CommunityBand.objects.filter(
        _places_wanted([q.location for q in queries]),
        role__in={q.role.pk for q in queries},
        component__in={q.component for q in queries},
    ).select_related("location", "role", "level")
    if not settings.COMMUNITY_DEMO_DATA:
        # Demo cells are never built outside development; never shown there either.
        rows = rows.exclude(is_demo=True)
    by_cell = defaultdict(list)
    for row in rows:
        by_cell[(row.role_id, row.level_id, row.component)].append(row)
    rates = _rates({q.currency for q in queries if q.currency} | {r.currency for r in rows})
    answers = []
    for query in queries:
        level = query.level.pk if query.level else None
        ranked = [
            (rank, row)
            for row in by_cell[(query.role.pk, level, query.component)]
            if (rank := _place_rank(query.location, row.location)) is not None
        ]
        chain = [row for _, row in sorted(ranked, key=lambda pair: pair[0])]
        shown = next((row for row in chain if row.status == CommunityBand.Status.SHOWN), None)
        row = shown or (chain[0] if chain else None)
        if row is None:
            answers.append(None)
            continue
        answers.append(
            CommunityCell(
                band=_band(query, row, rates) if shown else None,
                place=row.location.name,
                contributions=row.contributions,
                companies=row.companies,
                status=row.status,
                earliest=row.earliest,
                latest=row.latest,
                is_demo=row.is_demo,
            )
        )
    return answers


def _rates(currencies: set[str]) -> dict[str, ExchangeRate]:
    """The newest rate of each non-dollar currency asked for."""
    newest: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.filter(currency__in=currencies - {"USD"}).order_by("date"):
        newest[rate.currency] = rate
    return newest


def _band(
    query: BandQuery, row: CommunityBand, rates: dict[str, ExchangeRate]
) -> ResolvedBand | None:
    currency = query.currency or row.currency
    multiplier = Decimal(1)
    steps = [_counts_step(row)]
    if row.smoothing:
        steps.append(ProvenanceStep(row.smoothing, "", row.as_of, is_assumption=False))
    if currency != row.currency:
        into = (
            Decimal(1) if currency == "USD" else getattr(rates.get(currency), "units_per_usd", None)
        )
        out_of = (
            Decimal(1)
            if row.currency == "USD"
            else getattr(rates.get(row.currency), "units_per_usd", None)
        )
        if into is None or out_of is None:
            return None
        multiplier = into / out_of
        steps.append(
            ProvenanceStep(
                f"× {multiplier:.4f}: converted from {row.currency} to {currency}",
                "European Central Bank reference rates",
                max(r.date for r in (rates.get(currency), rates.get(row.currency)) if r),
                is_assumption=False,
                factor=multiplier,
            )
        )
    percentiles = {
        point: (
            rounded_for_display(value * multiplier, row.contributions)
            if value is not None
            else None
        )
        for point, value in row.percentiles.items()
    }
    return ResolvedBand(
        percentiles=MappingProxyType(percentiles),
        currency=currency,
        component=row.component,
        confidence=confidence_of(row.contributions, row.companies),
        steps=tuple(steps),
        effective_date=row.as_of,
        top_coded_from=None,
        # As the lookup labels its bands: pages name the component beside it.
        label=f"{row.role} · {row.level or 'all levels'} · {row.location.name}",
        summary=_summary(row),
        contributions=row.contributions,
        companies=row.companies,
    )


def _counts_step(row: CommunityBand) -> ProvenanceStep:
    cell = CommunityCell(None, row.location.name, row.contributions, row.companies, row.status)
    span = _span(row.earliest, row.latest)
    left_out = (
        f"; {row.outliers_left_out} outlier{'s' if row.outliers_left_out != 1 else ''} left out"
        if row.outliers_left_out
        else ""
    )
    return ProvenanceStep(
        description=(
            f"{cell.counts_phrase}, offers made {span}, each aged to {row.as_of:%b %Y} at the "
            f"wage-growth rate the official bands use; no company counts for more than a "
            f"quarter of the cell{left_out}"
        ),
        source="Contributions to this site" + (" (demo data)" if row.is_demo else ""),
        effective_date=row.as_of,
        is_assumption=False,
    )


def _span(earliest: date | None, latest: date | None) -> str:
    if earliest is None or latest is None:
        return ""
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return f"in {earliest:%b %Y}"
    return f"{earliest:%b %Y}–{latest:%b %Y}"


def _summary(row: CommunityBand) -> str:
    unit = "to the dollar" if shown_precision(row.contributions) == 1 else "to the nearest 1,000"
    demo = " Demo data, made up for trying the site." if row.is_demo else ""
    tails = "" if row.p10 is not None else " Too few for the 10th and 90th percentiles."
    return (
        f"Offers people on this site contributed for {row.location.name}; shown {unit}."
        f"{tails}{demo}"
    )

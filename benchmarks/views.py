from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from benchmarks.charts import LadderOffer, LadderRung, band_chart_svg, ladder_charts_svg
from benchmarks.community import CommunityCell, community_cells_for
from benchmarks.forms import ExplorerForm
from benchmarks.lookup import BandQuery, ResolvedBand, bands_for
from benchmarks.market_cache import MARKET_ROWS
from benchmarks.models import Band, CommunityBand, Level, Location, Role
from core.htmx import render_page_or_partial
from offers.conditional_pages import conditional_person_page
from offers.market import MarketPosition
from offers.models import Offer
from offers.selectors import owned_offer_list, result_or_none


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@login_required
@require_GET
@conditional_person_page  # it shows the person's own offers, so it is theirs like those
def explorer(request: HtmxHttpRequest) -> HttpResponse:
    form = ExplorerForm(request.GET or _starting_choice(request) or None)
    _offer_community_components(form)
    query = form.band_query() if form.is_valid() else None
    context = {"form": form, "query": query, "band": None, "ladder": []}
    if query:
        levels = _levels()
        queries = [query, *(replace(query, level=level) for level in levels)]
        # The chosen band and every level's, in one batch.
        band, *ladder = bands_for(queries)
        level_cells = [None] * len(levels)
        if query.component != Band.Component.BASE:
            # Official data covers base pay only: this site's own offers come first for the
            # rest, each cell shown or saying what it still lacks.
            cell, *level_cells = community_cells_for(queries)
            band = cell.band if cell and cell.band else band
            ladder = [
                c.band if c and c.band else b for c, b in zip(level_cells, ladder, strict=True)
            ]
            context["total_position"] = MarketPosition(None, band, None, None, community=cell)
        context |= {
            "band": band,
            "component_label": Band.Component(query.component).label,
            # Two drawings: a phone gets one laid out for its width, so its labels stay readable.
            "chart": band_chart_svg(band) if band else "",
        }
        if any(ladder):
            context |= _ladder_context(request, query, levels, ladder, level_cells)
    return render_page_or_partial(request, "benchmarks/explorer.html", "result", context)


def _offer_community_components(form: ExplorerForm) -> None:
    """The pay menu offers a component this site's community cells describe (shown or still
    short of offers) as well as those imported or official bands describe."""
    (found,) = MARKET_ROWS.get_or_compute(
        [("community components",)],
        lambda keys: [
            set(CommunityBand.objects.order_by().values_list("component", flat=True).distinct())
        ],
    )
    offered = {value for value, _ in form.fields["component"].choices}
    if found - offered:
        form.fields["component"].choices = [
            choice for choice in Band.Component.choices if choice[0] in offered | found
        ]


# Where the explorer starts for someone with no offer yet: the product's headline cell.
DEFAULT_START = {"role": "technical-product-manager", "level": "senior"}


def _starting_choice(request: HttpRequest) -> dict[str, int] | None:
    """The explorer opens on the person's newest offer, or else a Senior TPM in the U.S."""
    newest = (
        Offer.objects.owned_by(request.user)
        .order_by("-created_at")
        .values("role", "level", "location", "industry", "company_size")
        .first()
    )
    if newest:
        return {name: value for name, value in newest.items() if value is not None}
    role = Role.objects.filter(slug=DEFAULT_START["role"]).values_list("pk", flat=True).first()
    level = Level.objects.filter(slug=DEFAULT_START["level"]).values_list("pk", flat=True).first()
    nation = Location.objects.filter(bls_area_code="99").values_list("pk", flat=True).first()
    if role is None or nation is None:
        return None
    return {"role": role, "location": nation} | ({"level": level} if level else {})


def _levels() -> list[Level]:
    """Every rung, lowest first; kept with the market rows, so a warm page reads no level."""
    (levels,) = MARKET_ROWS.get_or_compute(
        [("ladder levels",)], lambda keys: [list(Level.objects.order_by("rank"))]
    )
    return levels


class LadderLevel(NamedTuple):
    """What the ladder's table says of a level beside its rung: what its community cell still
    lacks (``position.community_lacking``), and its link."""

    position: MarketPosition
    link: str  # these choices at this level


def _with_each(choices: QueryDict, name: str, rows: Sequence[Model]) -> list[str]:
    """For each of ``rows``, ``choices`` with ``name`` set to the row's id, as a query string:
    what {% querystring name=row.pk %} writes. The other choices read the same in every link,
    so each is encoded once (profiled: encoding all of them again for each of eight levels
    cost as much as the tag did)."""
    # QueryDict.urlencode joins each key's encoded values with "&", keys in order; a key not
    # chosen yet comes last. None marks where the row's own value goes.
    parts: list[str | None] = [
        None if key == name else _encoded({key: choices.getlist(key)}) for key in choices
    ]
    if name not in choices:
        parts.append(None)
    parts = [part for part in parts if part != ""]  # a key without values writes nothing
    return [
        "?" + "&".join(_encoded({name: [str(row.pk)]}) if part is None else part for part in parts)
        for row in rows
    ]


def _encoded(values: dict[str, list[str]]) -> str:
    query = QueryDict(mutable=True)
    for key, listed in values.items():
        query.setlist(key, listed)
    return query.urlencode()


def _ladder_context(
    request: HttpRequest,
    query: BandQuery,
    levels: list[Level],
    ladder: list[ResolvedBand | None],
    level_cells: list[CommunityCell | None],
) -> dict:
    """Every level's band as one chart and table, with the person's own offers for the role
    marked at their level. Offers in another currency are left off, not converted. A level
    without a band says what its community cell still lacks, where it has one."""
    currency = next(band.currency for band in ladder if band)
    band_at = dict(zip((level.pk for level in levels), ladder, strict=True))
    # The person's offers as every page of theirs reads them (kept in the shared cache), this
    # role's only, lowest level first, offers without a level last.
    mine = sorted(
        (o for o in owned_offer_list(user=request.user) if o.role_id == query.role.pk),
        key=lambda o: (o.level is None, o.level.rank if o.level else 0, o.base_salary, o.pk),
    )
    amounts = {offer.pk: _ladder_amount(offer, query.component) for offer in mine}
    placed = [
        o
        for o in mine
        if o.level_id in band_at and o.currency == currency and amounts[o.pk] is not None
    ]
    points = {
        offer.pk: LadderOffer(
            number=number,
            company=offer.company,
            # The amount the ladder's component compares (the chart names it base_salary).
            base_salary=amounts[offer.pk],
            elsewhere=offer.location_id != query.location.pk,
        )
        for number, offer in enumerate(placed, start=1)
    }
    rungs = [
        LadderRung(
            level=str(level),
            band=band,
            offers=tuple(points[o.pk] for o in placed if o.level_id == level.pk),
            chosen=level == query.level,
        )
        for level, band in zip(levels, ladder, strict=True)
    ]
    title = f"{Band.Component(query.component).label} by level: {_ladder_label(query)}"
    wide_chart, narrow_chart = ladder_charts_svg(title, rungs)
    links = _with_each(request.GET, "level", levels)
    return {
        "ladder": [
            (level, rung, LadderLevel(MarketPosition(None, None, None, None, community=cell), link))
            for level, rung, cell, link in zip(levels, rungs, level_cells, links, strict=True)
        ],
        "ladder_title": title,
        "ladder_chart": wide_chart,
        "narrow_ladder_chart": narrow_chart,
        "your_offers": [
            (
                points[offer.pk],
                offer,
                band_at[offer.level_id].position(amounts[offer.pk])
                if band_at[offer.level_id]
                else None,
                offer.get_absolute_url(),
            )
            for offer in placed
        ],
        "ladder_currency": currency,
        "offers_without_level": [o for o in mine if o.level_id is None],
        "offers_in_other_currencies": [
            o for o in mine if o.level_id is not None and o.currency != currency
        ],
    }


def _ladder_amount(offer: Offer, component: str) -> Decimal | None:
    """What of an offer a ladder of ``component`` compares: its base, or its average yearly
    total for total compensation; None for total cash, which the engine does not split out."""
    if component == Band.Component.BASE:
        return offer.base_salary
    if component == Band.Component.TOTAL_COMP:
        result = result_or_none(offer)
        return result.average_yearly_total if result else None
    return None


def _ladder_label(query: BandQuery) -> str:
    parts = (query.role, query.location, query.industry, query.company_size)
    return " · ".join(str(part) for part in parts if part is not None)

"""Where offers sit in their market bands: one batch lookup for any number of offers.

Base salary is placed in the base band. Total compensation (the average yearly total: base,
target bonus, vested equity and benefits, one-time items apart) and the first-year total (which
counts them) are placed in the best total-compensation band available, in this order:

1. a shown **community** band (offers this site's people contributed), for the narrowest of the
   offer's place, its state and its country whose cell is shown;
2. an **imported** total-compensation band (an admin's CSV or XLSX sheet, through the lookup);
3. none, said plainly; the community cell, when there is one, says how much more it needs.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from benchmarks.community import CommunityCell, community_cells_for
from benchmarks.lookup import BandQuery, Confidence, ResolvedBand, bands_for
from benchmarks.models import Band, CommunityBand
from benchmarks.percentiles import BandPosition
from offers.compensation import CompensationResult
from offers.models import Offer
from offers.negotiation import TotalQuote

COMMUNITY = "community"
IMPORTED = "imported"

# "confidence medium": how sure a community band is, in the word a sentence ends on.
_COMMUNITY_CONFIDENCE_WORDS = {
    Confidence.COMMUNITY_HIGH: "high",
    Confidence.COMMUNITY_MEDIUM: "medium",
    Confidence.COMMUNITY_LOW: "low",
}


@dataclass(frozen=True)
class MarketPosition:
    base_band: ResolvedBand | None
    # The best total-compensation band available: community, else imported, else None.
    total_band: ResolvedBand | None
    base: BandPosition | None
    total: BandPosition | None  # the average yearly total in total_band
    first_year: BandPosition | None = None  # the first-year total in total_band
    # The offer's community cell, shown or not: its counts, and what it lacks when not shown.
    community: CommunityCell | None = None

    @cached_property
    def total_source(self) -> str:
        """COMMUNITY, IMPORTED or "" (no total-compensation band); worked out once, as a row of
        the offer list asks it twice and its source names it again."""
        if self.total_band is None:
            return ""
        return COMMUNITY if self.total_band.confidence.is_community else IMPORTED

    @property
    def total_source_name(self) -> str:
        """Where an imported band's figures come from: the source its first step names."""
        if self.total_source != IMPORTED or not self.total_band.steps:
            return ""
        return self.total_band.steps[0].source

    @property
    def community_confidence(self) -> str:
        """ "high", "medium" or "low" for a community band; "" otherwise."""
        if self.total_band is None:
            return ""
        return _COMMUNITY_CONFIDENCE_WORDS.get(self.total_band.confidence, "")

    @property
    def community_lacking(self) -> CommunityCell | None:
        """The community cell still short of what a band needs (None when shown or absent)."""
        cell = self.community
        if cell is None or cell.status == CommunityBand.Status.SHOWN:
            return None
        return cell


def _query(offer: Offer, component: str) -> BandQuery:
    return BandQuery(
        role=offer.role,
        level=offer.level,
        location=offer.location,
        industry=offer.industry,
        company_size=offer.company_size,
        component=component,
        currency=offer.currency,
    )


def market_positions(
    offers: Sequence[Offer], results: Sequence[CompensationResult | None]
) -> list[MarketPosition]:
    """Each offer's base placed in its base band, and its average yearly and first-year totals in
    the best total-compensation band available (see the module's docstring)."""
    totals = [_query(o, Band.Component.TOTAL_COMP) for o in offers]
    cells = community_cells_for(totals)
    # An imported total band is read only for an offer whose community cell shows none: the
    # community band comes first, so the imported one would go unused (profiled: unpickling a
    # page of unused bands was about a fifth of placing it).
    lacking = [
        query
        for query, cell in zip(totals, cells, strict=True)
        if cell is None or cell.band is None
    ]
    found = bands_for([_query(o, Band.Component.BASE) for o in offers] + lacking)
    base_bands, imported = found[: len(offers)], iter(found[len(offers) :])
    positions = []
    for offer, result, base_band, cell in zip(offers, results, base_bands, cells, strict=True):
        total_band = cell.band if cell is not None and cell.band is not None else next(imported)
        placed = total_band is not None and result is not None
        positions.append(
            MarketPosition(
                base_band=base_band,
                total_band=total_band,
                base=base_band.position(offer.base_salary) if base_band else None,
                total=total_band.position(result.average_yearly_total) if placed else None,
                first_year=total_band.position(result.first_year_total) if placed else None,
                community=cell,
            )
        )
    return positions


def total_band_people(offer: Offer, position: MarketPosition) -> str:
    """Whose pay the total band describes: "Senior Technical Product Managers in Seattle" (a
    community band's own place, which may be the offer's state or country)."""
    who = f"{offer.level} {offer.role}s" if offer.level_id else f"{offer.role}s at all levels"
    place = position.community.place if position.total_source == COMMUNITY else offer.location
    return f"{who} in {place}"


def total_quote(
    offer: Offer, position: MarketPosition, result: CompensationResult
) -> TotalQuote | None:
    """What the talking points and the email cite of total pay; None without a shown band."""
    if position.total is None:
        return None
    community = position.total_source == COMMUNITY
    return TotalQuote(
        amount=result.average_yearly_total,
        position=position.total.label,
        # Between two points ("56th percentile"), not on one ("at the 75th") nor outside.
        around=position.total.is_known and not position.total.label.startswith("at "),
        people=total_band_people(offer, position),
        counts=position.community.counts_phrase if community else "",
        confidence=position.community_confidence
        if community
        else str(position.total_band.confidence),
        source=position.total_source_name,
    )

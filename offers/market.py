"""Where offers sit in their market bands: one batch lookup for any number of offers."""

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.lookup import BandQuery, ResolvedBand, bands_for
from benchmarks.percentiles import BandPosition
from offers.compensation import CompensationResult
from offers.models import Offer


@dataclass(frozen=True)
class MarketPosition:
    base_band: ResolvedBand | None
    total_band: ResolvedBand | None
    base: BandPosition | None
    total: BandPosition | None


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
    """Base salary placed in the base band, and the average yearly total in a total-compensation
    band when one exists (official data covers base pay only, so often it does not)."""
    queries = [_query(o, component) for o in offers for component in ("base", "total_comp")]
    bands = bands_for(queries)
    positions = []
    for index, (offer, result) in enumerate(zip(offers, results, strict=True)):
        base_band, total_band = bands[2 * index], bands[2 * index + 1]
        positions.append(
            MarketPosition(
                base_band=base_band,
                total_band=total_band,
                base=base_band.position(offer.base_salary) if base_band else None,
                total=(
                    total_band.position(result.average_yearly_total)
                    if total_band and result
                    else None
                ),
            )
        )
    return positions

"""Compare offers side by side: the selection lives in the URL (`?offers=1&offers=2`), the page
re-renders in place with htmx, and the CSV export reads the very same comparison.

Offer ids that are not the signed-in person's own (someone else's, deleted, or made up) are left
out with one message that says only that — never a 404 that would confirm an id exists.
"""

import csv
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from benchmarks.exchange_rates import rate_label
from benchmarks.models import ExchangeRate
from benchmarks.resources import safe_cell
from config.htmx import render_page_or_partial
from offers.charts import cumulative_chart
from offers.comparison import (
    MAX_OFFERS,
    USD,
    ComparedOffer,
    Comparison,
    ComparisonRow,
    MissingRate,
    RateQuote,
    align_horizons,
    compare,
    conversion,
    convert_terms,
)
from offers.compensation import OfferTerms, compute_compensation
from offers.forms import currency_menu
from offers.market import MarketPosition, market_positions
from offers.models import Offer
from offers.page_cache import cached_owner_page
from offers.terms import offer_terms


@dataclass
class Selection:
    offers: list[Offer]
    currency: str
    messages: list[str] = field(default_factory=list)


def parse_selection(
    params, owned: Sequence[Offer], currencies: Collection[str] | None = None
) -> Selection:
    """The offers named by `offers=` among `owned`, in URL order, and the chosen currency: one of
    `currencies` (USD and those with a rate on file, read when not given), or the offers' own when
    they are all in one. Bad input becomes a message, never an error page."""
    by_pk = {offer.pk: offer for offer in owned}
    messages = []
    chosen: list[Offer] = []
    raw_ids = params.getlist("offers")
    unreadable = left_out = False
    for raw in raw_ids:
        try:
            pk = int(raw)
        except ValueError:
            unreadable = True
            continue
        offer = by_pk.get(pk)
        if offer is None:
            left_out = True
        elif offer not in chosen:
            chosen.append(offer)
    if unreadable:
        messages.append("Some of the selection wasn't an offer number, so it was ignored.")
    if left_out:
        messages.append("A selected offer isn't among yours, so it was left out.")
    if len(chosen) > MAX_OFFERS:
        messages.append(f"Compare up to {MAX_OFFERS} offers at a time: showing the first four.")
        chosen = chosen[:MAX_OFFERS]
    allowed = {USD, *(latest_rates() if currencies is None else currencies)}
    own = {offer.currency for offer in chosen}
    if len(own) == 1:
        allowed |= own  # offers all in one currency are compared in it without a rate
    fallback = chosen[0].currency if chosen and chosen[0].currency in allowed else USD
    currency = params.get("currency") or fallback
    if currency not in allowed:
        messages.append("Choose a currency from the list.")
        currency = fallback
    return Selection(chosen, currency, messages)


def latest_rates(currencies: set[str] | None = None) -> dict[str, RateQuote]:
    """The newest stored rate of each of `currencies` (of every currency on file when None), up
    to today, with who published it: one query, none for USD only."""
    rows = ExchangeRate.objects.filter(date__lte=timezone.localdate())
    if currencies is not None:
        if not currencies - {USD}:
            return {}
        rows = rows.filter(currency__in=currencies - {USD})
    newest = rows.filter(currency=OuterRef("currency")).order_by("-date").values("date")[:1]
    rows = rows.filter(date=Subquery(newest)).select_related("source")
    return {
        row.currency: RateQuote(
            row.currency, row.units_per_usd, row.date, rate_label(row.source.name)
        )
        for row in rows.only("currency", "units_per_usd", "date", "source__name")
    }


@dataclass(frozen=True)
class TableCell:
    """One offer's figure in a row of the comparison table, named for the phone's cards."""

    name: str
    value: Decimal
    stronger: bool


@dataclass
class ComparisonPage:
    comparison: Comparison | None = None
    offers: list[Offer] = field(default_factory=list)
    positions: list[MarketPosition] = field(default_factory=list)
    chart: str = ""
    error: str = ""
    missing_rate: str = ""  # the currency whose rate is not on file, when that is the error
    # Each offer's terms over the common horizon, as entered and in the comparison's currency.
    terms: list[OfferTerms] = field(default_factory=list)
    converted_terms: list[OfferTerms] = field(default_factory=list)

    @property
    def columns(self):
        """(offer, market position, illiquid?) per compared offer, in column order."""
        illiquid = self.comparison.illiquid if self.comparison else ()
        return list(zip(self.offers, self.positions, illiquid, strict=False))

    @property
    def table_sections(self) -> list[tuple[str, list[tuple[ComparisonRow, list[TableCell]]]]]:
        """The comparison's sections, each row with its cells named by offer: on a phone a row
        is a card, and each line of it says whose figure it is."""
        if self.comparison is None:
            return []
        names = self.comparison.names
        return [
            (
                section,
                [
                    (row, [TableCell(n, v, s) for n, (v, s) in zip(names, row.cells, strict=True)])
                    for row in rows
                ],
            )
            for section, rows in self.comparison.sections
        ]


def comparison_page(
    offers: Sequence[Offer],
    currency: str,
    names: Sequence[str],
    rates: Mapping[str, RateQuote] | None = None,
) -> ComparisonPage:
    """Everything a comparison shows: the engine over one horizon, each offer placed in its own
    location's band (in its own currency), then converted to `currency` at `rates` (read when
    not given). Three queries at most."""
    if len(offers) < 2:
        return ComparisonPage(offers=list(offers))
    try:
        terms = align_horizons([offer_terms(offer) for offer in offers])
    except ValueError:
        return ComparisonPage(
            offers=list(offers), error="One of these offers can't be computed: check its fields."
        )
    own_results = [compute_compensation(t) for t in terms]
    positions = market_positions(list(offers), own_results)
    if rates is None:
        rates = latest_rates({o.currency for o in offers} | {currency})
    compared, converted_terms = [], []
    try:
        for name, offer, offer_terms_, own in zip(names, offers, terms, own_results, strict=True):
            conv = conversion(offer.currency, currency, rates)
            converted = convert_terms(offer_terms_, conv)
            result = own if conv.is_identity else compute_compensation(converted)
            compared.append(ComparedOffer(name, result, None if conv.is_identity else conv))
            converted_terms.append(converted)
    except MissingRate as missing:
        return ComparisonPage(
            offers=list(offers),
            positions=positions,
            error=f"{missing} {_without_rate(missing.currency, offers)}",
            missing_rate=missing.currency,
        )
    comparison = compare(compared)
    chart = cumulative_chart(
        [(row.name, row.result.cumulative_totals) for row in compared], comparison.currency
    )
    return ComparisonPage(
        comparison, list(offers), positions, chart, terms=terms, converted_terms=converted_terms
    )


def _without_rate(currency: str, offers: Sequence[Offer]) -> str:
    if all(offer.currency == currency for offer in offers):
        return f"Choose {currency} to compare them as they are."
    return f"Until a rate for {currency} is on file, its offers compare only with each other."


def offer_names(offers: Sequence[Offer]) -> list[str]:
    """Company names, numbered where two offers share one."""
    names = [offer.company for offer in offers]
    return [
        f"{name} ({names[:i].count(name) + 1})" if names.count(name) > 1 else name
        for i, name in enumerate(names)
    ]


def _selection_and_page(request: HttpRequest):
    owned = list(Offer.objects.owned_by(request.user).with_market_context())
    # One query serves the currency menu and the conversions: every rate on file.
    rates = latest_rates()
    selection = parse_selection(request.GET, owned, {USD, *rates})
    names = offer_names(selection.offers)
    page = comparison_page(selection.offers, selection.currency, names, rates)
    return owned, selection, page, rates


@login_required
@require_GET
@cached_owner_page
def compare_offers(request: HttpRequest) -> HttpResponse:
    owned, selection, page, rates = _selection_and_page(request)
    context = {
        "owned": owned,
        "selection": selection,
        "selected_pks": [offer.pk for offer in selection.offers],
        "currencies": currency_menu([*rates, selection.currency]),
        "page": page,
        # The selection as read, not the request's query: links carry nothing the page ignored
        # (and the page cache keeps one page for any parameters it ignores).
        "query": urlencode(
            [("offers", offer.pk) for offer in selection.offers]
            + [("currency", selection.currency)]
        ),
        "today": timezone.localdate(),
    }
    return render_page_or_partial(request, "offers/compare.html", "result", context)


def whole_units(amount: Decimal) -> str:
    """As the page shows it (half up to whole units), without the symbol and separators."""
    return str(amount.quantize(Decimal(1), ROUND_HALF_UP))


def write_comparison_csv(response: HttpResponse, comparison: Comparison, today) -> None:
    writer = csv.writer(response)
    names = [safe_cell(name) for name in comparison.names]
    two = len(names) == 2
    header = ["Section", "Row", *names]
    if two:
        header.append(f"Difference ({names[0]} − {names[1]})")
    writer.writerow([*header, "Stronger", "Ahead by"])
    for section, rows in comparison.sections:
        for row in rows:
            cells = [section, row.label + (" (one-time)" if row.one_time else "")]
            cells += [whole_units(value) for value in row.values]
            if two:
                cells.append(whole_units(row.difference))
            cells += [safe_cell(row.stronger_name) or "tie", whole_units(row.lead)]
            writer.writerow(cells)
    writer.writerow([])
    writer.writerow(["Currency", comparison.currency])
    for conv in comparison.rates_used:
        writer.writerow(["Exchange rate", conv.describe()])
    for crossover in comparison.crossovers:
        writer.writerow(
            [
                "Crossover",
                f"{safe_cell(crossover.overtaking_name)} overtakes "
                f"{safe_cell(crossover.overtaken_name)} in year {crossover.year}",
            ]
        )
    writer.writerow(["Generated on", today.isoformat()])


@login_required
@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    _, _, page, _ = _selection_and_page(request)
    if page.comparison is None:
        return HttpResponse(
            page.error or "Choose two to four of your offers to export a comparison.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="offer-comparison-{today}.csv"'
    write_comparison_csv(response, page.comparison, today)
    return response

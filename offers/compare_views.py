"""Compare offers side by side: the selection lives in the URL (`?offers=1&offers=2`), the page
re-renders in place with htmx, and the CSV export reads the very same comparison.

Offer ids that are not the signed-in person's own (someone else's, deleted, or made up) are left
out with one message that says only that — never a 404 that would confirm an id exists.
"""

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from benchmarks.money import whole_units
from benchmarks.resources import safe_cell
from core.htmx import render_page_or_partial
from offers.comparison import Comparison
from offers.conditional_pages import conditional_person_page
from offers.forms import currency_menu
from offers.selectors import selected_comparison
from offers.valuation import PARAM as EQUITY_PARAM
from offers.valuation import equity_value_from, switch_links, url_with
from offers.worth import (
    AFTER_TAX,
    COMPARE_READS,
    TAX_PARAM,
    after_tax_view_from,
    comparison_worth_context,
)


@login_required
@require_GET
@conditional_person_page
def compare_offers(request: HttpRequest) -> HttpResponse:
    owned, selection, page, rates = selected_comparison(user=request.user, params=request.GET)
    equity_value = equity_value_from(request.GET)
    after_tax = after_tax_view_from(request.GET)
    context = {
        "owned": owned,
        "selection": selection,
        # The menus' entries as (value, label, chosen?): twenty offers and two dozen currencies
        # are read from these tuples rather than looked up on each offer in the template.
        "offer_picks": offer_picks(owned, chosen={offer.pk for offer in selection.offers}),
        "currency_picks": [
            (code, label, code == selection.currency)
            for code, label in currency_menu([*rates, selection.currency])
        ],
        "page": page,
        # The selection as read, not the request's query: links carry nothing the page ignored
        # (and the page cache keeps one page for any parameters it ignores).
        "query": urlencode(
            [("offers", offer.pk) for offer in selection.offers]
            + [("currency", selection.currency)]
            + ([(EQUITY_PARAM, equity_value.value)] if equity_value.risk_adjusted else [])
            + ([(TAX_PARAM, AFTER_TAX)] if after_tax else [])
        ),
        "equity_value": equity_value,
        "equity_links": switch_links(request.path, request.GET, equity_value, reads=COMPARE_READS),
        "after_tax_view": after_tax,
        "tax_links": [
            (label, url_with(request.path, request.GET, TAX_PARAM, value, reads=COMPARE_READS))
            for label, value in (("Before tax", None), ("After tax", AFTER_TAX))
        ],
        "today": timezone.localdate(),
    }
    context |= comparison_worth_context(
        request, page, request.user.household(), timezone.localdate()
    )
    return render_page_or_partial(request, "offers/compare.html", "result", context)


def offer_picks(owned, *, chosen: set[int]) -> list[tuple[int, str, bool]]:
    """(id, "Company · Job title", ticked?) for each of the person's offers, in the picker."""
    return [
        (
            offer.pk,
            f"{offer.company} · {offer.job_title}" if offer.job_title else offer.company,
            offer.pk in chosen,
        )
        for offer in owned
    ]


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
    _, _, page, _ = selected_comparison(user=request.user, params=request.GET, shown=False)
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

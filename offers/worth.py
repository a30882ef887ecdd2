"""What an offer is really worth, as the offer page and Compare show it: equity scenarios and the
break-even growth, the after-tax estimate, and the month-by-month timeline of leaving. Each
builder reads the request's parameters and the person's household once and hands a template
partial its context; the figures come from the pure modules (offers/equity_scenarios.py,
offers/after_tax.py, offers/timeline.py)."""

from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpRequest

from benchmarks.money import format_money
from offers.after_tax import after_tax_context, place_of, take_home_by_year
from offers.comparison import Comparison, compare_after_tax, convert_amount
from offers.compensation import CompensationResult, OfferTerms, compute_compensation
from offers.equity_scenarios import break_even_growth, parse_exit_multiple, scenario_table
from offers.models import Offer
from offers.take_home import Household, TakeHome
from offers.timeline import leaving_timeline
from offers.timeline_chart import timeline_chart
from offers.valuation import PARAM as EQUITY_PARAM
from offers.valuation import kept_params

EXIT_PARAM = "exit_multiple"
MONTHS_PARAM = "months"
TAX_PARAM = "tax"
AFTER_TAX = "after"  # `?tax=after`: Compare's after-tax view

# The parameters each page reads: what its links and forms carry along.
DETAIL_READS = (EQUITY_PARAM, MONTHS_PARAM, EXIT_PARAM)
COMPARE_READS = ("offers", "currency", EQUITY_PARAM, TAX_PARAM, MONTHS_PARAM, EXIT_PARAM)


def scenarios_context(
    request: HttpRequest, offers: Sequence[tuple[str, OfferTerms]], *, reads: Sequence[str]
) -> dict:
    """The equity-scenario table for `offers` ((label, terms) in one currency and horizon)."""
    raw = request.GET.get(EXIT_PARAM)
    exit_multiple, exit_error = parse_exit_multiple(raw)
    return {
        "scenario_table": scenario_table(offers, exit_multiple=exit_multiple),
        "exit_multiple": exit_multiple,
        "exit_error": exit_error,
        "exit_input": raw or "",
        "keep_params": kept_params(request.GET, reads, leaving_out=EXIT_PARAM),
    }


def break_evens(comparison: Comparison, terms: Sequence[OfferTerms]) -> list[dict]:
    """For each offer behind the leader over the horizon, the yearly share-price growth it needs to
    match it (`terms` in the comparison's currency and horizon, in its order)."""
    leader = comparison.over_horizon.stronger
    if leader is None:
        return []
    return [
        {
            "break_even": break_even_growth(terms[leader], trailer, years=comparison.years),
            "leader_label": comparison.names[leader],
            "trailer_label": comparison.names[index],
        }
        for index, trailer in enumerate(terms)
        if index != leader and trailer.has_equity
    ]


def first_tax_year(offer: Offer, today) -> int:
    """The calendar year the offer's first year is taxed in: its start date's, else this year."""
    return offer.start_date.year if offer.start_date else today.year


def tax_place(offer: Offer):
    location = offer.location
    return place_of(location.country, location.state_code, location.name)


def after_tax_for_offer(
    offer: Offer, result: CompensationResult, terms: OfferTerms, household: Household, today
) -> dict:
    """The after-tax partial's context for one offer (its paper-value result and terms: tax is
    due on what vests, whatever discount the person applies to private shares)."""
    return after_tax_context(
        result,
        terms,
        place=tax_place(offer),
        household=household,
        first_tax_year=first_tax_year(offer, today),
    )


def tax_rates(estimates) -> tuple[Decimal, ...] | None:
    """Each year's effective rate (0..1) from its estimate, unrounded; None when any year has
    none."""
    if not estimates or not all(isinstance(e, TakeHome) for e in estimates):
        return None
    return tuple(e.total_tax / e.gross if e.gross > 0 else Decimal(0) for e in estimates)


def timeline_context(
    series: Sequence[tuple[str, OfferTerms, tuple[Decimal, ...] | None]],
    leave_months: int,
    currency: str,
    *,
    with_month_by_month: bool = True,
) -> dict:
    """The leaving timeline of each offer ((label, terms, tax rates or None), one currency), its
    chart with the chosen month marked, and each offer's figures at that month."""
    timelines = [
        (
            label,
            terms.currency,
            # Past the horizon if the person asks for a later month: the form allows 120.
            leaving_timeline(
                terms,
                months=max(terms.horizon_years * 12, leave_months),
                tax_rate_by_year=rates,
            ),
        )
        for label, terms, rates in series
    ]
    return {
        "timeline_series": timelines,
        "timeline_by_month": month_by_month(timelines, leave_months) if with_month_by_month else [],
        "without_month_by_month": not with_month_by_month,
        "timeline_chart": timeline_chart(
            [(label, timeline) for label, _, timeline in timelines],
            marked_month=leave_months,
            currency=currency,
        ),
        "leave_months": leave_months,
    }


def household_label(household: Household) -> str:
    """'Single, no dependants' / 'Married, filing jointly, 2 dependants'."""
    count = household.dependants
    dependants = "no dependants" if count == 0 else f"{count} dependant{'s' if count > 1 else ''}"
    return f"{household.filing_status.label}, {dependants}"


# Every third month's row of a timeline's month-by-month table: (heading, the month's figure).
_MONTH_COLUMNS = (
    ("Cash", "cash_received"),
    ("Vested", "equity_vested"),
    ("Owed back", "sign_on_owed"),
    ("Net", "net"),
    ("After tax", "net_after_tax"),
    ("To keep options", "exercise_cost"),
    ("Unvested", "equity_unvested"),
)
MONTHS_BETWEEN_ROWS = 3


def month_by_month(timelines, leave_months: int) -> list:
    """For the partial's month-by-month table: (label, headings, rows) per (label, currency,
    Timeline)."""
    return [
        (label, _month_columns(timeline), _month_rows(timeline, leave_months))
        for label, _, timeline in timelines
    ]


def _month_fields(timeline) -> list[tuple[str, str]]:
    skipped = {"net_after_tax"} if not timeline.taxed else set()
    if not timeline.has_options:
        skipped.add("exercise_cost")
    return [(heading, name) for heading, name in _MONTH_COLUMNS if name not in skipped]


def _month_columns(timeline) -> list[str]:
    return [heading for heading, _ in _month_fields(timeline)]


def _month_rows(timeline, chosen: int) -> list[tuple[int, bool, list[str]]]:
    """(month, is it the chosen one, its figures written out) for every third month. Formatted
    here rather than cell by cell in the template: a 4-year timeline is about a hundred amounts,
    and the template's filter on each was most of the offer page's time."""
    fields = [name for _, name in _month_fields(timeline)]
    currency = timeline.currency
    return [
        (
            month.months,
            month.months == chosen,
            [format_money(getattr(month, name), currency) for name in fields],
        )
        for month in timeline.months[::MONTHS_BETWEEN_ROWS]
    ]


def risk_discounts(paper: CompensationResult, risk: CompensationResult) -> tuple[Decimal, ...]:
    """Each year's equity at paper value less its risk-adjusted value: what the illiquidity
    discount takes off a year's take-home (tax stays on what vests)."""
    return tuple(p.equity - r.equity for p, r in zip(paper.years, risk.years, strict=True))


def risk_adjusted_take_home(estimates, paper: CompensationResult, risk: CompensationResult) -> dict:
    """The after-tax partial's risk-adjusted rows: each year's discount and what is left of its
    take-home (None for a year with no estimate)."""
    cuts = risk_discounts(paper, risk)
    return {
        "risk_discounts": cuts,
        "risk_take_home": [
            estimate.take_home - cut if isinstance(estimate, TakeHome) else None
            for estimate, cut in zip(estimates, cuts, strict=True)
        ],
    }


def after_tax_comparison(
    comparison: Comparison,
    offers: Sequence[Offer],
    paper_terms: Sequence[OfferTerms],
    household: Household,
    today,
    risk_terms: Sequence[OfferTerms] | None = None,
) -> tuple[dict, list]:
    """(Compare's after-tax context, each offer's yearly tax rates or None): each offer
    estimated in its own currency and place at paper value, then converted at the rates the
    comparison used. With no estimate for one of them, the context says why."""
    gross, tax, discounts, rates, sources = [], [], [], [], {}
    risk_terms = risk_terms or [None] * len(offers)
    for offer, terms, risk, conv in zip(
        offers, paper_terms, risk_terms, comparison.conversions, strict=True
    ):
        result = compute_compensation(terms)
        estimates = take_home_by_year(
            result,
            terms,
            place=tax_place(offer),
            household=household,
            first_tax_year=first_tax_year(offer, today),
        )
        missing = next((e for e in estimates if not isinstance(e, TakeHome)), None)
        if missing is not None:
            reason = f"{offer.company}: {missing.reason}"
            return {"after_tax_missing": reason}, [None] * len(offers)
        convert = (lambda a: a) if conv is None else (lambda a, c=conv: convert_amount(a, c))
        gross.append([convert(e.gross) for e in estimates])
        tax.append([convert(e.total_tax) for e in estimates])
        cuts = (
            risk_discounts(result, compute_compensation(risk))
            if risk is not None
            else (Decimal(0),) * len(estimates)
        )
        discounts.append([convert(cut) for cut in cuts])
        rates.append(tax_rates(estimates))
        sources.update(dict.fromkeys(e.source for e in estimates))
    context = {
        "after_tax_comparison": compare_after_tax(
            comparison.names,
            comparison.currency,
            gross,
            tax,
            discounts if any(any(d) for d in discounts) else None,
        ),
        "tax_sources": "Sources: " + "; ".join(sources) + ".",
        "household_label": household_label(household),
    }
    return context, rates


DEFAULT_LEAVE_MONTHS = 12


def after_tax_view_from(params) -> bool:
    return params.get(TAX_PARAM) == AFTER_TAX


def leave_months_from(params, *, last: int = 120) -> tuple[int, str]:
    """The leaving month a URL asks for (`months=`), or 12 with a plain message for bad input."""
    raw = params.get(MONTHS_PARAM)
    if raw in (None, ""):
        return DEFAULT_LEAVE_MONTHS, ""
    try:
        months = int(raw)
    except ValueError:
        return DEFAULT_LEAVE_MONTHS, "Enter a whole number of months, e.g. 18."
    if not 0 <= months <= last:
        return DEFAULT_LEAVE_MONTHS, f"Enter between 0 and {last} months."
    return months, ""


def comparison_worth_context(request: HttpRequest, page, household: Household, today) -> dict:
    """What Compare adds to the comparison: the equity scenarios and break-even growth, the
    after-tax view when asked for (`tax=after`), and every offer's leaving timeline."""
    comparison = page.comparison
    if comparison is None:
        return {}
    terms = page.converted_terms
    context: dict = {"after_tax_view": after_tax_view_from(request.GET)}
    if any(t.has_equity for t in terms):
        context |= scenarios_context(
            request, list(zip(comparison.names, terms, strict=True)), reads=COMPARE_READS
        )
        context["break_evens"] = break_evens(comparison, terms)
    rates: list = [None] * len(terms)
    if context["after_tax_view"]:
        after_tax, rates = after_tax_comparison(
            comparison,
            page.offers,
            page.paper_terms,
            household,
            today,
            page.risk_terms if page.risk_adjusted else None,
        )
        context |= after_tax
    months, months_error = leave_months_from(request.GET)
    context |= timeline_context(
        [(name, t, r) for name, t, r in zip(comparison.names, terms, rates, strict=True)],
        months,
        comparison.currency,
        # The chart and the chosen month are enough beside a comparison: every month of every
        # offer would be a long table to write out on every look.
        with_month_by_month=False,
    )
    context["months_error"] = months_error
    context["leave_keep_params"] = kept_params(request.GET, COMPARE_READS, leaving_out=MONTHS_PARAM)
    return context

from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmarks.charts import band_chart_svg
from offers.charts import year_by_year_chart
from offers.compensation import (
    CompensationResult,
    discounted_equity,
    early_exercise_cost,
    exercise_cost_by_year,
    leave_after,
    spread_at_grant,
)
from offers.conditional_pages import conditional_person_page
from offers.fair_share import fair_share
from offers.forms import OfferForm, OfferPreviewForm, too_many_offers_message
from offers.market import MarketPosition, market_positions
from offers.models import Offer
from offers.selectors import (
    owned_offer_list,
    owned_offer_or_404,
    owned_offer_shown,
    result_or_none,
)
from offers.services import TooManyOffers, duplicate_offer, make_room_for_offer
from offers.terms import has_risk_adjustment, offer_terms
from offers.valuation import equity_value_from, switch_links
from offers.worth import (
    DETAIL_READS,
    MONTHS_PARAM,
    after_tax_for_offer,
    household_label,
    leave_months_from,
    risk_adjusted_take_home,
    scenarios_context,
    tax_rates,
    timeline_context,
)


@login_required
@require_GET
@conditional_person_page
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = owned_offer_list(user=request.user)
    equity_value = equity_value_from(request.GET)
    results = [result_or_none(offer) for offer in offers]
    positions = market_positions(offers, results)  # bands are read at paper value
    if equity_value.risk_adjusted:
        results = [result_or_none(offer, risk_adjusted=True) for offer in offers]
    rows = _list_rows(
        offers, results, positions, link_query="?equity=risk" if equity_value.risk_adjusted else ""
    )
    context = {
        "rows": rows,
        "equity_value": equity_value,
        "equity_links": switch_links(request.path, request.GET, equity_value),
        "any_discount": any(has_risk_adjustment(offer) for offer in offers),
    }
    return render(request, "offers/offer_list.html", context)


# An offer's status as its menu names it ("Negotiating"): read once, not for every row.
_STATUS_LABELS = dict(Offer._meta.get_field("status").flatchoices)


class OfferRow(NamedTuple):
    """One row of My offers, unpacked by the template in this order."""

    offer: Offer
    result: CompensationResult | None
    position: MarketPosition
    link: str  # the offer's page, with the list's equity switch carried over
    status: str
    deadline: str  # "24 Dec 2026", or "" without a deadline
    overdue: bool


def _list_rows(
    offers: list[Offer],
    results: list[CompensationResult | None],
    positions: list[MarketPosition],
    *,
    link_query: str,
) -> list[OfferRow]:
    """What each row shows beyond the offer itself, worked out once per row in Python rather
    than looked up node by node in the template (profiled: about a third of the list's
    rendering went to its link, status and deadline)."""
    today = timezone.localdate()
    return [
        OfferRow(
            offer=offer,
            result=result,
            position=position,
            link=offer.get_absolute_url() + link_query,
            status=_STATUS_LABELS.get(offer.status, offer.status),
            # As the template's |date:"j M Y" writes it.
            deadline=dateformat.format(offer.decision_deadline, "j M Y")
            if offer.decision_deadline
            else "",
            overdue=offer.is_overdue(today),
        )
        for offer, result, position in zip(offers, results, positions, strict=True)
    ]


@login_required
@require_http_methods(["GET", "POST"])
@fair_share
def offer_create(request: HttpRequest) -> HttpResponse:
    form = OfferForm(request.POST or None, instance=Offer(owner=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                make_room_for_offer(owner_id=request.user.pk)
                offer = form.save()
        except TooManyOffers:
            form.add_error(None, too_many_offers_message())
        else:
            messages.success(request, f"Saved your offer from {offer.company}.")
            return redirect(offer)
    return render(request, "offers/offer_form.html", {"form": form, "offer": None})


@login_required
@require_http_methods(["GET", "POST"])
@fair_share
def offer_update(request: HttpRequest, pk: int) -> HttpResponse:
    offer = owned_offer_or_404(user=request.user, pk=pk)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved your changes.")
        return redirect(offer)
    context = {"form": form, "offer": offer}
    if request.method == "GET":
        context |= _preview_context(offer)
    return render(request, "offers/offer_form.html", context)


def _preview_context(offer: Offer) -> dict:
    result = result_or_none(offer)
    position = (
        market_positions([offer], [result])[0] if offer.role_id and offer.location_id else None
    )
    return {"preview": result, "position": position, "preview_offer": offer}


@login_required
@require_POST
@fair_share
def offer_preview(request: HttpRequest) -> HttpResponse:
    """Totals and market position for the form as typed; nothing is saved."""
    form = OfferPreviewForm(request.POST, instance=Offer(owner=request.user))
    context: dict = {"form": form}
    if form.is_valid():
        context |= _preview_context(form.unsaved_offer())
    return render(request, "offers/offer_form.html#preview", context)


@login_required
@require_GET
@conditional_person_page
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = owned_offer_shown(user=request.user, pk=pk)
    equity_value = equity_value_from(request.GET)
    paper = result_or_none(offer)
    position = market_positions([offer], [paper])[0]  # bands are read at paper value
    result = result_or_none(offer, risk_adjusted=True) if equity_value.risk_adjusted else paper
    context = {
        "offer": offer,
        "result": result,
        "paper_result": paper,
        "position": position,
        "equity_value": equity_value,
        "equity_links": switch_links(request.path, request.GET, equity_value, reads=DETAIL_READS),
        "risk_adjustable": has_risk_adjustment(offer),
        "chart": year_by_year_chart(result) if result else None,
        "band_chart": (
            band_chart_svg(position.base_band, markers=[("Your base", offer.base_salary)])
            if position.base_band
            else None
        ),
        "discounted_equity": (
            discounted_equity(paper, offer.illiquidity_discount_percent) if paper else None
        ),
        "explorer_url": explorer_url(offer),
    }
    context |= _leave_context(request, offer, risk_adjusted=equity_value.risk_adjusted)
    if paper is not None:
        context |= _worth_context(request, offer, paper, context)
    if request.htmx and request.htmx.target == "leave-after":
        return render(request, "offers/offer_detail.html#leave", context)
    return render(request, "offers/offer_detail.html", context)


def explorer_url(offer: Offer) -> str:
    """The market explorer chosen as this offer is (role, level, place, industry, company size);
    the page adds the component to show."""
    chosen = {
        "role": offer.role_id,
        "level": offer.level_id,
        "location": offer.location_id,
        "industry": offer.industry_id,
        "company_size": offer.company_size_id,
    }
    query = urlencode({name: pk for name, pk in chosen.items() if pk is not None})
    return f"{reverse('benchmarks:explorer')}?{query}"


def _worth_context(request: HttpRequest, offer: Offer, paper, context: dict) -> dict:
    """Equity scenarios, options' costs, the after-tax estimate and the leaving timeline."""
    risk = context["equity_value"].risk_adjusted
    paper_terms = offer_terms(offer)
    shown_terms = offer_terms(offer, risk_adjusted=True) if risk else paper_terms
    household = request.user.household()
    after_tax = after_tax_for_offer(offer, paper, paper_terms, household, timezone.localdate())
    worth = dict(after_tax) | {"household_label": household_label(household)}
    if risk and has_risk_adjustment(offer):
        # Tax stays on what vests; the discount then comes off what is left.
        worth |= risk_adjusted_take_home(after_tax["after_tax"], paper, context["result"])
    if shown_terms.has_equity:
        worth |= scenarios_context(request, [(offer.company, shown_terms)], reads=DETAIL_READS)
    if offer.has_options:
        worth |= {
            "exercise_costs": exercise_cost_by_year(shown_terms),
            "early_exercise_cost": early_exercise_cost(shown_terms),
            "spread_at_grant": spread_at_grant(shown_terms),
        }
    if "leave" in context:
        months = context["leave_months"]
        worth |= timeline_context(
            [(offer.company, shown_terms, tax_rates(after_tax["after_tax"]))],
            months,
            offer.currency,
        )
        worth["leave_after_tax"] = worth["timeline_series"][0][2].at(months).net_after_tax
    return worth


def _leave_context(request: HttpRequest, offer: Offer, *, risk_adjusted: bool = False) -> dict:
    months, error = leave_months_from(request.GET)
    if error:
        return {"leave_error": error, "leave_months": request.GET.get(MONTHS_PARAM, "")}
    try:
        outcome = leave_after(offer_terms(offer, risk_adjusted=risk_adjusted), months)
    except ValueError as error:
        return {"leave_error": str(error), "leave_months": months}
    return {"leave": outcome, "leave_months": months}


@login_required
@require_POST
@fair_share
def offer_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    offer = owned_offer_or_404(user=request.user, pk=pk)
    try:
        duplicate = duplicate_offer(offer=offer)
    except TooManyOffers:
        messages.error(request, too_many_offers_message())
        return redirect("offers:detail", pk=pk)
    messages.success(request, "Made a copy to try a what-if. Change anything and save.")
    return redirect("offers:edit", pk=duplicate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def offer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    offer = owned_offer_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            offer.delete()
        messages.success(request, f"Deleted the offer from {offer.company}.")
        return redirect("offers:list")
    return render(request, "offers/offer_confirm_delete.html", {"offer": offer})

"""Negotiate one offer: verdict, counter-offer targets the person can adjust (totals recomputed at
once with htmx), talking points and an email draft; and the rounds of the negotiation.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.htmx import render_page_or_partial
from offers.compensation import compute_compensation
from offers.conditional_pages import conditional_person_page
from offers.forms import MONEY_FIELDS, CounterForm, RoundForm, round_initial, round_labels
from offers.market import market_positions, total_band_people, total_quote
from offers.models import Offer, Round
from offers.negotiation import (
    CounterWords,
    adjusted_counter,
    counter_words,
    market_verdict,
    suggest_after_answer,
    suggest_counter,
)
from offers.selectors import (
    Standing,
    competitors_for,
    negotiation_standing,
    owned_offer_and_others,
    owned_offer_or_404,
    round_history,
)
from offers.services import RoundRefused, save_round
from offers.services import apply_round as apply_round_to_offer
from offers.terms import has_risk_adjustment, offer_terms
from offers.valuation import equity_value_from, switch_links


def _suggestion(terms, result, position, competitors, standing: Standing | None):
    if standing is not None:
        return suggest_after_answer(terms, result, standing.ask_terms)
    return suggest_counter(
        terms, result, position.base_band, position.base, competitors, position.total_band
    )


def _counter_context(
    request: HttpRequest,
    offer: Offer,
    terms,
    result,
    position,
    competitors,
    verdicts,
    standing: Standing | None = None,
    market_result=None,
) -> dict:
    """The counter-offer, its form and its words; or, when no suggestion can be made from these
    figures, why (the verdict above it still shows)."""
    try:
        suggested = _suggestion(terms, result, position, competitors, standing)
    except (ValueError, ArithmeticError) as error:
        return {"suggestion_error": str(error)}
    suggested_targets = suggested.targets
    initial = {
        "base_salary": suggested_targets.base_salary,
        "bonus_percent": suggested_targets.bonus_percent,
        "bonus_fixed": suggested_targets.bonus_fixed,
        "sign_on_year1": suggested_targets.sign_on_year1,
        "equity_grant_value": suggested_targets.equity_grant_value,
    }
    adjusting = "base_salary" in request.GET
    form = CounterForm(
        request.GET if adjusting else None,
        initial=initial,
        bonus_as_amount=offer.bonus_type == Offer.BonusType.FIXED,
    )
    counter = suggested
    if adjusting and form.is_valid():
        try:
            counter = adjusted_counter(suggested, terms, form.targets())
        except ValueError as error:
            form.add_error(None, str(error))
    role = offer.job_title or " ".join(str(p) for p in (offer.level, offer.role) if p)
    words = counter_words(
        offer.company,
        role,
        counter,
        verdicts,
        position.base_band,
        after_answer=standing is not None,
        # Bands are at paper value: what is quoted against one is the paper total.
        total=total_quote(offer, position, market_result or result),
    )
    return {"counter": counter, "form": form, "words": words, "email": email_draft(words)}


def email_draft(words: CounterWords) -> str:
    """The email, as plain text ready to copy (the page escapes it once, where it shows it)."""
    return render_to_string("offers/_email_draft.txt", {"words": words}).rstrip("\n")


@login_required
@require_GET
@conditional_person_page
def negotiate(request: HttpRequest, pk: int) -> HttpResponse:
    offer, others = owned_offer_and_others(user=request.user, pk=pk)
    equity_value = equity_value_from(request.GET)
    risk = equity_value.risk_adjusted
    try:
        terms = offer_terms(offer, risk_adjusted=risk)
    except ValueError:
        messages.warning(request, "This offer's terms can't be computed: check its fields.")
        return redirect("offers:edit", pk=offer.pk)
    standing = negotiation_standing(offer=offer, risk_adjusted=risk)
    on_table = offer  # the terms negotiated from: their answer, once they have answered
    if standing is not None:
        on_table, terms = standing.answer_offer, standing.answer_terms
    result = compute_compensation(terms)
    # The market bands are at paper value, so the offer is placed in them at paper value; what
    # the counter is worth, and how it stands against the other offers, follow the switch.
    paper_result = compute_compensation(offer_terms(on_table)) if risk else result
    position = market_positions([on_table], [paper_result])[0]
    competitors, skipped = competitors_for(offer=offer, others=others, risk_adjusted=risk)
    # Total pay in the best total band available (community, else imported): the average
    # yearly total and the first year's, which counts the one-time items.
    total_label = f"total compensation for {total_band_people(on_table, position)}"
    verdicts = [
        market_verdict("Base salary", position.base, position.base_band),
        market_verdict("Average yearly total", position.total, position.total_band, total_label),
        market_verdict("First-year total", position.first_year, position.total_band, total_label),
    ]
    context = {
        "offer": offer,
        "result": result,
        "position": position,
        "verdicts": verdicts,
        "skipped": skipped,
        "standing": standing,
        "awaiting_answer": offer.last_round_by == Round.Who.CANDIDATE,
        "equity_value": equity_value,
        "equity_links": switch_links(request.path, request.GET, equity_value),
        "risk_adjustable": has_risk_adjustment(offer)
        or any(has_risk_adjustment(other) for other in others),
        **_counter_context(
            request,
            on_table,
            terms,
            result,
            position,
            competitors,
            verdicts,
            standing,
            market_result=paper_result,
        ),
    }
    return render_page_or_partial(request, "offers/negotiate.html", "counter", context)


# --- Rounds ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    offer = owned_offer_or_404(user=request.user, pk=pk)
    history = list(offer.rounds.all())
    on_table = history[-1].as_offer() if history else offer
    form = RoundForm(
        request.POST or None,
        initial=round_initial(on_table),
        bonus_as_amount=offer.bonus_type == Offer.BonusType.FIXED,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = save_round(
                offer=offer,
                label=form.cleaned_data["label"],
                who=form.cleaned_data["who"],
                proposed=form.apply_to(on_table.unsaved_copy()),
            )
        except (RoundRefused, ValueError) as refused:
            form.add_error(None, str(refused))
        except IntegrityError:
            form.add_error(None, "Another round was saved at the same time. Try again.")
        else:
            messages.success(request, f"Saved round {version.number}: {version.label}.")
            return redirect("offers:rounds", pk=offer.pk)
    context = {"offer": offer, "form": form, "money_fields": MONEY_FIELDS}
    context |= round_history(offer=offer, history=history, labels=round_labels(form))
    return render(request, "offers/rounds.html", context)


@login_required
@require_POST
def apply_round(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Make a round's terms the offer's own: the terms now on the table, which every page shows."""
    offer = owned_offer_or_404(user=request.user, pk=pk, market_context=False)
    version = get_object_or_404(offer.rounds, number=number)
    try:
        apply_round_to_offer(offer=offer, version=version)
    except RoundRefused as refused:
        messages.error(request, f"Round {version.number} can't be the offer's terms: {refused}")
        return redirect("offers:rounds", pk=offer.pk)
    messages.success(
        request, f"The offer now has the terms of round {version.number}: {version.label}."
    )
    return redirect(offer)

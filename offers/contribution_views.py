"""Add an offer to this site's market data, or withdraw it: POST only, the owner's offers only.

Without htmx each answers with a redirect to the offer's section and a message; with htmx it
answers with the section itself, which says what was done.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from offers.contributions import CannotContribute, contribute, withdraw
from offers.fair_share import fair_share
from offers.models import Offer
from offers.selectors import owned_offers

ADDED = "Added this offer to this site's market data. You can withdraw it at any time."
WITHDRAWN = "Withdrew this offer from this site's market data."


def _answer(request: HttpRequest, offer: Offer, done: str, level: int) -> HttpResponse:
    if request.htmx:
        context = {
            "offer": offer,
            "contribution_done": done,
            "contribution_refused": level == messages.ERROR,
        }
        return render(request, "offers/_contribution.html", context)
    messages.add_message(request, level, done)
    return redirect(reverse("offers:detail", args=[offer.pk]) + "#contribution")


@login_required
@require_POST
@fair_share
def contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(owned_offers(user=request.user), pk=pk)
    try:
        contribute(offer=offer)
    except CannotContribute as refusal:
        return _answer(request, offer, str(refusal), messages.ERROR)
    return _answer(request, offer, ADDED, messages.SUCCESS)


@login_required
@require_POST
@fair_share
def contribution_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(owned_offers(user=request.user), pk=pk)
    withdraw(offer=offer)
    return _answer(request, offer, WITHDRAWN, messages.SUCCESS)

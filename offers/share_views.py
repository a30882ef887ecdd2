"""Share a comparison read-only: the owner creates, lists and revokes links; anyone with a valid
link sees that one comparison and nothing else.

A link shows the offers' current terms, read through `owner=link.owner`, so it can never reach
another person's offer. Unknown tokens are 404; expired or revoked links answer 410 with a page
that says so and shows nothing of the comparison.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from offers.forms import DEFAULT_DAYS, ShareLinkForm
from offers.models import Offer, ShareLink
from offers.selectors import comparison_page, offer_names, parse_selection, shared_offers
from offers.services import create_share_link


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    owned = list(Offer.objects.owned_by(request.user))
    initial = {"currency": "USD", "expires_in_days": DEFAULT_DAYS}
    if request.method == "GET" and "offers" in request.GET:
        # Arriving from a comparison: start from its selection.
        selection = parse_selection(params=request.GET, owned=owned)
        initial |= {"offers": [o.pk for o in selection.offers], "currency": selection.currency}
    form = ShareLinkForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        link = create_share_link(
            owner=request.user,
            offer_ids=form.offer_ids_in_order(),
            currency=data["currency"],
            hidden_fields=data["hidden_fields"],
            expires_in_days=data["expires_in_days"],
        )
        messages.success(
            request,
            "Created a share link. Copy it below; anyone with it can see this comparison "
            f"until {timezone.localtime(link.expires_at):%-d %b %Y, %H:%M}.",
        )
        return redirect("offers:shares")
    links = list(ShareLink.objects.owned_by(request.user))
    names = {offer.pk: offer.company for offer in owned}
    now = timezone.now()
    rows = [
        {
            "link": link,
            "url": request.build_absolute_uri(reverse("shared_comparison", args=[link.token])),
            "companies": [names[pk] for pk in link.offer_ids if pk in names],
            "active": link.is_active(now),
            "hidden": [ShareLink.Hideable(f).label for f in link.hidden_fields],
        }
        for link in links
    ]
    return render(request, "offers/share_list.html", {"form": form, "rows": rows})


@login_required
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.owned_by(request.user), pk=pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, "Revoked the link: it no longer shows anything.")
    return redirect("offers:shares")


@never_cache
@require_GET
def shared_comparison(request: HttpRequest, token: str) -> HttpResponse:
    link = ShareLink.objects.filter(token=token).first()
    if link is None:
        raise Http404("No such link.")
    offers = []
    if link.is_active(timezone.now()):
        offers = shared_offers(owner_id=link.owner_id, offer_ids=link.offer_ids)
    if len(offers) < 2:
        response = render(request, "offers/shared_comparison.html", {"gone": True}, status=410)
    else:
        if link.hides(ShareLink.Hideable.COMPANY):
            names = [f"Offer {chr(ord('A') + i)}" for i in range(len(offers))]
        else:
            names = offer_names(offers)
        page = comparison_page(offers=offers, currency=link.currency, names=names)
        hides_location = link.hides(ShareLink.Hideable.LOCATION)
        if hides_location:
            # A currency or an exchange rate names a place as surely as the place itself.
            inputs = page.converted_terms
            if page.missing_rate:
                page.error = f"These offers can't all be shown in {link.currency} yet."
        else:
            inputs = page.terms
        context = {
            "page": page,
            "columns": list(zip(names, page.columns, inputs, strict=False)),
            "link": link,
            "hide": {field: link.hides(field) for field in ShareLink.Hideable.values},
            "today": timezone.localdate(),
        }
        response = render(request, "offers/shared_comparison.html", context)
    # The page is for the person the link was sent to: not for search engines, not to be passed
    # on in a Referer header.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "offers/offer_list.html", {"offers": []})


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    return render(request, "offers/compare.html")

"""The options a searchable menu offers as someone types (static/js/app.js, "Searchable select")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from benchmarks.search import MENUS, matching
from offers.fair_share import fair_share


@login_required  # the forms these menus belong to are for signed-in people only
@require_GET
@fair_share  # a search per keystroke is cheap, but a client asking without pause is slowed
def search_options(request: HttpRequest, menu: str) -> HttpResponse:
    if menu not in MENUS:
        raise Http404("No such menu")
    options = matching(menu, request.GET.get("q", ""))
    return render(request, "benchmarks/_search_options.html", {"options": options})

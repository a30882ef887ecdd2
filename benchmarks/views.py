from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from benchmarks.charts import band_chart_svg
from benchmarks.forms import ExplorerForm
from benchmarks.lookup import band_for
from benchmarks.models import Band


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@login_required
@require_GET
@vary_on_headers("HX-Request")  # the same URL answers with the page or with its result partial
def explorer(request: HtmxHttpRequest) -> HttpResponse:
    form = ExplorerForm(request.GET or None)
    query = form.band_query() if form.is_valid() else None
    band = band_for(query, stamp=form.market_stamp) if query else None
    context = {
        "form": form,
        "query": query,
        "band": band,
        "component_label": Band.Component(query.component).label if query else "",
        # Two drawings: a phone gets one laid out for its width, so its labels stay readable.
        "chart": band_chart_svg(band) if band else "",
        "narrow_chart": band_chart_svg(band, width=360) if band else "",
    }
    # A history restore asks for the whole page even though it comes from htmx.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "benchmarks/explorer.html#result" if partial else "benchmarks/explorer.html"
    return render(request, template, context)

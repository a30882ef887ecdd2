"""The benchmark's floor: a constant answer that still passes through every middleware.

`make bench` measures each page's throughput against this one, in the same run, so the ratio
says what a page costs beyond the framework itself; and against the signed-in floor, the same
constant behind the session and user lookups every signed-in page pays, so the ratio says what a
page costs beyond being signed in.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

FLOOR_BODY = b"floor\n"


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR_BODY, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def signed_in_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FLOOR_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("floor", floor, name="perf-floor"),
    path("floor/signed-in", signed_in_floor, name="perf-floor-signed-in"),
]

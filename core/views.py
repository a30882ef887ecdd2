"""Pages that belong to the whole site rather than to one app: home, the icon, the error pages."""

import sys

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from core.database_outage import is_outage, outage_response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("offers:list")
    return render(request, "home.html")


# Browsers ask for /favicon.ico on pages that name no icon (the admin's, files, error pages).
# A week: the address it points to changes only when the icon does.
@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the error: a database outage that struck after the view
    # (saving the session, say) gets the same clean 503 as one inside it.
    if is_outage(sys.exc_info()[1]):
        return outage_response()
    # No context processors: the failure may be in one of them.
    return HttpResponse(loader.get_template("500.html").render(), status=500)

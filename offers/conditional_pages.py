"""A person's own pages answer conditional GETs: a repeat view of a page whose data has not
changed is a 304 with no body, and the browser shows the copy it kept.

The page's ETag is a digest of everything it is computed from:

- the person: their id, what the menu shows of them (name, staff or not), whom their after-tax
  estimates are for (filing status and dependants), and their data version (`User.data_stamp`, which database triggers change on any write to their offers,
  rounds or share links, core/stamps.py), loaded with the person, so it costs no query;
- the market-data version (benchmarks/market_cache.py), read once per request;
- today's date (deadlines, and the bands and rates in effect);
- the request: the view, its whole path and query, and the htmx headers that choose between the
  page and one of its fragments;
- the CSRF secret the page's forms were given, so a page kept from before a sign-in (which
  rotates the secret) is never shown again with a token that no longer works.

A page is never revalidated while messages wait to be shown, nor when it added one, and only a
200 carries an ETag. The browser may keep the page, for this person only, and must ask again
before each use (`Cache-Control: private, no-cache`): nothing is ever shown that the server
would not send afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.http import condition

from benchmarks.market_cache import market_version
from core.htmx import PAGE_OR_PARTIAL_HEADERS
from offers.fair_share import computed

# The headers the views answer differently to: core/htmx.py's, and the swapped target.
VARIES_ON = (*PAGE_OR_PARTIAL_HEADERS, "HX-Target")
PERSON_PAGE_CACHE_CONTROL = "private, no-cache"
# A request holding either has ETags to compare before the view runs.
CONDITIONAL_HEADERS = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH"})


def _has_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return bool(len(storage)) or storage.used


def person_page_etag(request: HttpRequest, view: Callable) -> str | None:
    """The page's ETag, or None when it must be computed and sent afresh (messages waiting)."""
    if _has_messages(request):
        return None
    user = request.user
    shown = (
        view.__module__,
        view.__qualname__,
        request.get_full_path(),
        tuple(request.headers.get(name, "") for name in VARIES_ON),
        user.pk,
        user.data_stamp,
        user.get_short_name(),
        user.is_staff,
        user.filing_status,
        user.dependants,
        market_version(),
        timezone.localdate().isoformat(),
        request.META.get("CSRF_COOKIE", ""),
    )
    return (
        f'"{salted_hmac("offers.conditional_pages", repr(shown), algorithm="sha256").hexdigest()}"'
    )


class PageEtag:
    """One request's ETag, made at most once for each CSRF secret the page may hold: before the
    view only when the request has ETags to compare it with, and after the view for the page as
    sent (a first visit's view makes the secret its forms hold)."""

    def __init__(self, request: HttpRequest, view: Callable):
        self.request, self.view = request, view
        self.made: dict[str, str | None] = {}

    def __call__(self) -> str | None:
        secret = self.request.META.get("CSRF_COOKIE", "")
        if secret not in self.made:
            self.made[secret] = person_page_etag(self.request, self.view)
        return self.made[secret]

    def to_compare(self, request: HttpRequest, *args, **kwargs) -> str | None:
        """For `condition`: the ETag when the request names some (If-None-Match, If-Match)."""
        if CONDITIONAL_HEADERS.isdisjoint(request.META):
            return None  # nothing to compare: the page's ETag is made once, after the view
        return self()


def conditional_person_page(view: Callable) -> Callable:
    """Answer a repeat GET of a signed-in person's page with 304 while nothing it shows changed.
    Goes inside login_required: it assumes a signed-in person."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        etag = PageEtag(request, view)

        def compute(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            # Only a page computed afresh uses the person's share of the worker.
            response = computed(request, view, *args, **kwargs)
            if response.status_code == 200 and (page_etag := etag()) is not None:
                response.headers["ETag"] = page_etag
            return response

        if request.method not in ("GET", "HEAD"):
            return compute(request, *args, **kwargs)
        response = condition(etag_func=etag.to_compare)(compute)(request, *args, **kwargs)
        if response.status_code != 304 and (response.status_code != 200 or _has_messages(request)):
            response.headers.pop("ETag", None)
        if response.has_header("ETag"):
            response.headers.setdefault("Cache-Control", PERSON_PAGE_CACHE_CONTROL)
        return response

    return wrapper

"""A person's own pages, kept in this process until what they show changes.

My offers, an offer, compare and negotiate are read far more often than the data under them
changes, and computing them costs far more than the framework around them. A page is kept under
everything it is computed from:

- the person: their id, what the menu shows of them (name, staff or not), and their data stamp,
  which database triggers change on any write to their offers, rounds or share links;
- the market-data stamp, which triggers change on any write to market data;
- today's date (deadlines, and the bands and rates in effect);
- the request: the view, path and query, and the htmx headers the views answer differently to.

Waiting messages are shown by the page around the content, so a request with any is answered
afresh, and a page that added one is not kept. The CSRF token is not kept either: the page is
stored with a placeholder that each response fills with a freshly masked token, so compressed
responses never repeat a token (what keeps BREACH-style guessing out).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from benchmarks.market_cache import current_stamp

# Random per process, so no text a person types or puts in a URL can ask for the token.
CSRF_PLACEHOLDER = f"csrf-token-{secrets.token_hex(16)}"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
_RENDERING_FOR_CACHE = "_offerbench_page_cache_rendering"
_VARIES_ON = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
_NOT_KEPT_HEADERS = {"content-length", "set-cookie"}


@dataclass(frozen=True)
class CachedPage:
    content: bytes  # with CSRF_PLACEHOLDER where the token goes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """Least recently used pages, bounded by their total size; thread-safe."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple, CachedPage] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: CachedPage) -> None:
        if len(page.content) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._pages[key] = page
            self._bytes += len(page.content)
            while self._bytes > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


OWNER_PAGES = PageCache(max_bytes=settings.PAGE_CACHE_MAX_BYTES)


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, its CSRF token is a
    placeholder (context processors run after Django's own, so this one wins)."""
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def page_key(request: HttpRequest, view: Callable) -> tuple:
    user = request.user
    return (
        view.__module__,
        view.__qualname__,
        request.get_full_path(),
        tuple(request.headers.get(name, "") for name in _VARIES_ON),
        user.pk,
        user.data_stamp,
        user.get_short_name(),
        user.is_staff,
        current_stamp(),
        timezone.localdate(),
    )


def _has_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return bool(len(storage)) or storage.used


def cached_owner_page(view: Callable) -> Callable:
    """Serve a signed-in person's GET page from OWNER_PAGES while nothing it shows has changed.
    Goes inside login_required: it assumes a signed-in person."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or not OWNER_PAGES.max_bytes or _has_messages(request):
            return view(request, *args, **kwargs)
        key = page_key(request, view)
        page = OWNER_PAGES.get(key)
        if page is None:
            setattr(request, _RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING_FOR_CACHE, False)
            if not _keepable(request, response):
                return _with_token(request, response)
            page = CachedPage(
                content=response.content,
                headers=tuple(
                    (name, value)
                    for name, value in response.headers.items()
                    if name.lower() not in _NOT_KEPT_HEADERS
                ),
            )
            OWNER_PAGES.put(key, page)
        response = HttpResponse(page.content)
        for name, value in page.headers:
            response.headers[name] = value
        return _with_token(request, response)

    return wrapper


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _has_messages(request)
    )


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and _PLACEHOLDER_BYTES in response.content:
        # get_token also has the CSRF cookie renewed, as rendering {% csrf_token %} does.
        response.content = response.content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    return response

"""A person's own pages, kept in this process until what they show changes.

My offers, an offer, compare and negotiate are read far more often than the data under them
changes, and computing them costs far more than the framework around them. A page is kept under
everything it is computed from:

- the person: their id, what the menu shows of them (name, staff or not), and their data stamp,
  which database triggers change on any write to their offers, rounds or share links;
- the market-data stamp, which triggers change on any write to market data;
- today's date (deadlines, and the bands and rates in effect);
- the request: the view, its path, the htmx headers the views answer differently to, and only
  the query parameters the page reads. While a page is computed for the cache, `request.GET`
  notes each name the view and its templates look up; the page is kept under the values of those
  names alone, so `?junk=1` is served the same kept page instead of computing and keeping another
  (a view that reads the whole query, e.g. to copy it into a link, is kept under all of it).
  This is sound because a view's reads depend only on what it has read: another request with the
  same values for those names takes the same path and reads the same names.

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
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone

from benchmarks.market_cache import current_stamp
from offers.fair_share import computed

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


ALL_PARAMETERS = "*"  # a read of the whole query
NON_EMPTY = "?"  # a read of whether there is a query at all (`request.GET or None`)
_READ_SETS_PER_VIEW = 16


class RecordingQueryDict(QueryDict):
    """The request's query, noting which parameters are read: a name looked up by `[]`, `get`,
    `getlist` or `in`; whether it is empty; or the whole of it (anything else)."""

    def __init__(self, original: QueryDict):
        super().__init__(mutable=True, encoding=original.encoding)
        for name, values in original.lists():
            self.setlist(name, values)
        self._mutable = False
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key) -> bool:
        self.read.add(key)
        return super().__contains__(key)

    def __bool__(self) -> bool:
        self.read.add(NON_EMPTY)
        return super().__len__() > 0

    def _all(self) -> None:
        self.read.add(ALL_PARAMETERS)

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def __iter__(self):
        self._all()
        return super().__iter__()

    def keys(self):
        self._all()
        return super().keys()

    def items(self):
        self._all()
        return super().items()

    def values(self):
        self._all()
        return super().values()

    def lists(self):
        self._all()
        return super().lists()

    def dict(self):
        self._all()
        return super().dict()

    def urlencode(self, safe=None):
        self._all()
        return super().urlencode(safe)

    def copy(self):
        self._all()
        return super().copy()

    def __copy__(self):
        self._all()
        return super().__copy__()

    def __deepcopy__(self, memo):
        self._all()
        return super().__deepcopy__(memo)


def parameters_key(query: QueryDict, read: frozenset[str]) -> tuple:
    """The values of the parameters in `read` (every parameter, in order, when the whole
    query was read)."""
    if ALL_PARAMETERS in read:
        return tuple((name, tuple(values)) for name, values in query.lists())
    return tuple(
        (name, bool(query)) if name == NON_EMPTY else (name, tuple(query.getlist(name)))
        for name in sorted(read)
    )


class ReadSets:
    """For each view, the sets of query parameters its pages have been seen to read (a few per
    view: one per way through it), most recent first; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_view: dict[tuple, OrderedDict[frozenset[str], None]] = {}

    def of(self, view: tuple) -> list[frozenset[str]]:
        with self._lock:
            return list(reversed(self._by_view.get(view, {})))

    def add(self, view: tuple, read: frozenset[str]) -> None:
        with self._lock:
            seen = self._by_view.setdefault(view, OrderedDict())
            seen[read] = None
            seen.move_to_end(read)
            while len(seen) > _READ_SETS_PER_VIEW:
                seen.popitem(last=False)


READ_SETS = ReadSets()


def page_key(request: HttpRequest, view: Callable) -> tuple:
    """The key of the page's every version: what it shows but the query parameters (a page's
    own key adds the parameters it read and their values)."""
    user = request.user
    return (
        view.__module__,
        view.__qualname__,
        request.path,
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
            return computed(request, view, *args, **kwargs)
        which = (view.__module__, view.__qualname__)
        base = page_key(request, view)
        page = None
        for read in READ_SETS.of(which):
            page = OWNER_PAGES.get((*base, read, parameters_key(request.GET, read)))
            if page is not None:
                break
        if page is None:
            query = request.GET
            recording = RecordingQueryDict(query)
            request.GET = recording
            setattr(request, _RENDERING_FOR_CACHE, True)
            try:
                # Only a page computed afresh uses the person's share of the worker.
                response = computed(request, view, *args, **kwargs)
            finally:
                setattr(request, _RENDERING_FOR_CACHE, False)
                request.GET = query
            if not _keepable(request, response):
                return _with_token(request, response)
            read = frozenset(recording.read)
            READ_SETS.add(which, read)
            key = (*base, read, parameters_key(request.GET, read))
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

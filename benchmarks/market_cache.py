"""Market data changes seldom and nearly every page reads it, so what is computed from it is kept
in the shared cache (``django.core.cache``: Redis in production, so every worker and every host
serves from one copy; local memory in development and tests).

Every key carries the market-data version (the pattern of djangoproject.com's dashboard). The
version is the market-data stamp (core/stamps.py): database triggers change it in the same
transaction as any write to market data, so after a change every key names a new version and
is computed afresh; entries of an older version are never read again and expire.

The version is read once per request, on first use (``MarketVersionMiddleware``; a management
command or a test can open the same scope with ``reading_market_data()``), and on every use
outside one. Nothing is passed down the call chain for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from benchmarks.models import MarketDataStamp

# From this many distinct keys asked together, the set is also kept whole (get_or_compute).
BATCH_FROM = 8

# A week: an entry of the current version lives that long after it is written; older versions
# are never asked for again, so their entries only wait to expire.
MARKET_CACHE_SECONDS = 7 * 24 * 60 * 60

# None outside a request; inside one, a list holding the version once read.
_request_version: ContextVar[list[int] | None] = ContextVar("market_version", default=None)


def market_version() -> int:
    """The market-data version: one query per request (or per use outside one)."""
    seen = _request_version.get()
    if seen is None:
        return MarketDataStamp.objects.current()
    if not seen:
        seen.append(MarketDataStamp.objects.current())
    return seen[0]


@contextmanager
def reading_market_data() -> Iterator[None]:
    """Read the market-data version at most once inside this block, as a request does."""
    token = _request_version.set([])
    try:
        yield
    finally:
        _request_version.reset(token)


class MarketVersionMiddleware:
    """Each request reads the market-data version at most once, when something first needs it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reading_market_data():
            return self.get_response(request)


class MarketCache:
    """Values computed from market data, in the shared cache under `name` and the version."""

    def __init__(self, name: str):
        self.name = name

    def key(self, version: int, key: Hashable) -> str:
        # Keys are tuples of ids, dates and words; a digest keeps them short and free of spaces.
        digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
        return f"market:{version}:{self.name}:{digest}"

    def get_or_compute(
        self, keys: Sequence[Hashable], compute: Callable[[list[Hashable]], Iterable[Any]]
    ) -> list[Any]:
        """The value of every key, in order; `compute` gets the missing keys (each once) and
        returns their values in the same order. A value of None is kept like any other.

        Many keys asked together (a person's 20 offers, each with its bands) are also kept as
        one entry, since a page asks the same set again on its next look: one entry is read
        and unpickled at once instead of dozens (profiled: about a tenth of my offers)."""
        version = market_version()
        distinct = list(dict.fromkeys(keys))
        if len(distinct) < BATCH_FROM:
            found = self._each(version, distinct, compute)
            return [found[k] for k in keys]
        batch = self.key(version, ("batch", *distinct))
        kept = cache.get(batch)
        if kept is None:
            found = self._each(version, distinct, compute)
            kept = [found[k] for k in distinct]
            cache.set(batch, kept, MARKET_CACHE_SECONDS)
        found = dict(zip(distinct, kept, strict=True))
        return [found[k] for k in keys]

    def _each(
        self,
        version: int,
        keys: list[Hashable],
        compute: Callable[[list[Hashable]], Iterable[Any]],
    ) -> dict[Hashable, Any]:
        names = {k: self.key(version, k) for k in keys}
        kept = cache.get_many(list(names.values()))
        found = {k: kept[name][0] for k, name in names.items() if name in kept}
        missing = [k for k in names if k not in found]
        if missing:
            computed = dict(zip(missing, compute(missing), strict=True))
            # Each value in a one-element tuple, so a None answer is kept and told from a miss.
            cache.set_many(
                {names[k]: (value,) for k, value in computed.items()}, MARKET_CACHE_SECONDS
            )
            found |= computed
        return found


# Market-data rows chosen in forms (roles, levels, places …) and the menus built from them, so a
# form's menus cost no query per chosen row. Keyed by the menu and the row's id.
MARKET_ROWS = MarketCache("rows")

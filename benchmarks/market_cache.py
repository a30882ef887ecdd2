"""Market data changes seldom and is read by nearly every page, so what is computed from it is
kept in this process, keyed by the market-data stamp (``MarketDataStamp``).

Database triggers change the stamp in the same transaction as any write to market data, so the
next request after a change reads a new stamp and computes afresh; nothing is ever served for an
old stamp. Entries of an old stamp are dropped when a new one is first seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from django.db import router

from benchmarks.models import MarketDataStamp


def current_stamp() -> tuple[str, int]:
    """The stamp of the database market data is read from (one query)."""
    alias = router.db_for_read(MarketDataStamp)
    return alias, MarketDataStamp.objects.using(alias).current()


class StampedCache:
    """A bounded, thread-safe, least-recently-used map whose entries belong to one stamp."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._stamp: Hashable = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get_or_compute(
        self,
        stamp: Hashable,
        keys: Sequence[Hashable],
        compute: Callable[[list[Hashable]], Iterable[Any]],
    ) -> list[Any]:
        """The value of every key, in order; ``compute`` gets the missing keys (each once) and
        returns their values in the same order."""
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                self._entries.clear()
            found = {k: self._entries[k] for k in keys if k in self._entries}
            for key in found:
                self._entries.move_to_end(key)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            computed = dict(zip(missing, compute(missing), strict=True))
            found |= computed
            with self._lock:
                # Another request may have seen a newer stamp meanwhile: keep only current values.
                if stamp == self._stamp:
                    self._entries.update(computed)
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
        return [found[k] for k in keys]

    def clear(self) -> None:
        with self._lock:
            self._stamp = None
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# Market-data rows chosen in forms (roles, levels, places …), shared by the requests this process
# serves, so a form's menus cost no query per chosen row. Keyed by the menu and the row's id.
MARKET_ROWS = StampedCache(max_entries=20_000)

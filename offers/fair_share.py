"""Each person's fair share of a worker's time, so one account can't slow the site for everyone.

Every page and form a person computes is bounded by the limits (offers.models), but a client can
still ask for costly pages back to back from several connections: one account with the most
data, hammering, would hold every worker. So each worker gives each person a budget of computing
time: a bucket of BURST_SECONDS that refills at SHARE of a second per second. A request that finds
the bucket empty is answered at once with 429 and how long to wait; one that runs is charged the
time it took. A person reading and saving pages, even quickly, uses a small part of it; pages
served from the page cache cost nothing.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SHARE = 0.1  # of a second of this worker's time, per second
BURST_SECONDS = 1.0
_PEOPLE_KEPT = 10_000


class FairShare:
    """Per-person token buckets of seconds; thread-safe."""

    def __init__(self, share: float = SHARE, burst: float = BURST_SECONDS, clock=time.monotonic):
        self.share, self.burst, self.clock = share, burst, clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()

    def _level(self, person: int, now: float) -> float:
        level, then = self._buckets.get(person, (self.burst, now))
        return min(self.burst, level + (now - then) * self.share)

    def wait_for(self, person: int) -> float:
        """Seconds until `person` may compute again (0 when they may now)."""
        with self._lock:
            level = self._level(person, self.clock())
        return 0.0 if level > 0 else -level / self.share or 1 / self.share

    def charge(self, person: int, seconds: float) -> None:
        with self._lock:
            now = self.clock()
            self._buckets[person] = (self._level(person, now) - seconds, now)
            self._buckets.move_to_end(person)
            while len(self._buckets) > _PEOPLE_KEPT:
                self._buckets.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


FAIR_SHARE = FairShare()


def too_busy(request: HttpRequest, wait: float) -> HttpResponse:
    seconds = max(1, math.ceil(wait))
    response = render(request, "offers/too_busy.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def computed(request: HttpRequest, view: Callable, *args, **kwargs) -> HttpResponse:
    """Run `view` within the person's share: refused when it is used up, charged when it runs."""
    if not settings.FAIR_SHARE_ENABLED:
        return view(request, *args, **kwargs)
    person = request.user.pk
    wait = FAIR_SHARE.wait_for(person)
    if wait:
        return too_busy(request, wait)
    started = time.perf_counter()
    try:
        return view(request, *args, **kwargs)
    finally:
        FAIR_SHARE.charge(person, time.perf_counter() - started)


def fair_share(view: Callable) -> Callable:
    """For a signed-in person's view (inside login_required) that computes on every request."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return computed(request, view, *args, **kwargs)

    return wrapper

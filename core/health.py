"""GET /healthz: is each service the app uses answering? For load balancers and monitors.

200 when every check passes, 503 naming the one that failed otherwise. What went wrong goes to the
log, never into the answer: the page is public.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Seconds a cache server may take to connect and to answer before it counts as down: a probe
# answers well within a load balancer's own timeout even when Redis hangs.
CACHE_TIMEOUT_SECONDS = 0.5


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not ready"
        logger.exception("Health check: the database did not answer")
        return False
    return True


def probe_cache(alias: str = "default") -> BaseCache:
    """The cache as configured; a Redis one rebuilt with a short timeout (the app's own may wait
    longer, or for ever if none is set)."""
    backend = caches[alias]
    if not isinstance(backend, RedisCache):
        return backend
    # Built the way Django's cache handler builds it, from the same settings.
    params = dict(settings.CACHES[alias])
    backend_class = import_string(params.pop("BACKEND"))
    location = params.pop("LOCATION", "")
    params["OPTIONS"] = {
        **params.get("OPTIONS", {}),
        "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
        "socket_timeout": CACHE_TIMEOUT_SECONDS,
        "retry": None,
    }
    return backend_class(location, params)


def cache_answers(alias: str = "default") -> bool:
    """A value written is read back: a unique key and value, so concurrent probes from several
    workers never read each other's."""
    token = secrets.token_hex(8)
    key = f"healthz:{token}"
    try:
        cache = probe_cache(alias)
        cache.set(key, token, 10)
        answered = cache.get(key) == token
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache %r did not answer", alias)
        return False
    if not answered:
        logger.error("Health check: the cache %r did not return the value just written", alias)
    return answered


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_answers() else "unavailable",
        "cache": "ok" if cache_answers() else "unavailable",
    }
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )

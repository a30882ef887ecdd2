"""While the database cannot be reached — restarting, failing over, refusing connections — answer
503 with the "briefly unavailable" page and a Retry-After, instead of a 500 server error.

Django reconnects by itself on the next request (CONN_MAX_AGE with health checks), so the
outage lasts as long as the database's. The error is still logged in full.

The middleware catches errors raised by views; a failure after the view (saving the session, for
example) reaches the 500 handler, which answers the same 503 (core.views.server_error).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        logger.error(
            "Database unavailable: answered 503 to %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return outage_response()


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def outage_response() -> HttpResponse:
    # No context processors: they may need the database that just failed.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response

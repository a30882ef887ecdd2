"""Response headers every page gets: what the browser may use, and what it may keep."""

from django.http import HttpRequest, HttpResponse

# OfferBench uses none of these; a page (or something injected into one) asks for none.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivateResponsesMiddleware:
    """Pages and exports for a signed-in person are theirs: no shared or stored copy.

    Pay figures must not stay in a proxy or on a shared computer's disk. A view that chose its
    own Cache-Control keeps it. Only responses that read the session are looked at, so a page
    that never touches it (the benchmark's floor, static files) costs nothing more; error pages
    hold no one's data and may come from a database that cannot say who is signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            response.status_code < 500
            and session is not None
            and session.accessed
            and not response.has_header("Cache-Control")
            and request.user.is_authenticated
        ):
            response["Cache-Control"] = "private, no-store"
        return response

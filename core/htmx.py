"""How the site answers htmx: the whole page or its fragment, and the sign-in wall."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

# The headers that decide whether a URL answers with its page or with a fragment of it.
PAGE_OR_PARTIAL_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def render_page_or_partial(
    request: HttpRequest, template_name: str, partial: str, context: dict, **kwargs
) -> HttpResponse:
    """The page, or only its `partial` (a template partial's name) when htmx swaps it in place.

    A history restore (the back button after htmx's own history cache missed) comes from htmx
    but must get the whole page, or a bare fragment replaces the page, navigation and form
    included. Caches are told the answer depends on both headers.
    """
    fragment = bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request
    name = f"{template_name}#{partial}" if fragment else template_name
    response = render(request, name, context, **kwargs)
    patch_vary_headers(response, PAGE_OR_PARTIAL_HEADERS)
    return response


class HtmxSignInRedirectMiddleware:
    """htmx requests that hit the sign-in wall get the whole sign-in page, instead of htmx
    swapping the sign-in form into a fragment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response

"""A URL that htmx re-renders in place answers with its fragment to htmx and with the whole page
otherwise — a history restore (the back button once htmx's own history cache missed) included."""

import pytest
from django.urls import reverse

from tests.test_compare_views import compare_url, contoso, northwind

pytestmark = pytest.mark.django_db

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def pages(user, market):
    first, second = northwind(user, market), contoso(user, market)
    return {
        "compare": compare_url(first, second),
        "negotiate": reverse("offers:negotiate", args=[first.pk]),
        "market data": reverse("benchmarks:explorer"),
    }


@pytest.mark.parametrize("name", ["compare", "negotiate", "market data"])
def test_a_swap_gets_the_fragment_and_a_history_restore_the_whole_page(
    user_client, user, market, name
):
    url = pages(user, market)[name]

    swapped = user_client.get(url, headers=SWAP)
    restored = user_client.get(url, headers=RESTORE)
    plain = user_client.get(url)

    assert swapped.status_code == restored.status_code == plain.status_code == 200
    assert b"<nav" not in swapped.content and b"<html" not in swapped.content
    # The back button after a cache miss: the navigation and the form come back with the page.
    assert b"<nav" in restored.content and b"<form" in restored.content
    assert restored.content.count(b"<html") == 1
    for response in (swapped, restored, plain):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"hx-request", "hx-history-restore-request"} <= vary

"""Headers on every response: Permissions-Policy, and no stored copies of signed-in pages."""

import pytest
from django.urls import reverse

from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz", "/no-such-page/"])
def test_every_response_denies_powerful_browser_features(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_signed_in_pages_are_never_shared_and_always_asked_again(user_client):
    # A person's own pages answer conditional GETs (offers/conditional_pages.py): the browser
    # may keep them for that person only, and must ask before showing one again.
    response = user_client.get(reverse("offers:list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    # Any other signed-in page is neither shared nor stored.
    response = user_client.get(reverse("offers:create"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_compare_export_is_neither_shared_nor_stored(user_client, user, market):
    offers = [
        OfferFactory(owner=user, role=market["role"], level=market["level"]) for _ in range(2)
    ]
    query = "&".join(f"offers={offer.pk}" for offer in offers)
    response = user_client.get(f"{reverse('offers:compare_csv')}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_chose_its_cache_control_keeps_it(user_client):
    response = user_client.get(reverse("accounts:download_data"))
    assert response["Cache-Control"] == "no-store"


def test_signed_out_pages_are_left_as_they_are(client):
    assert "Cache-Control" not in client.get("/")

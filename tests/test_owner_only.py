"""Every offer page, partial and action answers only its owner: anyone else gets a 404,
anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from offers.models import Offer
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

# (URL name, method) for every URL that names one offer.
OFFER_URLS = [
    ("offers:detail", "get"),
    ("offers:edit", "get"),
    ("offers:edit", "post"),
    ("offers:duplicate", "post"),
    ("offers:delete", "get"),
    ("offers:delete", "post"),
]


@pytest.fixture
def offer(db):
    return OfferFactory()


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_another_user_gets_404_and_nothing_changes(client, other_user, offer, name, method):
    client.force_login(other_user)
    before = Offer.objects.count()
    response = getattr(client, method)(reverse(name, args=[offer.pk]), {"company": "Mine now"})
    assert response.status_code == 404
    assert Offer.objects.count() == before
    offer.refresh_from_db()
    assert offer.company != "Mine now"


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_anonymous_is_sent_to_sign_in(client, offer, name, method):
    response = getattr(client, method)(reverse(name, args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_staff_cannot_open_someone_elses_offer_in_the_app(admin_client, offer, name, method):
    assert getattr(admin_client, method)(reverse(name, args=[offer.pk])).status_code == 404


@pytest.mark.parametrize(("name", "method"), [u for u in OFFER_URLS if u[1] == "get"])
def test_owner_can_open_it(client, offer, name, method):
    client.force_login(offer.owner)
    assert client.get(reverse(name, args=[offer.pk])).status_code == 200


def test_list_shows_only_my_offers(client, offer, other_user):
    OfferFactory(owner=other_user, company="Mine")
    client.force_login(other_user)
    body = client.get(reverse("offers:list")).content.decode()
    assert "Mine" in body
    assert offer.company not in body


@pytest.mark.parametrize(
    "name", ["offers:list", "offers:create", "offers:preview", "offers:compare"]
)
def test_collection_pages_need_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))

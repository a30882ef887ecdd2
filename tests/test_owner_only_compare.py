"""The owner-only rule for compare, negotiate, rounds and share-link pages: anonymous visitors
are sent to sign in, anyone else gets a 404 (nothing changes), the owner gets the page.

Compare takes ids in the URL rather than in the path, so it never 404s: someone else's offer id
is left out with a message that doesn't say whether it exists (tests/test_compare_views.py)."""

import pytest
from django.urls import reverse

from offers.models import Round, ShareLink
from tests.factories import OfferFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db

# (URL name, method) for every new URL that names one offer.
OFFER_URLS = [
    ("offers:negotiate", "get"),
    ("offers:rounds", "get"),
    ("offers:rounds", "post"),
]
COLLECTION_URLS = [
    ("offers:compare", "get"),
    ("offers:compare_csv", "get"),
    ("offers:shares", "get"),
    ("offers:shares", "post"),
]

ROUND = {"label": "Mine now", "who": "company", "base_salary": "1", "bonus_percent": "0",
         "sign_on_year1": "0", "equity_grant_value": "0"}  # fmt: skip


@pytest.fixture
def offer(db):
    return OfferFactory()


@pytest.fixture
def link(offer):
    return ShareLinkFactory(
        owner=offer.owner, offer_ids=[offer.pk, OfferFactory(owner=offer.owner).pk]
    )


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_another_user_gets_404_and_nothing_changes(client, other_user, offer, name, method):
    client.force_login(other_user)
    response = getattr(client, method)(reverse(name, args=[offer.pk]), ROUND)
    assert response.status_code == 404
    assert not Round.objects.exists()


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_staff_cannot_open_someone_elses_offer_in_the_app(admin_client, offer, name, method):
    assert getattr(admin_client, method)(reverse(name, args=[offer.pk]), ROUND).status_code == 404


@pytest.mark.parametrize(("name", "method"), OFFER_URLS)
def test_anonymous_is_sent_to_sign_in(client, offer, name, method):
    response = getattr(client, method)(reverse(name, args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["offers:negotiate", "offers:rounds"])
def test_owner_can_open_it(client, offer, name):
    client.force_login(offer.owner)
    assert client.get(reverse(name, args=[offer.pk])).status_code == 200


@pytest.mark.parametrize(("name", "method"), COLLECTION_URLS)
def test_collection_pages_need_sign_in(client, name, method):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_owner_opens_compare_and_export(client, offer):
    other = OfferFactory(owner=offer.owner)
    client.force_login(offer.owner)
    query = f"?offers={offer.pk}&offers={other.pk}"
    assert client.get(reverse("offers:compare") + query).status_code == 200
    assert client.get(reverse("offers:compare_csv") + query).status_code == 200
    assert client.get(reverse("offers:shares")).status_code == 200


def test_export_of_someone_elses_offers_has_nothing(client, other_user, offer):
    other = OfferFactory(owner=offer.owner)
    client.force_login(other_user)
    response = client.get(reverse("offers:compare_csv") + f"?offers={offer.pk}&offers={other.pk}")
    assert response.status_code == 400
    assert offer.company.encode() not in response.content


def test_share_links_are_managed_only_by_their_owner(client, other_user, link):
    client.force_login(other_user)
    assert client.post(reverse("offers:share_revoke", args=[link.pk])).status_code == 404
    assert link.token.encode() not in client.get(reverse("offers:shares")).content
    link.refresh_from_db()
    assert link.revoked_at is None


def test_anonymous_cannot_revoke(client, link):
    response = client.post(reverse("offers:share_revoke", args=[link.pk]))
    assert response.status_code == 302
    assert ShareLink.objects.get(pk=link.pk).revoked_at is None


def test_the_public_link_is_the_only_page_without_sign_in(client, link):
    assert client.get(reverse("shared_comparison", args=[link.token])).status_code == 200

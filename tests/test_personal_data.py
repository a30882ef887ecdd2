"""Download my data, delete my account."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from offers.models import Offer
from tests.factories import (
    TEST_PASSWORD,
    OfferFactory,
    OfferVersionFactory,
    ShareLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_download_holds_my_offers_and_nothing_of_anyone_elses(client, user, other_user):
    OfferFactory(owner=user, company="Northwind", notes="ask about remote days")
    OfferFactory(owner=other_user, company="Someone else's secret")
    client.force_login(user)
    response = client.get(reverse("accounts:download_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="offerbench-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert [o["company"] for o in data["offers"]] == ["Northwind"]
    offer = data["offers"][0]
    assert offer["base_salary"] == "165000.00"
    assert offer["notes"] == "ask about remote days"
    assert offer["role"] == "Technical Product Manager"
    assert "owner" not in offer
    assert b"Someone else" not in response.content
    assert other_user.email.encode() not in response.content


def test_download_needs_sign_in(client):
    response = client.get(reverse("accounts:download_data"))
    assert response.status_code == 302


def test_delete_account_needs_the_password(client, user):
    OfferFactory(owner=user)
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"] == [
        "That is not your password. Nothing was deleted."
    ]
    assert User.objects.filter(pk=user.pk).exists()
    assert Offer.objects.filter(owner=user).count() == 1


def test_delete_account_removes_everything_and_ends_every_session(user, other_user):
    OfferFactory(owner=user)
    OfferFactory(owner=other_user)
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)
    response = laptop.post(reverse("accounts:delete"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert Offer.objects.count() == 1  # only the other person's
    assert laptop.get(reverse("offers:list")).status_code == 302
    assert phone.get(reverse("offers:list")).status_code == 302


def test_delete_page_is_only_for_the_signed_in_person(client):
    UserFactory()
    assert client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD}).status_code == 302
    assert User.objects.count() == 1


def test_download_includes_my_rounds_and_share_links(client, user, other_user):
    offer = OfferFactory(owner=user, company="Northwind")
    OfferVersionFactory(offer=offer, number=1, label="Our counter", who="candidate")
    ShareLinkFactory(owner=user, offer_ids=[offer.pk])
    ShareLinkFactory(owner=other_user)
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    (exported,) = data["offers"]
    assert [v["label"] for v in exported["versions"]] == ["Our counter"]
    assert len(data["share_links"]) == 1
    assert data["share_links"][0]["offer_ids"] == [offer.pk]

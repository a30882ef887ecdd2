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
    RoundFactory,
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
    RoundFactory(offer=offer, number=1, label="Our counter", who="candidate")
    ShareLinkFactory(owner=user, offer_ids=[offer.pk])
    ShareLinkFactory(owner=other_user)
    client.force_login(user)
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    (exported,) = data["offers"]
    assert [v["label"] for v in exported["rounds"]] == ["Our counter"]
    assert len(data["share_links"]) == 1
    assert data["share_links"][0]["offer_ids"] == [offer.pk]


def _sign_in_records_of(email):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return [
        model.objects.filter(username__iexact=email).count()
        for model in (AccessLog, AccessFailureLog, AccessAttempt)
    ]


def _leave_sign_in_traces(client, user, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    client.post(
        reverse("accounts:login"),
        {"username": user.email.upper(), "password": "wrong"},
        HTTP_USER_AGENT="Firefox/140 (the person's browser)",
    )
    client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": TEST_PASSWORD},
        HTTP_USER_AGENT="Firefox/140 (the person's browser)",
    )


def test_download_includes_my_sign_in_records(client, user, other_user, settings):
    _leave_sign_in_traces(client, user, settings)
    _leave_sign_in_traces(Client(), other_user, settings)
    data = client.get(reverse("accounts:download_data")).json()
    assert [row["username"] for row in data["sign_ins"]] == [user.email]
    assert data["sign_ins"][0]["ip_address"] == "127.0.0.1"
    assert data["sign_ins"][0]["user_agent"] == "Firefox/140 (the person's browser)"
    assert "session_hash" not in data["sign_ins"][0]
    assert [row["username"] for row in data["failed_sign_ins"]] == [user.email]
    assert other_user.email not in json.dumps(data)


def test_deleting_the_account_deletes_its_sign_in_records(client, user, other_user, settings):
    _leave_sign_in_traces(client, user, settings)
    _leave_sign_in_traces(Client(), other_user, settings)
    assert _sign_in_records_of(user.email)[:2] == [1, 1]
    client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD})
    assert not User.objects.filter(pk=user.pk).exists()
    assert _sign_in_records_of(user.email) == [0, 0, 0]
    assert _sign_in_records_of(other_user.email)[:2] == [1, 1]


def test_an_account_deleted_in_the_admin_leaves_no_sign_in_records(client, user, settings):
    from axes.models import AccessAttempt

    client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=user.email).exists()
    user.delete()
    assert _sign_in_records_of(user.email) == [0, 0, 0]

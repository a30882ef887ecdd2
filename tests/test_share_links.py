"""Share links: created by the owner, read-only for anyone holding a valid one, gone once expired
or revoked, and never a way into anything else of the owner's."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from offers.models import ShareLink
from tests.factories import (
    BandFactory,
    ExchangeRateFactory,
    LocationFactory,
    ShareLinkFactory,
)
from tests.test_compare_views import contoso, northwind

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(user, market):
    return northwind(user, market, job_title="Principal TPM"), contoso(user, market)


def share_url(link):
    return reverse("shared_comparison", args=[link.token])


def test_owner_creates_a_link_for_a_comparison(user_client, user, pair):
    a, b = pair
    response = user_client.post(
        reverse("offers:shares"),
        {"offers": [b.pk, a.pk], "currency": "USD", "expires_in_days": "7",
         "hidden_fields": ["company"]},
    )  # fmt: skip
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert link.owner == user
    assert len(link.token) >= 43  # secrets.token_urlsafe(32)
    assert sorted(link.offer_ids) == sorted([a.pk, b.pk])
    assert link.hidden_fields == ["company"]
    # Default: a week.
    assert abs(link.expires_at - (timezone.now() + datetime.timedelta(days=7))).total_seconds() < 60
    body = user_client.get(reverse("offers:shares")).content.decode()
    assert share_url(link) in body and "hides company names" in body


def test_the_share_form_starts_from_a_comparison(user_client, user, pair):
    a, b = pair
    response = user_client.get(reverse("offers:shares") + f"?offers={a.pk}&offers={b.pk}")
    assert response.context["form"].initial["offers"] == [a.pk, b.pk]
    assert response.context["form"].initial["expires_in_days"] == 7


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"expires_in_days": "0"}, "expires_in_days"),
        ({"expires_in_days": "365"}, "expires_in_days"),
        ({"offers_count": 1}, "offers"),
        ({"currency": "XYZ"}, "currency"),
    ],
)
def test_bad_share_input_is_a_field_error(user_client, user, pair, data, field):
    offers = [o.pk for o in pair][: data.pop("offers_count", 2)]
    post = {"offers": offers, "currency": "USD", "expires_in_days": "7"} | data
    response = user_client.post(reverse("offers:shares"), post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ShareLink.objects.exists()


def test_cannot_share_someone_elses_offer(user_client, other_user, market, pair):
    theirs = contoso(other_user, market, company="Secret Corp")
    response = user_client.post(
        reverse("offers:shares"),
        {"offers": [pair[0].pk, theirs.pk], "currency": "USD", "expires_in_days": "7"},
    )
    assert "offers" in response.context["form"].errors
    assert not ShareLink.objects.exists()


def test_anonymous_sees_a_valid_link_read_only(client, user, pair):
    a, b = pair
    link = ShareLinkFactory(owner=user, offer_ids=[a.pk, b.pk])
    response = client.get(share_url(link))
    body = response.content.decode()
    assert response.status_code == 200
    assert "In year one, <strong>Contoso</strong> pays more, by $15,300." in body
    assert "Principal TPM" in body and "Northwind" in body
    # Nothing of the owner's beyond the comparison: no links to their offers or pages.
    for url in (a.get_absolute_url(), reverse("offers:negotiate", args=[a.pk]),
                reverse("offers:compare_csv"), user.email):  # fmt: skip
        assert url not in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_hidden_fields_are_not_in_the_html(client, user, pair):
    a, b = pair
    link = ShareLinkFactory(
        owner=user, offer_ids=[a.pk, b.pk], hidden_fields=["company", "job_title", "location"]
    )
    body = client.get(share_url(link)).content.decode()
    for hidden in ("Northwind", "Contoso", "Principal TPM", "Seattle"):
        assert hidden not in body
    assert "In year one, <strong>Offer B</strong> pays more" in body


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_expired_or_revoked_links_show_nothing(client, user, pair, state):
    a, b = pair
    link = ShareLinkFactory(owner=user, offer_ids=[a.pk, b.pk])
    if state == "expired":
        # Created ten days ago for a week.
        ShareLink.objects.filter(pk=link.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=10),
            expires_at=timezone.now() - datetime.timedelta(days=3),
        )
    else:
        link.revoked_at = timezone.now()
        link.save()
    response = client.get(share_url(link))
    body = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired or was revoked" in body
    assert "Northwind" not in body and "$" not in body


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("shared_comparison", args=["not-a-token"])).status_code == 404


def test_owner_revokes_a_link(user_client, user, pair):
    link = ShareLinkFactory(owner=user, offer_ids=[o.pk for o in pair])
    response = user_client.post(reverse("offers:share_revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert user_client.get(share_url(link)).status_code == 410


def test_another_users_link_management_is_404(client, other_user, user, pair):
    link = ShareLinkFactory(owner=user, offer_ids=[o.pk for o in pair])
    client.force_login(other_user)
    assert client.post(reverse("offers:share_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    body = client.get(reverse("offers:shares")).content.decode()
    assert link.token not in body and "Northwind" not in body


def test_a_link_never_reaches_offers_that_are_not_the_owners(
    client, user, other_user, market, pair
):
    # A tampered row naming someone else's offer still shows only the owner's.
    theirs = contoso(other_user, market, company="Secret Corp")
    link = ShareLinkFactory(owner=user, offer_ids=[pair[0].pk, theirs.pk, pair[1].pk])
    body = client.get(share_url(link)).content.decode()
    assert "Secret Corp" not in body and "Northwind" in body


def test_a_link_whose_offers_were_deleted_shows_nothing(client, user, pair):
    link = ShareLinkFactory(owner=user, offer_ids=[o.pk for o in pair])
    pair[1].delete()
    assert client.get(share_url(link)).status_code == 410


def test_expiry_must_follow_creation(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareLink.objects.create(
            owner=user, offer_ids=[], expires_at=timezone.now() - datetime.timedelta(days=1)
        )


def test_an_offer_id_too_large_for_the_database_is_an_unknown_choice(client, user):
    client.force_login(user)
    response = client.post(reverse("offers:shares"), {"offers": ["9223372036854775808"]})
    assert response.status_code == 200
    assert "9223372036854775808 is not one of the available choices." in (
        " ".join(response.context["form"].errors["offers"])
    )


def test_hidden_locations_leave_no_trace_in_currencies_or_rates(client, user, market):
    # Offers in London (GBP) and Berlin (EUR), each with a band of its own place and currency.
    places = {}
    for name, country, currency, rate in (("London", "GB", "GBP", "0.800000"),
                                          ("Berlin", "DE", "EUR", "0.900000")):  # fmt: skip
        place = LocationFactory(name=name, kind="city", country=country, currency=currency)
        BandFactory(occupation=market["role"].occupation, role=market["role"],
                    level=market["level"], location=place, currency=currency)  # fmt: skip
        ExchangeRateFactory(currency=currency, units_per_usd=Decimal(rate))
        places[name] = place
    london = contoso(user, market, company="Contoso", location=places["London"], currency="GBP",
                     base_salary=Decimal("100000"), bonus_type="fixed",
                     bonus_fixed=Decimal("8000"), sign_on_year1=Decimal("5000"))  # fmt: skip
    berlin = contoso(user, market, company="Fabrikam", location=places["Berlin"], currency="EUR",
                     base_salary=Decimal("90000"))  # fmt: skip
    link = ShareLinkFactory(
        owner=user, offer_ids=[london.pk, berlin.pk], hidden_fields=["location"]
    )
    body = client.get(share_url(link)).content.decode()
    # Every amount in U.S. dollars: London's base 100,000 GBP ÷ 0.8 = $125,000.
    assert "Base $125,000 · bonus $10,000 · sign-on $6,250" in body
    assert "Base $100,000" in body  # Berlin: 90,000 EUR ÷ 0.9
    for trace in ("£", "€", "GBP", "EUR", "London", "Berlin", "converted at", " per "):
        assert trace not in body, trace
    assert "Amounts in USD." in body


def test_hidden_locations_are_not_named_by_a_missing_rate(client, user, market):
    berlin = LocationFactory(name="Berlin", kind="city", country="DE", currency="EUR")
    a = contoso(user, market, location=berlin, currency="EUR")
    link = ShareLinkFactory(
        owner=user, offer_ids=[a.pk, northwind(user, market).pk], hidden_fields=["location"]
    )
    body = client.get(share_url(link)).content.decode()
    assert "These offers can&#x27;t all be shown in USD yet." in body
    assert "EUR" not in body and "Berlin" not in body


@pytest.mark.parametrize("raw", ["²", "-99999999999999999999", "٣", "1e3", " 7"])
def test_an_offer_id_that_is_not_a_database_key_is_a_message_by_the_field(user_client, pair, raw):
    response = user_client.post(
        reverse("offers:shares"),
        {"offers": [pair[0].pk, raw], "currency": "USD", "expires_in_days": "7"},
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors["offers"]
    assert message in response.content.decode()
    assert not ShareLink.objects.exists()

"""Each page `make bench` loads runs the same number of queries however many offers the person
has and however many bands the market data holds: 1 offer or 20, 10 bands or 300.

The counts include the session and the user. A change that adds a query per offer or per band
fails here before it shows up as a slow page.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from benchmarks.models import Band
from offers.forms import OfferForm
from tests.factories import (
    BandFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

# Each count includes the session and the user. The preview's 8 are those two, one per chosen
# foreign key (role, level, location, company size) and the band lookup's two; it skips the
# model's constraint checks, which only saving pays for.
LIST_QUERIES = 4
DETAIL_QUERIES = 4
PREVIEW_QUERIES = 8
EXPLORER_QUERIES = 6
COMPARE_QUERIES = 4
NEGOTIATE_QUERIES = 4


@pytest.fixture
def market():
    """A role and a place with the U.S. national location beside it."""
    role = RoleFactory()
    level = LevelFactory()
    nation = LocationFactory()
    seattle = LocationFactory(name="Seattle", kind="metro", bls_area_code="42660")
    return {"role": role, "level": level, "nation": nation, "seattle": seattle}


def add_bands(market, count: int) -> None:
    """`count` bands that all match the market's lookups (one per effective date), so each one
    is a candidate the lookup must fetch."""
    source = SourceFactory()
    start = datetime.date(2000, 1, 1)
    for n in range(Band.objects.count(), Band.objects.count() + count):
        BandFactory(
            occupation=market["role"].occupation,
            role=market["role"] if n % 2 else None,
            level=market["level"] if n % 2 else None,
            location=market["seattle"] if n % 3 else market["nation"],
            source=source,
            effective_date=start + datetime.timedelta(days=n),
        )


def add_offers(user, market, count: int) -> list:
    places = [market["seattle"], market["nation"]]
    return [
        OfferFactory(
            owner=user,
            role=market["role"],
            level=market["level"],
            location=places[n % 2],
            base_salary=Decimal(150_000 + 1000 * n),
        )
        for n in range(count)
    ]


def preview_form(offer) -> dict:
    form = OfferForm(instance=offer)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def test_my_offers(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    add_offers(user, market, 1)
    with django_assert_num_queries(LIST_QUERIES):
        assert user_client.get(reverse("offers:list")).status_code == 200
    add_offers(user, market, 19)
    add_bands(market, 290)
    with django_assert_num_queries(LIST_QUERIES):
        assert user_client.get(reverse("offers:list")).status_code == 200


def test_offer_detail(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    offer = add_offers(user, market, 1)[0]
    url = reverse("offers:detail", kwargs={"pk": offer.pk})
    with django_assert_num_queries(DETAIL_QUERIES):
        assert user_client.get(url).status_code == 200
    add_offers(user, market, 19)
    add_bands(market, 290)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert user_client.get(url).status_code == 200


def test_live_preview(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    offer = add_offers(user, market, 1)[0]
    data = preview_form(offer)
    headers = {"HX-Request": "true"}
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = user_client.post(reverse("offers:preview"), data, headers=headers)
    assert response.status_code == 200
    assert b"is-invalid" not in response.content
    add_offers(user, market, 19)
    add_bands(market, 290)
    with django_assert_num_queries(PREVIEW_QUERIES):
        assert user_client.post(reverse("offers:preview"), data, headers=headers).status_code == 200


def test_market_explorer_partial(user_client, market, django_assert_num_queries):
    add_bands(market, 10)
    query = {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "base",
    }
    url = f"{reverse('benchmarks:explorer')}?{urlencode(query)}"
    headers = {"HX-Request": "true"}
    with django_assert_num_queries(EXPLORER_QUERIES):
        response = user_client.get(url, headers=headers)
    assert response.status_code == 200
    assert b"<html" not in response.content  # the partial, not the page
    add_bands(market, 290)
    with django_assert_num_queries(EXPLORER_QUERIES):
        assert user_client.get(url, headers=headers).status_code == 200


def test_compare_two_offers(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    first, second = add_offers(user, market, 2)
    url = f"{reverse('offers:compare')}?{urlencode({'offers': [first.pk, second.pk]}, doseq=True)}"
    with django_assert_num_queries(COMPARE_QUERIES):
        assert user_client.get(url).status_code == 200
    add_offers(user, market, 18)
    add_bands(market, 290)
    with django_assert_num_queries(COMPARE_QUERIES):
        assert user_client.get(url).status_code == 200


def test_negotiate(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    offer = add_offers(user, market, 1)[0]
    url = reverse("offers:negotiate", kwargs={"pk": offer.pk})
    with django_assert_num_queries(NEGOTIATE_QUERIES):
        assert user_client.get(url).status_code == 200
    add_offers(user, market, 19)
    add_bands(market, 290)
    with django_assert_num_queries(NEGOTIATE_QUERIES):
        assert user_client.get(url).status_code == 200

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
from tests.factories import (
    BandFactory,
    CommunityBandFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    RoleFactory,
    SourceFactory,
)
from tests.offer_form_data import offer_form_data

pytestmark = pytest.mark.django_db

# Each count includes the session and the user, and the market-data version that keys the shared
# cache of market data (read once per request, benchmarks/market_cache.py). The first look after
# market data changes ("cold") also fetches candidate bands; these tests' bands need no factors,
# so that is one query.
# - The person's own pages (offers/conditional_pages.py) carry an ETag made from the same version
#   and the person's data version (loaded with the person): a repeated look that sends it back is
#   a 304 with no body after session, user and version only.
# - The preview and the explorer read their chosen role, level and place from the cache of market
#   rows when warm (three queries when cold), and skip the model's constraint and foreign-key
#   checks, which only saving pays for: a repeated look is session, user and version too.
# - Compare also reads the exchange rates on file (one query): its currency menu offers only
#   currencies with a rate, and it converts with them.
# - A cold band lookup reads what each level stands on, the wage growth that ages bands and the
#   back-test figures behind "typically within ±X%", and the factors (four queries more than a
#   lookup that had none of them).
# - The explorer shows the person's own offers on the career ladder, so it is revalidated like
#   their own pages; cold, it also reads which pay components have bands and the
#   ladder's levels (both kept with the market rows after), and the person's offers for the role,
#   and which components community cells describe (kept with the market rows too).
# - Total pay is placed in the best total band: the cold look also reads the community cells of
#   every offer's place, state and country (one query, however many places).
LIST_QUERIES = 10
DETAIL_QUERIES = 10
COMPARE_QUERIES = 11
NEGOTIATE_QUERIES = 10
PREVIEW_QUERIES = 12
EXPLORER_QUERIES = 15
WARM_QUERIES = 3


def assert_cold_then_warm(assert_num_queries, count: int, look) -> None:
    """`look` costs `count` queries after market data changed, then WARM_QUERIES: a page looked
    at again with the copy it was sent (If-None-Match) is answered 304 with no body; the preview,
    a POST, is computed again from the shared cache of market data."""
    with assert_num_queries(count):
        first = look({})
    assert first.status_code == 200
    etag = first.headers.get("ETag")
    with assert_num_queries(WARM_QUERIES):
        again = look({"If-None-Match": etag} if etag else {})
    assert again.status_code == (304 if etag else 200)
    if etag:
        assert again.content == b""


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


def add_community_bands(market) -> None:
    """Community cells of total pay at the places offers are in, their state and the country:
    one shown, one still short of contributions, so pages say both."""
    state = LocationFactory(name="Washington", kind="state", state_code="WA")
    spokane = LocationFactory(name="Spokane", kind="metro", state_code="WA")
    seattle = market["seattle"]
    seattle.state_code = "WA"
    seattle.save()
    for place, status in ((seattle, "shown"), (state, "too_few"), (spokane, "too_few")):
        figures = {"p25": Decimal(240_000), "p50": Decimal(260_000), "p75": Decimal(300_000)}
        CommunityBandFactory(
            role=market["role"],
            level=market["level"],
            location=place,
            status=status,
            p10=None,
            p90=None,
            **(figures if status == "shown" else {"p25": None, "p50": None, "p75": None}),
            contributions=14 if status == "shown" else 3,
            companies=6 if status == "shown" else 2,
        )
    market["places"] = [seattle, market["nation"], spokane]


def add_offers(user, market, count: int) -> list:
    places = market.get("places", [market["seattle"], market["nation"]])
    return [
        OfferFactory(
            owner=user,
            role=market["role"],
            level=market["level"],
            location=places[n % len(places)],
            base_salary=Decimal(150_000 + 1000 * n),
        )
        for n in range(count)
    ]


def ok(response):
    assert response.status_code == 200
    return response


def test_my_offers(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    add_offers(user, market, 1)

    def look(headers):
        return user_client.get(reverse("offers:list"), headers=headers)

    assert_cold_then_warm(django_assert_num_queries, LIST_QUERIES, look)
    add_community_bands(market)
    add_offers(user, market, 19)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, LIST_QUERIES, look)
    page = look({}).content.decode()
    assert "shared on this site" in page and "2 more offers from 1 more company needed" in page


def test_offer_detail(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    offer = add_offers(user, market, 1)[0]

    def look(headers):
        return user_client.get(reverse("offers:detail", kwargs={"pk": offer.pk}), headers=headers)

    assert_cold_then_warm(django_assert_num_queries, DETAIL_QUERIES, look)
    add_community_bands(market)
    add_offers(user, market, 19)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, DETAIL_QUERIES, look)


def test_live_preview(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    data = offer_form_data(add_offers(user, market, 1)[0])

    def look(headers):
        response = ok(
            user_client.post(
                reverse("offers:preview"), data, headers={"HX-Request": "true", **headers}
            )
        )
        # Totals, not "Fix the highlighted fields": the lookup ran and was counted.
        assert b"First-year total" in response.content, response.content.decode()
        return response

    assert_cold_then_warm(django_assert_num_queries, PREVIEW_QUERIES, look)
    add_community_bands(market)
    add_offers(user, market, 19)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, PREVIEW_QUERIES, look)


def test_market_explorer_partial(user_client, market, django_assert_num_queries):
    add_bands(market, 10)
    query = {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "base",
    }
    url = f"{reverse('benchmarks:explorer')}?{urlencode(query)}"

    def look(headers):
        response = user_client.get(url, headers={"HX-Request": "true", **headers})
        assert b"<html" not in response.content  # the partial, not the page
        return response

    assert_cold_then_warm(django_assert_num_queries, EXPLORER_QUERIES, look)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, EXPLORER_QUERIES, look)


# Total compensation also reads the community cells of the chosen cell and every level's.
EXPLORER_TOTAL_QUERIES = EXPLORER_QUERIES + 1


def test_market_explorer_partial_for_total_compensation(
    user_client, market, django_assert_num_queries
):
    add_community_bands(market)
    query = {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "total_comp",
    }
    url = f"{reverse('benchmarks:explorer')}?{urlencode(query)}"

    def look(headers):
        response = user_client.get(url, headers={"HX-Request": "true", **headers})
        if response.status_code == 200:
            assert b"shared on this site: 14 offers from 6 companies" in response.content
        return response

    assert_cold_then_warm(django_assert_num_queries, EXPLORER_TOTAL_QUERIES, look)
    add_bands(market, 300)
    assert_cold_then_warm(django_assert_num_queries, EXPLORER_TOTAL_QUERIES, look)


def test_compare_two_offers(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    first, second = add_offers(user, market, 2)
    url = f"{reverse('offers:compare')}?{urlencode({'offers': [first.pk, second.pk]}, doseq=True)}"

    def look(headers):
        return user_client.get(url, headers=headers)

    assert_cold_then_warm(django_assert_num_queries, COMPARE_QUERIES, look)
    add_community_bands(market)
    add_offers(user, market, 18)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, COMPARE_QUERIES, look)


def test_negotiate(user_client, user, market, django_assert_num_queries):
    add_bands(market, 10)
    offer = add_offers(user, market, 1)[0]

    def look(headers):
        return user_client.get(
            reverse("offers:negotiate", kwargs={"pk": offer.pk}), headers=headers
        )

    assert_cold_then_warm(django_assert_num_queries, NEGOTIATE_QUERIES, look)
    add_community_bands(market)
    add_offers(user, market, 19)
    add_bands(market, 290)
    assert_cold_then_warm(django_assert_num_queries, NEGOTIATE_QUERIES, look)


# A repeat look without the copy it was sent (another device, a cleared browser cache) is
# computed again, but every band and community cell comes from the shared cache: session,
# user and version only: the person's offers come from the shared cache too while the person's
# data version is unchanged (offers/selectors.py).
REPEAT_QUERIES = {"offers:list": 3, "offers:detail": 3, "offers:negotiate": 3}


@pytest.mark.parametrize("page", REPEAT_QUERIES)
def test_repeat_look_reads_total_bands_from_the_shared_cache(
    page, user_client, user, market, django_assert_num_queries
):
    add_bands(market, 10)
    add_community_bands(market)
    offer = add_offers(user, market, 3)[0]
    url = reverse(page, kwargs={"pk": offer.pk}) if page != "offers:list" else reverse(page)
    assert (
        "shared on this site: 14 offers from 6 companies"
        in ok(user_client.get(url)).content.decode()
    )
    with django_assert_num_queries(REPEAT_QUERIES[page]):
        ok(user_client.get(url))

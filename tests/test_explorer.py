"""The market explorer page: who may see it, what it shows, and how it answers htmx."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    BandFactory,
    FactorFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
URL = reverse("benchmarks:explorer")


def params(market, **extra):
    return {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "base",
    } | extra


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_empty_page_invites_a_choice(user_client, market):
    response = user_client.get(URL)

    assert response.status_code == 200
    assert b"Choose a role and a place to see its band" in response.content
    # The places are grouped by kind in one select.
    assert b'<optgroup label="Metropolitan areas">' in response.content
    assert b'<optgroup label="Countries">' in response.content


def test_shows_the_derived_band_with_its_provenance(user_client, market):
    response = user_client.get(URL, params(market))

    content = response.content.decode()
    assert response.status_code == 200
    # 130,000 / 155,000 / 180,000 × 1.2
    assert "$156,000" in content
    assert "$186,000" in content
    assert "$216,000" in content
    assert (
        "Base salary: Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA" in content
    )
    assert "U.S. national band for Technical Product Manager, Senior (TPM salary guide, 2024)" in (
        content
    )
    assert (
        "× 1.2000 location factor for Seattle-Tacoma-Bellevue, WA "
        "(median 117,000 ÷ U.S. median 97,500)"
    ) in content
    assert "BLS Occupational Employment and Wage Statistics, May 2025 · effective 1 May 2025" in (
        content
    )
    assert response.context["band"].confidence == "derived"
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart band-chart" role="img"' in content
    # The whole page, with the form around the result.
    assert "<form" in content
    assert 'id="band-result"' in content


def test_htmx_request_gets_only_the_result_partial(user_client, market):
    response = user_client.get(URL, params(market), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="band-result"')
    assert "<form" not in content
    assert "<html" not in content
    assert "$186,000" in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(user_client, market):
    response = user_client.get(
        URL, params(market), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert b"<html" in response.content


def test_a_selection_without_data_says_so(user_client, market):
    director = LevelFactory(name="Director", slug="director", rank=50)

    response = user_client.get(URL, params(market, level=director.pk))

    assert response.status_code == 200
    assert b"There is no market band yet for Technical Product Manager" in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"role": "abc", "location": "999999"},
        {"role": "1", "location": "99999999999999999999999999"},
        {"role": "-1", "location": "x", "level": "[]", "component": "salary"},
        {"industry": "0x10", "company_size": "%00"},
    ],
)
def test_garbage_parameters_get_a_message_not_an_error(user_client, market, query):
    response = user_client.get(URL, query)

    assert response.status_code == 200
    assert b"were not recognised" in response.content
    assert response.context["band"] is None


def test_only_role_chosen_prompts_for_the_rest(user_client, market):
    response = user_client.get(URL, {"role": market["role"].pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"Choose a role and a place" in response.content


def test_post_is_refused(user_client):
    assert user_client.post(URL).status_code == 405


def test_query_count_does_not_grow_with_the_data(user_client, market):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert user_client.get(URL, params(market, industry=industry.pk)).status_code == 200
        return len(queries)

    industry = IndustryFactory()
    small = count_queries()
    official = SourceFactory()
    for n in range(150):
        place = LocationFactory(name=f"Metro {n}", kind="metro", bls_area_code=f"{20000 + n}")
        BandFactory(occupation=market["role"].occupation, location=place, source=official)
        FactorFactory(location=place, occupation=market["role"].occupation, source=official)
    for n in range(20):
        IndustryFactory(name=f"Industry {n}", naics_code=f"9{n:03}")
        RoleFactory(name=f"Role {n}")

    assert count_queries() == small
    # Session and user, five choices checked, two for the lookup, five menus rendered.
    assert small <= 14

"""Every way market data is written shows on the next look: the admin (an inline edit, a delete),
an import command, a bulk update and raw SQL all change the market-data version that keys the
shared cache (benchmarks/market_cache.py) and every person's page ETag
(offers/conditional_pages.py), so a page looked at again is computed afresh."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from benchmarks.exchange_rates import currencies_on_file
from benchmarks.lookup import BandQuery, band_for
from benchmarks.models import Band
from tests.factories import seattle_senior_tpm_market
from tests.test_benchmarks_admin import _inline_edit

pytestmark = pytest.mark.django_db

ECB_FILE = Path(__file__).parent / "data" / "ecb-eurofxref-3-days.csv"


@pytest.fixture
def market():
    return seattle_senior_tpm_market()


@pytest.fixture
def explorer_url(market):
    return reverse("benchmarks:explorer") + (
        f"?role={market['role'].pk}&level={market['level'].pk}"
        f"&location={market['seattle'].pk}&component=base"
    )


def guide_band(market) -> Band:
    return Band.objects.get(location=market["nation"])


def look_again(client, url, etag):
    return client.get(url, headers={"If-None-Match": etag})


def test_an_inline_edit_in_the_admin_shows_on_the_next_look(
    user_client, admin_client, market, explorer_url
):
    first = user_client.get(explorer_url)
    assert "$186,000" in first.content.decode()  # the guide's median 155,000 × Seattle's 1.2
    assert look_again(user_client, explorer_url, first["ETag"]).status_code == 304
    # The same inline edit of the band list as the admin's own tests make.
    assert _inline_edit(admin_client, guide_band(market), p50="160000").status_code == 302
    again = look_again(user_client, explorer_url, first["ETag"])
    assert again.status_code == 200
    assert "$192,000" in again.content.decode()  # 160,000 × 1.2


def test_a_delete_in_the_admin_shows_on_the_next_lookup(admin_client, market):
    query = BandQuery(role=market["role"], level=market["level"], location=market["seattle"])
    assert band_for(query) is not None
    band = guide_band(market)
    delete = reverse("admin:benchmarks_band_delete", args=[band.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert band_for(query) is None


def test_an_import_command_shows_on_the_next_lookup(market):
    day = datetime.date(2025, 11, 3)  # after the file's three days (31 Oct to 3 Nov 2025)
    assert currencies_on_file(day) == []
    call_command("load_exchange_rates", str(ECB_FILE), stdout=StringIO())
    assert "EUR" in currencies_on_file(day) and "GBP" in currencies_on_file(day)


def test_a_bulk_update_shows_on_the_next_look(user_client, market, explorer_url):
    first = user_client.get(explorer_url)
    Band.objects.update(p50=Decimal("150000"))  # no save(), no signal
    again = look_again(user_client, explorer_url, first["ETag"])
    assert again.status_code == 200
    assert "$180,000" in again.content.decode()  # 150,000 × 1.2


def test_raw_sql_shows_on_the_next_look(user_client, market, explorer_url):
    first = user_client.get(explorer_url)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE benchmarks_factor SET value = 1.5")
    again = look_again(user_client, explorer_url, first["ETag"])
    assert again.status_code == 200
    assert "$232,500" in again.content.decode()  # 155,000 × 1.5

"""A person's own pages are served from a per-process cache (offers/page_cache.py). These tests
prove nobody ever sees a page that is out of date or not theirs: every way their data, the
market data, the day or the request changes gives a freshly computed page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from benchmarks.models import Band
from offers import page_cache
from offers.models import Offer
from offers.page_cache import CSRF_PLACEHOLDER, CachedPage, PageCache
from tests.factories import OfferFactory, OfferVersionFactory, ShareLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("offers:list")


@pytest.fixture
def offer(user, market):
    return OfferFactory(
        owner=user,
        company="Northwind",
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        base_salary=Decimal("165000"),
    )


def page(client, url, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def data_stamp(user) -> int:
    return User.objects.values_list("data_stamp", flat=True).get(pk=user.pk)


def test_a_repeated_look_costs_three_queries(user_client, offer, django_assert_num_queries):
    first = page(user_client, LIST)
    with django_assert_num_queries(3):  # session, user, market-data stamp
        second = page(user_client, LIST)
    assert "Northwind" in second
    assert re.sub(r"[A-Za-z0-9]{64}", "", first) == re.sub(r"[A-Za-z0-9]{64}", "", second)


def test_a_change_through_the_form_shows_at_once(user_client, offer):
    detail = offer.get_absolute_url()
    assert "$165,000" in page(user_client, detail)
    form = page(user_client, reverse("offers:edit", args=[offer.pk]))
    assert "Northwind" in form
    data = {**_form_data(user_client, offer), "base_salary": "171000"}
    response = user_client.post(reverse("offers:edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.content.decode()
    body = page(user_client, detail)
    assert "$171,000" in body
    assert "Saved your changes." in body  # the message shows on a page that was cached
    again = page(user_client, detail)
    assert "Saved your changes." not in again  # the message only once
    assert "$171,000" in again and "$165,000" not in again  # not the page kept before the edit


def _form_data(client, offer) -> dict:
    from offers.forms import OfferForm

    form = OfferForm(instance=offer)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return data


def test_a_bulk_update_a_new_offer_and_a_delete_show_at_once(user_client, user, offer, market):
    assert "Northwind" in page(user_client, LIST)
    Offer.objects.filter(pk=offer.pk).update(company="Contoso")  # no save(), no signal
    assert "Contoso" in page(user_client, LIST)
    OfferFactory(owner=user, company="Fabrikam", role=market["role"], location=market["seattle"])
    assert "Fabrikam" in page(user_client, LIST)
    offer.delete()
    assert "Contoso" not in page(user_client, LIST)


def test_rounds_and_share_links_change_the_owners_stamp(user, offer):
    seen = {data_stamp(user)}
    OfferVersionFactory(offer=offer)
    seen.add(data_stamp(user))
    link = ShareLinkFactory(owner=user, offer_ids=[offer.pk])
    seen.add(data_stamp(user))
    link.delete()
    seen.add(data_stamp(user))
    assert len(seen) == 4


def test_moving_an_offer_to_another_person_changes_both_stamps(user, other_user, offer):
    before = data_stamp(user), data_stamp(other_user)
    Offer.objects.filter(pk=offer.pk).update(owner=other_user)
    after = data_stamp(user), data_stamp(other_user)
    assert before[0] != after[0] and before[1] != after[1]


def test_someone_elses_writes_leave_my_stamp_alone(user, other_user, offer, market):
    before = data_stamp(user)
    OfferFactory(owner=other_user, role=market["role"], location=market["seattle"])
    assert data_stamp(user) == before


def test_every_offers_table_changes_its_owners_stamp():
    tables = {m._meta.db_table for m in apps.get_app_config("offers").get_models()}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                "'%owner_stamp%'"
            )
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name "
                "LIKE '%owner_stamp%'"
            )
        with_triggers = {row[0] for row in cursor.fetchall()}
    assert tables == {"offers_offer", "offers_offerversion", "offers_sharelink"}
    assert tables - with_triggers == set()


def test_a_market_data_change_shows_at_once(user_client, offer):
    detail = offer.get_absolute_url()
    # Seattle: the guide's median 155,000 × 1.2.
    assert "$186,000" in page(user_client, detail)
    Band.objects.update(p50=Decimal("160000"))
    assert "$192,000" in page(user_client, detail)  # 160,000 × 1.2


def test_a_new_day_computes_the_page_again(user_client, offer, monkeypatch):
    today = timezone.localdate()
    Offer.objects.filter(pk=offer.pk).update(
        received_on=today, decision_deadline=today + datetime.timedelta(days=1)
    )
    assert "(overdue)" not in page(user_client, LIST)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today + datetime.timedelta(days=2))
    assert "(overdue)" in page(user_client, LIST)


def test_each_person_gets_their_own_page(user_client, offer, market):
    someone = UserFactory(display_name="Someone Else")
    OfferFactory(owner=someone, company="Tailspin", role=market["role"], location=market["seattle"])
    mine = page(user_client, LIST)
    theirs_client = Client()
    theirs_client.force_login(someone)
    theirs = page(theirs_client, LIST)
    assert "Northwind" in mine and "Tailspin" not in mine
    assert "Tailspin" in theirs and "Northwind" not in theirs
    assert "Someone Else" in theirs


def test_a_new_display_name_shows_in_the_menu(user_client, user, offer):
    page(user_client, LIST)
    User.objects.filter(pk=user.pk).update(display_name="Robin")
    assert "Robin" in page(user_client, LIST)


def test_the_partial_and_the_whole_page_are_kept_apart(user_client, user, offer, market):
    second = OfferFactory(owner=user, company="Contoso", role=market["role"], location=market["seattle"])  # fmt: skip
    url = f"{reverse('offers:compare')}?offers={offer.pk}&offers={second.pk}"
    assert "<html" in page(user_client, url)
    assert "<html" not in page(user_client, url, HX_Request="true")
    assert "<html" in page(user_client, url)


def test_every_response_carries_a_freshly_masked_working_csrf_token(user, offer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    first, second = page(client, offer.get_absolute_url()), page(client, offer.get_absolute_url())
    assert CSRF_PLACEHOLDER not in first + second
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p)[1] for p in (first, second)]  # fmt: skip
    assert tokens[0] != tokens[1]  # never the same bytes twice: BREACH needs them repeated
    response = client.post(
        reverse("offers:duplicate", args=[offer.pk]), {"csrfmiddlewaretoken": tokens[1]}
    )
    assert response.status_code == 302  # the token from the cached page works


def test_the_cache_is_bounded_by_size():
    cache = PageCache(max_bytes=10)
    cache.put(("a",), CachedPage(b"12345", ()))
    cache.put(("b",), CachedPage(b"12345", ()))
    assert cache.get(("a",)) is not None  # "a" is now the most recently used
    cache.put(("c",), CachedPage(b"123", ()))
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is not None and cache.get(("c",)) is not None
    cache.put(("huge",), CachedPage(b"x" * 11, ()))  # larger than the whole cache: not kept
    assert cache.get(("huge",)) is None
    assert len(cache) == 2


def test_a_cache_of_size_zero_computes_every_page(user_client, offer, monkeypatch):
    from offers import page_cache

    monkeypatch.setattr(page_cache, "OWNER_PAGES", PageCache(max_bytes=0))
    page(user_client, LIST)
    Offer.objects.filter(pk=offer.pk).update(company="Contoso")
    assert "Contoso" in page(user_client, LIST)
    assert len(page_cache.OWNER_PAGES) == 0


def test_saving_a_person_loaded_earlier_keeps_the_stamp_the_triggers_set(user, offer):
    loaded_before = User.objects.get(pk=user.pk)  # e.g. a password change that takes a second
    Offer.objects.filter(pk=offer.pk).update(base_salary=Decimal("171000"))  # another tab
    changed = data_stamp(user)
    loaded_before.set_password("another-long-passphrase")
    loaded_before.save()
    assert data_stamp(user) == changed
    assert User.objects.get(pk=user.pk).check_password("another-long-passphrase")


def test_the_placeholder_is_secret_so_a_url_cannot_ask_for_the_token(user_client, offer):
    from offers import page_cache

    assert page_cache.CSRF_PLACEHOLDER.startswith("csrf-token-")
    assert len(page_cache.CSRF_PLACEHOLDER) == len("csrf-token-") + 32
    body = page(user_client, offer.get_absolute_url() + "?months=csrf-token-placeholder")
    assert "csrf-token-placeholder" in body  # shown back as typed, not replaced


# Only the parameters a page reads make its key ---------------------------------------------


@pytest.mark.parametrize("name", ["list", "detail", "compare", "negotiate", "explorer"])
def test_a_parameter_the_page_ignores_neither_skips_nor_multiplies_the_cache(
    user_client, user, offer, market, name, django_assert_num_queries
):
    second = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = {
        "list": LIST,
        "detail": offer.get_absolute_url(),
        "compare": f"{reverse('offers:compare')}?offers={offer.pk}&offers={second.pk}",
        "negotiate": reverse("offers:negotiate", args=[offer.pk]),
        "explorer": reverse("benchmarks:explorer"),
    }[name]
    first = page(user_client, url)
    kept = len(page_cache.OWNER_PAGES)
    joiner = "&" if "?" in url else "?"
    if name == "explorer":
        # The explorer starts from your newest offer only when the query is empty, so any query
        # is one other page: computed once, then kept for every other parameter it ignores.
        first = page(user_client, f"{url}{joiner}utm_source=first")
        kept += 1
    for n in range(5):
        with django_assert_num_queries(3):  # session, user, market-data stamp: served as kept
            again = page(user_client, f"{url}{joiner}utm_source={n}&x{n}=y")
        assert strip_tokens(again) == strip_tokens(first)
    assert len(page_cache.OWNER_PAGES) == kept


def test_a_parameter_the_page_reads_still_makes_its_own_page(user_client, offer):
    twelve = page(user_client, offer.get_absolute_url() + "?months=12")
    eighteen = page(user_client, offer.get_absolute_url() + "?months=18&junk=1")
    assert strip_tokens(twelve) != strip_tokens(eighteen)
    assert strip_tokens(page(user_client, offer.get_absolute_url() + "?junk=2&months=18")) == (
        strip_tokens(eighteen)
    )


def test_a_page_that_reads_the_whole_query_is_kept_under_all_of_it(rf):
    query = page_cache.RecordingQueryDict(QueryDict("a=1&b=2&b=3"))
    assert query.get("a") == "1" and query.getlist("b") == ["2", "3"] and "c" not in query
    assert query.read == {"a", "b", "c"}
    assert bool(query) and page_cache.NON_EMPTY in query.read
    query.urlencode()
    assert page_cache.ALL_PARAMETERS in query.read
    everything = frozenset([page_cache.ALL_PARAMETERS])
    assert page_cache.parameters_key(QueryDict("a=1&z=2"), everything) != (
        page_cache.parameters_key(QueryDict("a=1&z=3"), everything)
    )


def strip_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", html)

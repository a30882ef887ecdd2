"""A person's own pages answer conditional GETs (offers/conditional_pages.py): a repeat look
that sends back the page's ETag is a 304 with no body while nothing the page shows has changed.
These tests look at pages as a browser does, sending back the ETag it was last given for the
address and showing its kept copy on a 304, and prove nobody ever sees a page that is out of
date or not theirs: every way their data, the market data, the day or the request changes gives
a freshly computed page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from benchmarks.models import Band
from offers.conditional_pages import person_page_etag
from offers.models import Offer
from tests.factories import OfferFactory, RoundFactory, ShareLinkFactory, UserFactory
from tests.offer_form_data import offer_form_data

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
    """The page as a browser shows it: its kept copy when the server answers 304."""
    kept = getattr(client, "kept_pages", {})
    client.kept_pages = kept
    key = (url, tuple(sorted(headers.items())))
    if key in kept:
        headers["If-None-Match"] = kept[key][0]
    response = client.get(url, headers=headers)
    if response.status_code == 304:
        assert response.content == b""
        return kept[key][1]
    assert response.status_code == 200
    body = response.content.decode()
    if response.has_header("ETag"):
        kept[key] = (response["ETag"], body)
    else:
        kept.pop(key, None)
    return body


def data_stamp(user) -> int:
    return User.objects.values_list("data_stamp", flat=True).get(pk=user.pk)


def test_a_repeated_look_costs_three_queries(user_client, offer, django_assert_num_queries):
    first = user_client.get(LIST)
    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    with django_assert_num_queries(3):  # session, user, market-data version
        second = user_client.get(LIST, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 304 and second.content == b""
    assert second["ETag"] == first["ETag"]
    assert "Northwind" in page(user_client, LIST)


def test_each_look_makes_its_etag_once(user, offer, monkeypatch):
    made = []

    def counted(request, view):
        made.append(request.headers.get("If-None-Match"))
        return person_page_etag(request, view)

    monkeypatch.setattr("offers.conditional_pages.person_page_etag", counted)
    client = Client()
    client.force_login(user)
    first = client.get(LIST)  # a first visit: its CSRF secret is made while the page is
    assert first.status_code == 200 and len(made) == 1
    kept = client.get(LIST, headers={"If-None-Match": first["ETag"]})
    assert kept.status_code == 304 and len(made) == 2
    Offer.objects.filter(pk=offer.pk).update(company="Fabrikam")
    changed = client.get(LIST, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert len(made) == 3
    assert client.get(LIST, headers={"If-None-Match": changed["ETag"]}).status_code == 304


def test_a_look_without_the_etag_is_computed_afresh(user_client, offer):
    first, second = user_client.get(LIST), user_client.get(LIST)
    assert first.status_code == second.status_code == 200
    assert strip_tokens(first.content.decode()) == strip_tokens(second.content.decode())
    assert first["ETag"] == second["ETag"]


def test_a_change_through_the_form_shows_at_once(user_client, offer):
    detail = offer.get_absolute_url()
    assert "$165,000" in page(user_client, detail)
    form = page(user_client, reverse("offers:edit", args=[offer.pk]))
    assert "Northwind" in form
    data = {**offer_form_data(offer), "base_salary": "171000"}
    response = user_client.post(reverse("offers:edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.content.decode()
    body = page(user_client, detail)
    assert "$171,000" in body
    assert "Saved your changes." in body  # the message shows on a page that was cached
    again = page(user_client, detail)
    assert "Saved your changes." not in again  # the message only once
    assert "$171,000" in again and "$165,000" not in again  # not the page kept before the edit


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
    RoundFactory(offer=offer)
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


def test_a_new_household_shows_new_after_tax_figures(user_client, user, offer):
    single = page(user_client, offer.get_absolute_url())
    User.objects.filter(pk=user.pk).update(filing_status="married_joint", dependants=2)
    joint = page(user_client, offer.get_absolute_url())
    assert joint != single and "Married, filing jointly" in joint


def test_the_partial_and_the_whole_page_are_kept_apart(user_client, user, offer, market):
    second = OfferFactory(owner=user, company="Contoso", role=market["role"], location=market["seattle"])  # fmt: skip
    url = f"{reverse('offers:compare')}?offers={offer.pk}&offers={second.pk}"
    assert "<html" in page(user_client, url)
    assert "<html" not in page(user_client, url, HX_Request="true")
    assert "<html" in page(user_client, url)
    whole = user_client.get(url)
    fragment = user_client.get(url, headers={"HX-Request": "true", "If-None-Match": whole["ETag"]})
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    restore = user_client.get(
        url,
        headers={
            "HX-Request": "true",
            "HX-History-Restore-Request": "true",
            "If-None-Match": fragment["ETag"],
        },
    )
    assert restore.status_code == 200 and "<html" in restore.content.decode()


def test_every_fresh_response_carries_a_freshly_masked_working_csrf_token(user, offer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = offer.get_absolute_url()
    first, second = client.get(url), client.get(url)
    tokens = [token_in(r.content.decode()) for r in (first, second)]
    assert tokens[0] != tokens[1]  # never the same bytes twice: BREACH needs them repeated
    kept = client.get(url, headers={"If-None-Match": second["ETag"]})
    assert kept.status_code == 304  # the browser shows the copy it kept, with tokens[1]
    response = client.post(reverse("offers:duplicate", args=[offer.pk]), {"csrfmiddlewaretoken": tokens[1]})  # fmt: skip
    assert response.status_code == 302  # the token from the kept page works


def token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_a_new_csrf_secret_sends_the_page_afresh(user_client, offer):
    first = user_client.get(LIST)
    assert first.status_code == 200
    user_client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # as after signing in again
    again = user_client.get(LIST, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200  # a kept page's tokens would no longer work


def test_the_shared_cache_keeps_no_page_and_no_token(user_client, offer):
    body = user_client.get(offer.get_absolute_url()).content.decode()
    token = token_in(body)
    kept = [cache.get(key) for key in cache._cache]  # local memory in tests: every key
    assert kept  # the market data the page read is there …
    assert not any(token in repr(value) or "<html" in repr(value) for value in kept)  # … no page


def test_someone_elses_etag_gets_my_own_page(user_client, offer, market):
    someone = UserFactory(display_name="Someone Else")
    OfferFactory(owner=someone, company="Tailspin", role=market["role"], location=market["seattle"])
    theirs_client = Client()
    theirs_client.force_login(someone)
    theirs = theirs_client.get(LIST)
    mine = user_client.get(LIST, headers={"If-None-Match": theirs["ETag"]})
    assert mine.status_code == 200
    assert "Northwind" in mine.content.decode() and "Tailspin" not in mine.content.decode()


def test_someone_elses_offer_is_404_with_no_etag(user_client, market):
    theirs = OfferFactory(role=market["role"], location=market["seattle"])
    response = user_client.get(theirs.get_absolute_url())
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_a_page_with_a_message_waiting_is_sent_afresh_and_not_revalidated(user_client, offer):
    detail = offer.get_absolute_url()
    etag = user_client.get(detail)["ETag"]
    response = user_client.post(reverse("offers:duplicate", args=[offer.pk]))
    assert response.status_code == 302
    shown = user_client.get(response["Location"], headers={"If-None-Match": etag})
    assert shown.status_code == 200 and not shown.has_header("ETag")
    assert [str(m) for m in get_messages(shown.wsgi_request)]  # the message was on this page


def test_saving_a_person_loaded_earlier_keeps_the_stamp_the_triggers_set(user, offer):
    loaded_before = User.objects.get(pk=user.pk)  # e.g. a password change that takes a second
    Offer.objects.filter(pk=offer.pk).update(base_salary=Decimal("171000"))  # another tab
    changed = data_stamp(user)
    loaded_before.set_password("another-long-passphrase")
    loaded_before.save()
    assert data_stamp(user) == changed
    assert User.objects.get(pk=user.pk).check_password("another-long-passphrase")


# The ETag covers the whole address: a new query is a page of its own ---------------------


@pytest.mark.parametrize("name", ["list", "detail", "compare", "negotiate", "explorer"])
def test_a_parameter_the_page_ignores_shows_the_same_page(
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
    joiner = "&" if "?" in url else "?"
    if name == "explorer":
        # The explorer starts from your newest offer only when the query is empty, so any query
        # shows one other page, the same for every parameter it ignores.
        url = f"{url}{joiner}utm_source=first"
    first = page(user_client, url)
    for n in range(3):
        tagged = f"{url}{joiner}utm_source={n}&x{n}=y"
        assert strip_tokens(page(user_client, tagged)) == strip_tokens(first)
        with django_assert_num_queries(3):  # session, user, market-data version: a 304
            assert strip_tokens(page(user_client, tagged)) == strip_tokens(first)


def test_a_parameter_the_page_reads_still_makes_its_own_page(user_client, offer):
    twelve = page(user_client, offer.get_absolute_url() + "?months=12")
    eighteen = page(user_client, offer.get_absolute_url() + "?months=18&junk=1")
    assert strip_tokens(twelve) != strip_tokens(eighteen)
    assert strip_tokens(page(user_client, offer.get_absolute_url() + "?junk=2&months=18")) == (
        strip_tokens(eighteen)
    )
    twelve_tag = user_client.get(offer.get_absolute_url() + "?months=12")["ETag"]
    other = user_client.get(
        offer.get_absolute_url() + "?months=18", headers={"If-None-Match": twelve_tag}
    )
    assert other.status_code == 200


def strip_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", html)

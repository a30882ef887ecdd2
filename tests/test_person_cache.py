"""A person's offers are read from the shared cache while nothing they are read from has changed:
any write to the person's offers or rounds, or to market data, shows on the next look."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarks.models import Role
from offers.models import Offer
from tests.factories import OfferFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

# Session, user and the market-data version: the offers come from the shared cache.
FROM_THE_CACHE = 3


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_is_read_once_until_an_offer_changes(
    user_client, user, market, django_assert_num_queries
):
    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = reverse("offers:list")
    assert offer.company in body(user_client, url)
    with django_assert_num_queries(FROM_THE_CACHE):
        body(user_client, url)

    Offer.objects.filter(pk=offer.pk).update(company="Renamed Co")  # no save(): triggers only
    assert "Renamed Co" in body(user_client, url)
    OfferFactory(owner=user, company="Second Co")
    assert "Second Co" in body(user_client, url)
    Offer.objects.filter(pk=offer.pk).delete()
    assert "Renamed Co" not in body(user_client, url)


def test_renamed_market_data_shows_on_the_next_look(user_client, user, market):
    OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = reverse("offers:list")
    body(user_client, url)
    Role.objects.filter(pk=market["role"].pk).update(name="Principal Wrangler")
    assert "Principal Wrangler" in body(user_client, url)


def test_each_person_reads_only_their_own(client, user, market):
    other = UserFactory()
    OfferFactory(owner=user, company="Mine Co")
    OfferFactory(owner=other, company="Theirs Co")
    client.force_login(user)
    assert "Mine Co" in body(client, reverse("offers:list"))
    client.force_login(other)
    page = body(client, reverse("offers:list"))
    assert "Theirs Co" in page and "Mine Co" not in page


def test_a_new_round_shows_on_the_negotiate_page(user_client, user, market):
    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = reverse("offers:negotiate", kwargs={"pk": offer.pk})
    assert "$171,000" not in body(user_client, url)
    ask = RoundFactory(offer=offer, number=1, label="Our counter", who="candidate")
    ask.snapshot = ask.snapshot | {"base_salary": "190000"}
    ask.save()
    answer = RoundFactory(offer=offer, number=2, label="Their answer", who="company")
    answer.snapshot = answer.snapshot | {"base_salary": str(Decimal("171000"))}
    answer.save()
    assert "$171,000" in body(user_client, url)  # their answer, now the terms on the table


def test_an_offers_page_is_read_once_until_it_changes(
    user_client, user, market, django_assert_num_queries
):
    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = reverse("offers:detail", kwargs={"pk": offer.pk})
    assert "$165,000" in body(user_client, url)
    with django_assert_num_queries(FROM_THE_CACHE):
        body(user_client, url)
    Offer.objects.filter(pk=offer.pk).update(base_salary=Decimal("172000"))
    assert "$172,000" in body(user_client, url)


def test_another_persons_offer_is_still_a_404(client, user, market):
    offer = OfferFactory(owner=user)
    client.force_login(user)
    body(client, reverse("offers:detail", kwargs={"pk": offer.pk}))
    client.force_login(UserFactory())
    assert client.get(reverse("offers:detail", kwargs={"pk": offer.pk})).status_code == 404


def test_kept_offers_share_one_instance_of_each_market_row(user, market):
    from offers.selectors import owned_offer_list

    first = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    OfferFactory(owner=user, role=market["role"], location=market["seattle"], level=None)
    user.refresh_from_db()  # its data version, as a request loads it
    offers = owned_offer_list(user=user)
    kept = owned_offer_list(user=user)  # from the shared cache
    for loaded in (offers, kept):
        assert loaded[0].role is loaded[1].role and loaded[0].location is loaded[1].location
        assert sorted(o.level_id or 0 for o in loaded) == [0, first.level_id]
        assert loaded[0].location.name == "Seattle-Tacoma-Bellevue, WA"


def test_a_withdrawn_contribution_shows_on_the_next_look(user_client, user, market):
    from offers.contributions import contribute, withdraw

    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    contribute(offer=offer)
    url = reverse("offers:detail", kwargs={"pk": offer.pk})
    assert "Contributed in" in body(user_client, url)
    assert "Contributed in" in body(user_client, url)  # kept
    withdraw(offer=Offer.objects.get(pk=offer.pk))
    page = body(user_client, url)
    assert "Contributed in" not in page and "Add this offer" in page


def test_a_release_that_changes_the_kept_columns_reads_afresh(
    user_client, user, market, monkeypatch, django_assert_num_queries
):
    OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    url = reverse("offers:list")
    body(user_client, url)
    with django_assert_num_queries(FROM_THE_CACHE):
        body(user_client, url)
    # As after a release whose offers or market rows have other columns: nothing kept by the
    # release before is unpickled, so the offers are read from the database once more.
    monkeypatch.setattr("offers.selectors._kept_shape", lambda: "another-release")
    with django_assert_num_queries(FROM_THE_CACHE + 1):
        body(user_client, url)

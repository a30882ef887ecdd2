"""The reads every offer page shares: owner scoping, the rates on file, a negotiation's rounds."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from offers.models import Round
from offers.selectors import (
    answer_and_ask,
    latest_rates,
    negotiation_standing,
    owned_offer_and_others,
    owned_offer_or_404,
    round_history,
    shared_offers,
)
from tests.factories import ExchangeRateFactory, OfferFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_offer_is_found_only_among_its_owners_with_their_others_beside_it():
    owner, stranger = UserFactory(), UserFactory()
    mine, other = OfferFactory(owner=owner), OfferFactory(owner=owner)
    theirs = OfferFactory(owner=stranger)
    offer, others = owned_offer_and_others(user=owner, pk=mine.pk)
    assert offer == mine
    assert others == [other]
    assert offer.last_round_by is None  # no round yet
    with pytest.raises(Http404):
        owned_offer_and_others(user=owner, pk=theirs.pk)


def test_an_offer_page_finds_only_the_persons_own_offer(django_assert_num_queries):
    owner = UserFactory()
    mine, theirs = OfferFactory(owner=owner), OfferFactory()
    with django_assert_num_queries(1):  # the place and the market menus come with it
        offer = owned_offer_or_404(user=owner, pk=mine.pk)
        assert offer.location.name == mine.location.name
    assert owned_offer_or_404(user=owner, pk=mine.pk, market_context=False) == mine
    for market_context in (True, False):
        with pytest.raises(Http404):
            owned_offer_or_404(user=owner, pk=theirs.pk, market_context=market_context)


def test_the_newest_rate_up_to_today_is_read_and_usd_needs_none():
    today = timezone.localdate()
    ExchangeRateFactory(
        currency="EUR", date=today - datetime.timedelta(days=9), units_per_usd=Decimal("0.90")
    )
    ExchangeRateFactory(
        currency="EUR", date=today - datetime.timedelta(days=2), units_per_usd=Decimal("0.93")
    )
    ExchangeRateFactory(
        currency="EUR", date=today + datetime.timedelta(days=1), units_per_usd=Decimal("0.99")
    )
    rates = latest_rates(currencies={"EUR", "USD"})
    assert rates["EUR"].units_per_usd == Decimal("0.93")
    assert latest_rates(currencies={"USD"}) == {}


def test_the_newest_rates_are_read_once_until_a_rate_is_added(django_assert_num_queries):
    today = timezone.localdate()
    ExchangeRateFactory(currency="EUR", date=today, units_per_usd=Decimal("0.93"))
    # The market-data version, then the rates.
    with django_assert_num_queries(2):
        assert latest_rates(currencies={"EUR"})["EUR"].units_per_usd == Decimal("0.93")
    # Again: the version, and the rates from the shared cache.
    with django_assert_num_queries(1):
        again = latest_rates(currencies={"EUR"})
    assert again["EUR"].units_per_usd == Decimal("0.93")
    again.clear()  # each caller gets its own copy
    ExchangeRateFactory(currency="GBP", date=today, units_per_usd=Decimal("0.79"))
    assert set(latest_rates()) == {"EUR", "GBP"}
    assert latest_rates(currencies={"EUR"})["EUR"].units_per_usd == Decimal("0.93")


def test_a_share_link_reads_only_its_owners_offers_in_its_order():
    owner = UserFactory()
    first, second = OfferFactory(owner=owner), OfferFactory(owner=owner)
    someone_elses = OfferFactory()
    offers = shared_offers(owner_id=owner.pk, offer_ids=[second.pk, someone_elses.pk, first.pk])
    assert offers == [second, first]


def test_the_companys_answer_to_a_counter_is_where_the_negotiation_stands():
    owner = UserFactory()
    offer = OfferFactory(owner=owner)
    RoundFactory(offer=offer, number=1, label="Original offer")
    ask = RoundFactory(offer=offer, number=2, label="Our counter", who="candidate")
    ask.snapshot = ask.snapshot | {"base_salary": "190000"}
    ask.save()
    answer = RoundFactory(offer=offer, number=3, label="Their answer", who="company")
    answer.snapshot = answer.snapshot | {"base_salary": "175000"}
    answer.save()
    loaded, _ = owned_offer_and_others(user=owner, pk=offer.pk)
    standing = negotiation_standing(offer=loaded)
    assert (standing.ask.number, standing.answer.number) == (2, 3)
    assert standing.answer_terms.base_salary == Decimal("175000")
    assert standing.ask_terms.base_salary == Decimal("190000")


@pytest.mark.parametrize(
    ("speakers", "answered"),
    [
        ("", None),
        ("company", None),  # the offer itself, no counter yet
        ("company candidate", None),  # awaiting their answer
        ("company candidate company", (3, 2)),
        ("company candidate company company", (4, 2)),  # their newest answers the same ask
        ("company candidate candidate company", (4, 3)),  # the person's last counter
    ],
)
def test_the_company_answered_when_it_spoke_last_after_a_counter(speakers, answered):
    history = [Round(number=n, who=who) for n, who in enumerate(speakers.split(), start=1)]
    found = answer_and_ask(history)
    assert (found and (found[0].number, found[1].number)) == answered


def test_a_round_history_is_newest_first_with_what_changed_and_the_round_on_the_table():
    offer = OfferFactory()
    RoundFactory(offer=offer, number=1, label="Original offer")
    ask = RoundFactory(offer=offer, number=2, label="Our counter", who="candidate")
    ask.snapshot = ask.snapshot | {"base_salary": "180000"}
    ask.save()
    history = round_history(
        offer=offer, history=list(offer.rounds.all()), labels={"base_salary": "Base salary"}
    )
    newest, first = history["rounds"]
    assert (newest.number, first.number) == (2, 1)
    (change,) = newest.changes
    assert (change.label, change.delta) == ("Base salary", Decimal("15000"))  # 180,000 − 165,000
    # Base 15,000 more, its 15% bonus 2,250 more, the match (6% of base at 50%) 450 more:
    # 15,000 + 2,250 + 450 = 17,700 more in the first year.
    assert newest.first_year_change == Decimal("17700.00")
    assert history["current_round"] == 1  # the offer still has round 1's terms
    assert history["answered"] is False  # the person spoke last
    assert Round.objects.count() == 2

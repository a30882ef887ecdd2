"""The writes a page asks for, called as the pages call them: keyword-only, each one step."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from offers.models import MAX_OFFERS_PER_PERSON, Offer, Round, ShareLink
from offers.services import (
    RoundRefused,
    TooManyOffers,
    apply_round,
    create_share_link,
    duplicate_offer,
    save_round,
)
from tests.factories import OfferFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_copy_is_a_new_offer_just_received_and_the_original_is_untouched():
    offer = OfferFactory(company="Northwind", status=Offer.Status.NEGOTIATING)
    copy = duplicate_offer(offer=offer)
    assert copy.pk != offer.pk
    assert (copy.company, copy.status, copy.owner_id) == (
        "Northwind (copy)",
        Offer.Status.RECEIVED,
        offer.owner_id,
    )
    assert copy.base_salary == Decimal("165000")
    offer.refresh_from_db()
    assert (offer.company, offer.status) == ("Northwind", Offer.Status.NEGOTIATING)


def test_a_copy_past_the_limit_is_refused_and_nothing_is_saved():
    offer = OfferFactory()
    Offer.objects.bulk_create(
        [Offer(**{**_fields(offer), "company": f"C{i}"}) for i in range(MAX_OFFERS_PER_PERSON - 1)]
    )
    with pytest.raises(TooManyOffers):
        duplicate_offer(offer=offer)
    assert Offer.objects.filter(owner=offer.owner).count() == MAX_OFFERS_PER_PERSON


def _fields(offer: Offer) -> dict:
    return {
        f.attname: getattr(offer, f.attname) for f in Offer._meta.concrete_fields if f.name != "id"
    }


def test_the_first_round_saved_also_keeps_the_offer_as_round_1():
    offer = OfferFactory()
    proposed = offer.unsaved_copy()
    proposed.base_salary = Decimal("180000")
    counter = save_round(offer=offer, label="Our counter", who="candidate", proposed=proposed)
    assert list(offer.rounds.values_list("number", "label", "who")) == [
        (1, "Original offer", "company"),
        (2, "Our counter", "candidate"),
    ]
    assert offer.rounds.get(number=1).snapshot["base_salary"] == "165000"
    assert counter.snapshot["base_salary"] == "180000"
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("165000")  # saving a round leaves the offer's terms


def test_a_round_the_engine_refuses_is_not_saved():
    offer = OfferFactory()
    proposed = offer.unsaved_copy()
    proposed.vesting_schedule = Offer.VestingSchedule.CUSTOM
    proposed.custom_vesting_percentages = "25, 25"  # 50, not 100
    with pytest.raises(RoundRefused, match="must add up to 100"):
        save_round(offer=offer, label="Typo", who="company", proposed=proposed)
    assert not Round.objects.exists()


def test_two_rounds_with_one_number_are_refused_by_the_database():
    offer = OfferFactory()
    RoundFactory(offer=offer, number=1)
    with pytest.raises(IntegrityError):
        RoundFactory(offer=offer, number=1)


def test_a_round_made_the_offers_terms_is_saved_and_one_it_cannot_be_is_refused():
    offer = OfferFactory()
    answer = RoundFactory(offer=offer, number=1)
    answer.snapshot = answer.snapshot | {"base_salary": "185000.00"}
    answer.save()
    apply_round(offer=offer, version=answer)
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("185000")

    broken = RoundFactory(offer=offer, number=2)
    broken.snapshot = broken.snapshot | {"base_salary": "-5.00"}
    broken.save()
    with pytest.raises(RoundRefused, match="greater than or equal to 0"):
        apply_round(offer=offer, version=broken)
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("185000")


def test_a_share_link_keeps_the_column_order_once_and_expires_when_asked():
    owner = UserFactory()
    before = timezone.now()
    link = create_share_link(
        owner=owner,
        offer_ids=[7, 3, 7],
        currency="EUR",
        hidden_fields=[ShareLink.Hideable.COMPANY],
        expires_in_days=3,
    )
    link.refresh_from_db()
    assert link.offer_ids == [7, 3]
    assert (link.currency, link.hidden_fields) == ("EUR", ["company"])
    # 3 days from now, give or take the test's own run time.
    assert before + datetime.timedelta(days=3) <= link.expires_at
    assert link.expires_at <= timezone.now() + datetime.timedelta(days=3)

"""Writes a view orchestrates that need more than a form's save."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from offers.models import Offer, Round, ShareLink, offer_snapshot
from offers.terms import offer_terms


class TooManyOffers(Exception):
    """The person already keeps MAX_OFFERS_PER_PERSON offers."""


def make_room_for_offer(*, owner_id: int) -> None:
    """Inside transaction.atomic(), before the save: lock the person's row, so two saves at once can't both take the
    last place, and raise TooManyOffers when they already have the most offers allowed. The
    database can't state a count per person as a constraint, so every create path calls this."""
    list(User.objects.select_for_update().filter(pk=owner_id).values_list("pk", flat=True))
    if not Offer.objects.has_room_for_one_more(owner_id):
        raise TooManyOffers


def create_share_link(
    *,
    owner: User,
    offer_ids: Sequence[int],
    currency: str,
    hidden_fields: Sequence[str],
    expires_in_days: int,
) -> ShareLink:
    """A read-only link to the comparison of `offer_ids` (the owner's, in column order)."""
    return ShareLink.objects.create(
        owner=owner,
        offer_ids=list(dict.fromkeys(offer_ids)),
        currency=currency,
        hidden_fields=list(hidden_fields),
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )


@transaction.atomic
def duplicate_offer(*, offer: Offer) -> Offer:
    """A copy of `offer` to try a what-if, as just received; TooManyOffers when there is no room."""
    make_room_for_offer(owner_id=offer.owner_id)
    duplicate = offer.unsaved_copy()  # a model's copy has its own _state
    duplicate._state.adding = True
    duplicate.company = f"{offer.company} (copy)"[:120]
    duplicate.status = Offer.Status.RECEIVED
    duplicate.save()
    return duplicate


class RoundRefused(Exception):
    """A round's terms the engine or the offer's own checks refuse; the message says why."""


@transaction.atomic
def save_round(*, offer: Offer, label: str, who: str, proposed: Offer) -> Round:
    """Record a round with `proposed`'s terms; the first one saved also keeps the offer as it
    was, as round 1. IntegrityError when another round took the same number at the same time."""
    try:
        offer_terms(proposed)
    except ValueError as error:
        raise RoundRefused(str(error)) from None
    # Lock the offer so two rounds saved at once can't take the same number.
    Offer.objects.select_for_update().filter(pk=offer.pk).first()
    last = offer.rounds.aggregate(last=Max("number"))["last"] or 0
    if last == 0:
        Round.objects.create(
            offer=offer,
            number=1,
            label="Original offer",
            who=Round.Who.COMPANY,
            snapshot=offer_snapshot(offer),
        )
        last = 1
    return Round.objects.create(
        offer=offer, number=last + 1, label=label, who=who, snapshot=offer_snapshot(proposed)
    )


def apply_round(*, offer: Offer, version: Round) -> None:
    """Make a round's terms the offer's own, the terms now on the table; RoundRefused (nothing
    saved) when they can't be the offer's."""
    changed = version.apply_to(offer)
    try:
        offer_terms(offer)
        offer.full_clean()
    except ValidationError as error:
        raise RoundRefused("; ".join(error.messages)) from None
    except ValueError as error:
        raise RoundRefused(str(error)) from None
    offer.save(update_fields=[*changed, "updated_at"])

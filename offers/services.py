"""Writes a view orchestrates that need more than a form's save."""

from accounts.models import User
from offers.models import Offer


class TooManyOffers(Exception):
    """The person already keeps MAX_OFFERS_PER_PERSON offers."""


def make_room_for_offer(*, owner_id: int) -> None:
    """Inside transaction.atomic(), before the save: lock the person's row, so two saves at once can't both take the
    last place, and raise TooManyOffers when they already have the most offers allowed. The
    database can't state a count per person as a constraint, so every create path calls this."""
    list(User.objects.select_for_update().filter(pk=owner_id).values_list("pk", flat=True))
    if not Offer.objects.has_room_for_one_more(owner_id):
        raise TooManyOffers

"""Everything a person entered, as one JSON document, and nothing of anyone else's."""

from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import User
from accounts.throttle import sign_in_email
from benchmarks.models import Contribution
from offers.models import Offer

# Foreign keys to market data are exported by name: ids mean nothing outside this site.
MARKET_FIELDS = ("role", "level", "location", "industry", "company_size")

# django-axes' sign-in records (address, browser, time), keyed by the email typed, not the user.
SIGN_IN_RECORDS = {
    "sign_ins": AccessLog,
    "failed_sign_ins": AccessFailureLog,
    "sign_in_lockout_counts": AccessAttempt,
}
# An internal hash of the session key: not the person's data, and of no use outside.
SIGN_IN_SKIP = ("id", "session_hash")
# A contribution's company and contributor keys are hashes only the site can make: they tell the
# person nothing, and they are never shown anywhere. Demo contributions are never a person's.
CONTRIBUTION_SKIP = ("company_key", "contributor_key", "is_demo")


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _row(instance: models.Model, skip: tuple[str, ...] = ()) -> dict:
    row = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            row[field.name] = str(related) if related is not None else None
        else:
            row[field.name] = _plain(getattr(instance, field.attname))
    return row


def personal_data(user: User) -> dict:
    offers = (
        Offer.objects.owned_by(user)
        .with_market_context()
        .prefetch_related(*[rel.get_accessor_name() for rel in _offer_children()])
    )
    exported_offers = []
    for offer in offers:
        row = _row(offer, skip=("owner", "contribution"))
        row["contribution"] = offer.contribution_id  # the id in "contributions" below
        for rel in _offer_children():
            row[rel.get_accessor_name()] = [
                _row(child, skip=(rel.field.name,))
                for child in getattr(offer, rel.get_accessor_name()).all()
            ]
        exported_offers.append(row)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "filing_status": user.filing_status,
            "dependants": user.dependants,
        },
        "offers": exported_offers,
        "contributions": _contributions(offers),
    }
    for rel in _user_children():
        data[rel.get_accessor_name()] = [
            _row(child, skip=(rel.field.name,))
            for child in getattr(user, rel.get_accessor_name()).all()
        ]
    for name, records in sign_in_records(user.email).items():
        data[name] = [_row(record, skip=SIGN_IN_SKIP) for record in records.order_by("pk")]
    return data


def _contributions(offers) -> list[dict]:
    """The person's offers added to this site's market data: each with its figures, the cell it
    counts in (role, level, places) and its month."""
    ids = [offer.contribution_id for offer in offers if offer.contribution_id]
    if not ids:
        return []
    contributions = Contribution.objects.filter(pk__in=ids).select_related(
        "role", "level", "location", "state", "nation", "industry", "company_size"
    )
    return [_row(c, skip=CONTRIBUTION_SKIP) for c in contributions.order_by("pk")]


def sign_in_records(email: str) -> dict[str, models.QuerySet]:
    """The sign-in records of an address, in any spelling that signs in to it."""
    spellings = models.Q(username__iexact=email) | models.Q(username=sign_in_email(email))
    return {name: model.objects.filter(spellings) for name, model in SIGN_IN_RECORDS.items()}


@receiver(post_delete, sender=User)
def forget_sign_ins(sender, instance: User, **kwargs) -> None:
    """A deleted account leaves no trace in the sign-in records, however it was deleted."""
    for records in sign_in_records(instance.email).values():
        records.delete()


def _offer_children():
    """Rows that belong to an offer (its versions, for example)."""
    return [
        rel
        for rel in Offer._meta.related_objects
        if rel.one_to_many and rel.related_model._meta.app_label == "offers"
    ]


def _user_children():
    """Rows of the offers app that a user owns directly, besides offers (share links)."""
    return [
        rel
        for rel in User._meta.related_objects
        if rel.one_to_many
        and rel.related_model._meta.app_label == "offers"
        and rel.related_model is not Offer
    ]

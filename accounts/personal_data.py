"""Everything a person entered, as one JSON document, and nothing of anyone else's."""

from decimal import Decimal

from django.db import models
from django.utils import timezone

from accounts.models import User
from offers.models import Offer

# Foreign keys to market data are exported by name: ids mean nothing outside this site.
MARKET_FIELDS = ("role", "level", "location", "industry", "company_size")


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
        row = _row(offer, skip=("owner",))
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
        },
        "offers": exported_offers,
    }
    for rel in _user_children():
        data[rel.get_accessor_name()] = [
            _row(child, skip=(rel.field.name,))
            for child in getattr(user, rel.get_accessor_name()).all()
        ]
    return data


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

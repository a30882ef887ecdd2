"""An offer added to this site's market data (community bands), and taken out of it again.

A contribution keeps what a community band needs and nothing that names anyone: role, level,
places, industry, company size, the month of the offer, its currency and the engine's figures.
The company enters only as a keyed hash (``company_key``), to count distinct companies, and the
owner as another (``contributor_key``), so that each person counts once in a cell. The offer
points at its contribution; nothing points back (benchmarks.models.Contribution).

Every write here rebuilds the cells it touched once the transaction commits, so a band never
counts an offer its owner has just withdrawn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from benchmarks import community_build
from benchmarks.community import cell_places
from benchmarks.models import Contribution, Location
from offers.compensation import round_cents
from offers.models import Offer
from offers.selectors import result_or_none

# Words that name a company's legal form, not the company: "Acme, Inc." is Acme, and so are
# "Acme Corporation" and "Acme Co., Ltd." (else one company, spelt three ways, would count as
# the three companies a band needs).
LEGAL_FORMS = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "corp",
        "corporation",
        "co",
        "company",
    }
)
_DROPPED = re.compile(r"[.'’]")  # "A.C.M.E." is ACME, "Macy's" is Macys
_SEPARATORS = re.compile(r"[^\w\s]|_")


class CannotContribute(ValueError):
    """The offer's figures can't be computed, or are not pay a band can count (no base)."""


def normalised_company(company: str) -> str:
    words = _SEPARATORS.sub(" ", _DROPPED.sub("", unicodedata.normalize("NFKC", company)))
    words = words.casefold().split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)


def _keyed(purpose: str, value: str) -> str:
    """A keyed hash of `value` under the site's secret key, apart for each purpose."""
    return salted_hmac(f"offerbench.community.{purpose}", value, algorithm="sha256").hexdigest()


def company_key(company: str) -> str:
    """A keyed hash of the company's name: two spellings of one company give one key, and only
    someone holding the site's secret key could even test a guessed name against it. (A new
    secret key gives new keys: earlier contributions then count as other companies until their
    offers are next saved.)"""
    return _keyed("company", normalised_company(company))


def contributor_key(owner_id: int) -> str:
    """A keyed hash of the owner's id, keyed as ``company_key`` is: all of one person's
    contributions share it, so a cell counts each person once, and it names no one. (A new
    secret key gives new keys, as for companies, until the offers are next saved.)"""
    return _keyed("contributor", str(owner_id))


def own_contributor_key(name: str) -> str:
    """A contributor key of its own, which no account's can be, for a contribution no person
    stands behind: a made-up demo one (``name`` tells the made-up people apart), or one no offer
    points at any more."""
    return _keyed("contributor.own", name)


def contribution_figures(offer: Offer) -> dict[str, Decimal]:
    """The pay a contribution counts, in the offer's currency, as the offer's page computes it."""
    result = result_or_none(offer)
    if result is None:
        raise CannotContribute("This offer's terms can't be computed, so it can't be counted.")
    if not offer.base_salary or offer.base_salary <= 0:
        raise CannotContribute("An offer without a base salary can't be counted.")
    return {
        "base": round_cents(offer.base_salary),
        "target_bonus": result.years[0].bonus,
        "yearly_equity": round_cents(result.split.equity / len(result.years)),
        "first_year_total": result.first_year_total,
        "average_yearly_total": result.average_yearly_total,
    }


def offered_in(offer: Offer) -> date:
    """The first day of the month the offer was received (or else saved here)."""
    day = offer.received_on or timezone.localdate(offer.created_at or timezone.now())
    return day.replace(day=1)


def contribution_places(location: Location) -> dict[str, int | None]:
    """The offer's place, and its state and country when they are other places."""
    places = cell_places(location)
    by_kind = {place.kind: place.pk for place in places[1:]}
    return {
        "location_id": places[0].pk,
        "state_id": by_kind.get(Location.Kind.STATE),
        "nation_id": by_kind.get(Location.Kind.NATION),
    }


def contribution_fields(offer: Offer) -> dict:
    """Every column a contribution of `offer` holds, and nothing else of the offer."""
    return {
        "role_id": offer.role_id,
        "level_id": offer.level_id,
        **contribution_places(offer.location),
        "industry_id": offer.industry_id,
        "company_size_id": offer.company_size_id,
        "offered_in": offered_in(offer),
        "currency": offer.currency,
        "company_key": company_key(offer.company),
        "contributor_key": contributor_key(offer.owner_id),
        **contribution_figures(offer),
    }


def _locked_contribution_id(offer: Offer) -> int | None:
    """The offer's contribution as the database has it now, with the offer's row locked, so two
    requests at once can't both add one."""
    return (
        Offer.objects.select_for_update()
        .filter(pk=offer.pk)
        .values_list("contribution_id", flat=True)
        .first()
    )


@transaction.atomic
def contribute(*, offer: Offer, is_demo: bool = False) -> Contribution:
    """Add `offer` to this site's market data (the same contribution, brought up to date, when
    it is already added). CannotContribute, before anything is written, when its figures can't
    be counted."""
    fields = contribution_fields(offer)
    offer.contribution_id = _locked_contribution_id(offer)
    if offer.contribution_id is not None:
        return refresh(offer=offer)
    contribution = Contribution.objects.create(**fields, is_demo=is_demo)
    offer.contribution = contribution
    offer.save(update_fields=["contribution"])
    _rebuild_after_commit(community_build.cells_of(contribution))
    return contribution


@transaction.atomic
def refresh(*, offer: Offer) -> Contribution | None:
    """Bring the offer's contribution up to date with the offer (a new revision when anything
    changed); withdraw it when the offer's figures can no longer be counted."""
    contribution = (
        # No ordering: the model's default joins its places, which PostgreSQL can't lock.
        Contribution.objects.select_for_update().order_by().filter(pk=offer.contribution_id).first()
        if offer.contribution_id
        else None
    )
    if contribution is None:
        return None
    try:
        fields = contribution_fields(offer)
    except CannotContribute:
        withdraw(offer=offer)
        return None
    changed = {
        name: value for name, value in fields.items() if getattr(contribution, name) != value
    }
    if not changed:
        return contribution
    cells_before = community_build.cells_of(contribution)
    for name, value in changed.items():
        setattr(contribution, name, value)
    contribution.revision += 1
    contribution.save()
    _rebuild_after_commit([*cells_before, *community_build.cells_of(contribution)])
    return contribution


@transaction.atomic
def withdraw(*, offer: Offer) -> None:
    """Take the offer out of this site's market data: its contribution is deleted, and the next
    build of its cells no longer counts it."""
    # The database's link when the offer is still there; the instance's once it was deleted.
    contribution_id = _locked_contribution_id(offer) or offer.contribution_id
    contribution = Contribution.objects.filter(pk=contribution_id).first()
    if contribution is None:
        return
    cells = community_build.cells_of(contribution)  # before the row and its places are gone
    contribution.delete()  # and Django sets the offer's link to null (SET_NULL)
    offer.contribution = None
    _rebuild_after_commit(cells)


def _rebuild_after_commit(cells: Iterable[tuple]) -> None:
    """Rebuild the touched cells once the write is committed. A failed rebuild is logged, not
    raised: the person's change is saved, and the next rebuild of those cells catches up."""
    cells = list(dict.fromkeys(cells))
    if not cells:
        return

    transaction.on_commit(lambda: community_build.rebuild_community_bands(cells=cells), robust=True)


# Signals (connected in offers/apps.py) -----------------------------------------------------


def refresh_saved_offer(sender, instance: Offer, raw: bool = False, update_fields=None, **kwargs):
    """An edited offer's contribution follows its new terms and context."""
    if raw or instance.contribution_id is None:
        return
    if update_fields is not None and set(update_fields) == {"contribution"}:
        return  # the link itself was just written (contribute, withdraw)
    refresh(offer=instance)


def withdraw_deleted_offer(sender, instance: Offer, **kwargs):
    """Deleting an offer (or the account, which deletes its offers) withdraws its contribution."""
    if instance.contribution_id is not None:
        withdraw(offer=instance)

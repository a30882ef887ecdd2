"""Every main page of OfferBench, signed out and signed in, filled with realistic data: the pages
that the accessibility and HTML validity checks visit.

A page is (name, who, address): `who` is "anonymous" or "owner"; the address is built from the
data made by `make_world`, so each page shows its real content (a band, a chart, a comparison).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from tests import factories


@dataclass
class World:
    owner: object
    offer: object
    second_offer: object
    share_token: str
    explorer_query: str


def make_world() -> World:
    owner = factories.UserFactory(display_name="Lin")
    location = factories.LocationFactory(name="Seattle-Tacoma-Bellevue, WA", kind="metro")
    role = factories.RoleFactory()
    level = factories.LevelFactory()
    factories.BandFactory(occupation=role.occupation, location=location)
    offer = factories.OfferFactory(owner=owner, role=role, level=level, location=location)
    second = factories.OfferFactory(
        owner=owner, role=role, level=level, location=location, company="Northwind",
        base_salary=Decimal("150000"), equity_kind="none", equity_grant_value=None,
        vesting_schedule="four_year_cliff_monthly",
    )  # fmt: skip
    # Two rounds, so the rounds page shows a change, the current-terms badge and the button.
    factories.RoundFactory(offer=offer, number=1, label="Original offer")
    answer = factories.RoundFactory(offer=offer, number=2, label="Their answer")
    answer.snapshot = answer.snapshot | {"base_salary": "172000.00"}
    answer.save()
    link = factories.ShareLinkFactory(owner=owner, offer_ids=[offer.pk, second.pk])
    query = f"?role={role.pk}&level={level.pk}&location={location.pk}&component=base"
    return World(owner, offer, second, link.token, query)


def pages(world: World) -> list[tuple[str, str, str]]:
    offer, pair = world.offer.pk, f"?offers={world.offer.pk}&offers={world.second_offer.pk}"
    return [
        ("home", "anonymous", reverse("home")),
        ("sign in", "anonymous", reverse("accounts:login")),
        ("sign up", "anonymous", reverse("accounts:signup")),
        ("password reset", "anonymous", reverse("accounts:password_reset")),
        ("password reset sent", "anonymous", reverse("accounts:password_reset_done")),
        ("shared comparison", "anonymous", reverse("shared_comparison", args=[world.share_token])),
        ("not found", "anonymous", "/no-such-page/"),
        ("my offers", "owner", reverse("offers:list")),
        ("new offer", "owner", reverse("offers:create")),
        ("offer", "owner", reverse("offers:detail", args=[offer])),
        ("edit offer", "owner", reverse("offers:edit", args=[offer])),
        ("delete offer", "owner", reverse("offers:delete", args=[offer])),
        ("compare", "owner", reverse("offers:compare") + pair),
        ("compare, nothing chosen", "owner", reverse("offers:compare")),
        ("negotiate", "owner", reverse("offers:negotiate", args=[offer])),
        ("rounds", "owner", reverse("offers:rounds", args=[offer])),
        ("share links", "owner", reverse("offers:shares")),
        ("market data", "owner", reverse("benchmarks:explorer")),
        ("market band", "owner", reverse("benchmarks:explorer") + world.explorer_query),
        ("account", "owner", reverse("accounts:account")),
        ("change password", "owner", reverse("accounts:password_change")),
        ("delete account", "owner", reverse("accounts:delete")),
    ]


def client_for(world: World, who: str) -> Client:
    client = Client()
    if who == "owner":
        client.force_login(world.owner)
    return client

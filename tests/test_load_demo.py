"""`manage.py load_demo`: the demo account, the admin, two offers and a negotiation so far."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from offers.models import Offer, Round
from tests.factories import LevelFactory, LocationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    RoleFactory(name="Technical Product Manager", slug="technical-product-manager")
    LevelFactory(name="Senior", slug="senior")
    LocationFactory(name="Seattle-Tacoma-Bellevue, WA", kind="metro", bls_area_code="42660")
    LocationFactory(name="Austin-Round Rock-San Marcos, TX", kind="metro", bls_area_code="12420")


def test_demo_data_loads_once_with_rounds_to_apply(market, client, settings):
    settings.DEBUG = True  # as `make run` does: the local admin is made only then
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # again: nothing more
    demo = User.objects.get(email="demo@offerbench.example")
    assert User.objects.get(email="admin@offerbench.example").is_staff
    assert sorted(Offer.objects.filter(owner=demo).values_list("company", flat=True)) == [
        "Brightpath Labs", "Northwind Cloud",
    ]  # fmt: skip
    northwind = Offer.objects.get(owner=demo, company="Northwind Cloud")
    rounds = list(northwind.rounds.values_list("number", "label", "who"))
    assert rounds == [
        (1, "Original offer", "company"), (2, "My counter", "candidate"),
        (3, "Their answer", "company"),
    ]  # fmt: skip
    assert northwind.rounds.get(number=1).matches(northwind)  # the offer keeps its first terms
    assert Round.objects.get(offer=northwind, number=3).terms()["base_salary"] == Decimal("178000")

    client.force_login(demo)
    body = client.get(reverse("offers:rounds", args=[northwind.pk])).content.decode()
    assert body.count("Make these the offer's terms") == 2


def test_the_published_admin_is_never_made_with_debug_off(market, settings):
    settings.DEBUG = False
    errors = io.StringIO()
    call_command("load_demo", stdout=io.StringIO(), stderr=errors)
    assert not User.objects.filter(email="admin@offerbench.example").exists()
    assert "not created: DEBUG is off" in errors.getvalue()
    assert User.objects.filter(email="demo@offerbench.example").exists()

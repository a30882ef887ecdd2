"""`manage.py load_demo`'s community data: made-up contributions (marked as demo data, linked to no
offer) and one of the demo person's offers, only where demo data may count (development)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import User
from benchmarks.models import CommunityBand, Contribution, Location
from offers.models import Offer
from tests.factories import LevelFactory, LocationFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_market():
    role = RoleFactory(name="Technical Product Manager", slug="technical-product-manager")
    for name, slug, rank in [
        ("Mid", "mid", 20),
        ("Senior", "senior", 30),
        ("Lead/Principal", "lead-principal", 40),
        ("Director", "director", 50),
    ]:
        LevelFactory(name=name, slug=slug, rank=rank)
    LocationFactory()
    LocationFactory(name="Washington", kind="state", state_code="WA")
    for name, code, state in [
        ("Seattle-Tacoma-Bellevue, WA", "42660", "WA"),
        ("San Francisco-Oakland-Fremont, CA", "41860", "CA"),
        ("New York-Newark-Jersey City, NY-NJ", "35620", "NY"),
        ("Austin-Round Rock-San Marcos, TX", "12420", "TX"),
    ]:
        LocationFactory(name=name, kind="metro", bls_area_code=code, state_code=state)
    return role


def test_demo_contributions_load_once_in_development(demo_market, settings, rebuilds):
    settings.COMMUNITY_DEMO_DATA = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo contributions: 67 added." in out.getvalue()  # 12 + 16 + 12 + 12 + 12 + 3
    call_command("load_demo", stdout=(again := io.StringIO()))
    assert "Demo contributions: already there." in again.getvalue()
    assert Contribution.objects.count() == 68  # and the demo person's one offer
    assert not Contribution.objects.filter(is_demo=False).exists()
    demo = User.objects.get(email="demo@offerbench.example")
    contributed = Offer.objects.filter(owner=demo, contribution__isnull=False)
    assert list(contributed.values_list("company", flat=True)) == ["Northwind Cloud"]
    assert rebuilds[-1] is None  # a full rebuild closes each run

    seattle = Location.objects.get(bls_area_code="42660")
    senior_seattle = Contribution.objects.filter(
        location=seattle, level__slug="senior", is_demo=True
    ).exclude(pk=contributed.get().contribution_id)
    assert senior_seattle.count() == 16
    assert senior_seattle.values("company_key").distinct().count() == 8
    for row in senior_seattle:
        assert Decimal("170000") <= row.base <= Decimal("230000")
        assert Decimal("200000") <= row.average_yearly_total <= Decimal("400000")
        assert row.state.name == "Washington" and row.nation.name == "U.S."
    director = Contribution.objects.filter(level__slug="director")
    assert director.count() == 3  # too few: a page says how many more are needed
    # Each made-up contribution is a made-up person of its own, and none is the demo person,
    # so a cell counts every one of them.
    assert Contribution.objects.values("contributor_key").distinct().count() == 68
    assert "" not in Contribution.objects.values_list("contributor_key", flat=True)


def test_the_demo_cells_count_every_made_up_person(demo_market, settings):
    settings.COMMUNITY_DEMO_DATA = True
    call_command("load_demo", stdout=io.StringIO())
    seattle = Location.objects.get(bls_area_code="42660")
    counts = {
        band.level.slug: (band.status, band.contributions, band.companies)
        for band in CommunityBand.objects.filter(location=seattle, component="total_comp")
    }
    # Every made-up contribution of DEMO_CELLS counts (each its own person), and Senior also
    # the demo person's Northwind offer: the same counts as before people counted once.
    assert counts == {
        "mid": ("shown", 12, 6),
        "senior": ("shown", 17, 9),
        "lead-principal": ("shown", 12, 6),
        "director": ("too_few", 3, 3),
    }


def test_no_demo_contributions_outside_development(demo_market, settings, rebuilds):
    settings.COMMUNITY_DEMO_DATA = False
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo contributions not made: COMMUNITY_DEMO_DATA is off" in out.getvalue()
    assert Contribution.objects.count() == 0
    assert rebuilds == []

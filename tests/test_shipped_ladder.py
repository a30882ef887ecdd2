"""The shipped market data: every role's ladder rises in every place, the headline cell stands
near public figures, and an admin edit that would make pay fall with level is refused."""

import datetime
import itertools
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from benchmarks.admin import LevelBasisForm
from benchmarks.lookup import BandQuery, Confidence, band_for, bands_for, ladder_dips
from benchmarks.models import CompanySize, Industry, Level, LevelBasis, Location, Occupation, Role
from benchmarks.seed import national_location

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    call_command("load_market_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_role_rises_level_by_level_in_every_shipped_place(shipped):
    roles = list(Role.objects.select_related("occupation"))
    levels = list(Level.objects.all())
    places = list(Location.objects.all())
    assert len(roles) == 11 and len(levels) == 7 and len(places) > 580

    queries = [
        BandQuery(role, level, place, as_of=datetime.date(2026, 12, 1))
        for place in places
        for role in roles
        for level in levels
    ]
    bands = bands_for(queries)

    falls = []
    for index in range(0, len(queries), len(levels)):
        ladder = bands[index : index + len(levels)]
        assert all(band is not None for band in ladder), queries[index]
        medians = [band.percentiles[50] for band in ladder]
        if any(upper <= lower for lower, upper in itertools.pairwise(medians)):
            falls.append((queries[index].role, queries[index].location, medians))
    assert falls == []
    # At the national level the data rise on their own: nothing there needed lifting.
    assert all(ladder_dips(role, national_location()) == [] for role in roles)


def test_the_headline_cell_is_near_public_crowd_figures(shipped):
    """Senior TPM at a large Seattle software publisher, mid-2025: public crowd figures put
    base pay at roughly $170,000–$230,000."""
    query = BandQuery(
        Role.objects.get(name="Technical Product Manager"),
        Level.objects.get(slug="senior"),
        Location.objects.get(bls_area_code="42660"),
        industry=Industry.objects.get(naics_code="513200"),
        company_size=CompanySize.objects.get(slug="large-enterprise"),
        as_of=datetime.date(2025, 7, 1),
    )

    band = band_for(query)

    # Guide 130,000 · 155,000 · 180,000 × Seattle's Project Management Specialists differentials
    # (25th 97,410 ÷ 78,440 = 1.2418; median 130,380 ÷ 102,320 = 1.2742; 75th 168,460 ÷
    # 133,100 = 1.2657), no industry factor (the guide describes software companies), × 1.05
    # for a large enterprise, × 1.036 ** (18/12) = 1.054483… for 18 months of wage growth:
    # median 155,000 × 1.2742 × 1.05 × 1.054483 = 218,674.5.
    assert band.percentiles[25] == D("178741")  # 130,000 × 1.2418 × 1.05 × 1.054483
    assert band.percentiles[50] == D("218675")
    assert band.percentiles[75] == D("252251")  # 180,000 × 1.2657 × 1.05 × 1.054483
    assert band.confidence == Confidence.ASSUMPTION  # the size factor is assumed


def test_an_admin_edit_that_makes_pay_fall_with_level_is_refused(shipped):
    tpm = Role.objects.get(name="Technical Product Manager")
    director = LevelBasis.objects.get(role=tpm, level__slug="director")
    data = {
        "role": tpm.pk,
        "level": director.level_id,
        "method": "window",
        "occupation": Occupation.objects.get(soc_code="11-3021").pk,
        "window_low": 10,
        "window_high": 25,
        "reason": "Directors at the bottom of the managers' distribution",
        "source": director.source_id,
    }

    form = LevelBasisForm(data, instance=director)

    assert not form.is_valid()
    assert "make pay fall with level for Technical Product Manager" in str(form.errors)
    director.refresh_from_db()
    assert (director.window_low, director.window_high) == (60, 85)  # nothing saved

    data |= {"window_low": 60, "window_high": 85}
    assert LevelBasisForm(data, instance=director).is_valid()


def test_a_basis_with_fields_of_another_method_is_refused(shipped):
    tpm = Role.objects.get(name="Technical Product Manager")
    basis = LevelBasis.objects.get(role=tpm, level__slug="chief")
    form = LevelBasisForm(
        {
            "role": tpm.pk,
            "level": basis.level_id,
            "method": "step",
            "window_low": 10,
            "reason": "x",
            "source": basis.source_id,
        },
        instance=basis,
    )
    assert not form.is_valid()
    assert form.errors["step"] == ["A step over the level below needs this."]
    assert form.errors["window_low"] == ["Leave this empty for a step over the level below."]

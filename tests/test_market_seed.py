"""The market data that ships: the seed (ladder, levels, roles, assumptions) and load_market_data."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from benchmarks import models as market
from benchmarks.models import Band, CompanySize, ExchangeRate, Factor, Level, Location, Role, Source
from benchmarks.seed import seed_market_data
from tests.factories import LevelFactory, OccupationFactory

pytestmark = pytest.mark.django_db

D = Decimal
MODELS = "Band CompanySize ExchangeRate Factor Industry Level Location Occupation Role Source"


def counts() -> dict[str, int]:
    return {name: getattr(market, name).objects.count() for name in MODELS.split()}


def test_the_seed_loads_the_ladder_levels_sizes_and_roles() -> None:
    result = seed_market_data()

    assert result.created["levels"] == 7
    assert [(level.name, level.rank) for level in Level.objects.all()] == [
        ("Entry", 10),
        ("Mid", 20),
        ("Senior", 30),
        ("Lead/Principal", 40),
        ("Director", 50),
        ("VP", 60),
        ("Chief", 70),
    ]
    assert all(level.description for level in Level.objects.all())
    assert list(CompanySize.objects.values_list("name", "rank")) == [
        ("Startup", 10),
        ("Mid-sized", 20),
        ("Large enterprise", 30),
    ]
    roles = dict(Role.objects.values_list("name", "occupation__soc_code"))
    assert roles == {
        "Technical Product Manager": "13-1082",
        "Product Manager": "13-1082",
        "Software Engineer": "15-1252",
        "Data Scientist": "15-2051",
        "Information Security Analyst": "15-1212",
        "Engineering Manager": "11-9041",
        "IT Manager": "11-3021",
        "Web Developer": "15-1254",
        "QA Engineer": "15-1253",
        "Systems Analyst": "15-1211",
        "Project Manager": "13-1082",
    }
    tpm = Role.objects.get(name="Technical Product Manager")
    assert "closest official occupation" in tpm.description
    assert "Admins can change" in tpm.description
    assert "11-2021" in Role.objects.get(name="Product Manager").description


def test_the_tpm_ladder_is_read_as_25th_to_75th_percentiles() -> None:
    seed_market_data()

    guide = Source.objects.get(name="TPM salary guide")
    assert (guide.kind, guide.release, guide.effective_date) == (
        "published",
        "2024",
        datetime.date(2024, 1, 1),
    )
    assert guide.publisher == "TPM salary guide (2024)"
    assert "25th–75th percentile" in guide.notes
    assert "midpoint" in guide.notes
    assert "$80,000–$100,000" in guide.notes  # the FAQ's alternative figures are recorded
    assert "$110,000–$140,000" in guide.notes

    ladder = {
        band.level.name: (band.p10, band.p25, band.p50, band.p75, band.p90)
        for band in Band.objects.filter(source=guide).select_related("level")
    }
    # The midpoint of each range is its median: (70,000 + 95,000) / 2 = 82,500, and so on.
    assert ladder == {
        "Entry": (None, D("70000"), D("82500"), D("95000"), None),
        "Mid": (None, D("95000"), D("112500"), D("130000"), None),
        "Senior": (None, D("130000"), D("155000"), D("180000"), None),
    }
    band = Band.objects.filter(source=guide).select_related("role", "location").first()
    assert band.role.name == "Technical Product Manager"
    assert band.occupation.soc_code == "13-1082"
    assert (band.location.bls_area_code, band.location.kind) == ("99", "nation")
    assert (band.component, band.currency, band.industry, band.company_size) == (
        "base",
        "USD",
        None,
        None,
    )
    assert band.effective_date == datetime.date(2024, 1, 1)


def test_assumed_places_and_sizes_and_no_invented_exchange_rates() -> None:
    seed_market_data()

    assumptions = Source.objects.get(name="OfferBench assumptions")
    assert assumptions.kind == "assumption"
    london = Location.objects.get(name="London")
    berlin = Location.objects.get(name="Berlin")
    assert (london.kind, london.country, london.currency) == ("city", "GB", "GBP")
    assert (berlin.kind, berlin.country, berlin.currency) == ("city", "DE", "EUR")

    places = {
        f.location.name: f
        for f in Factor.objects.filter(kind="location").select_related("location", "source")
    }
    assert places["London"].value == D("0.8000")
    assert places["Berlin"].value == D("0.7000")
    assert places["London"].occupation is None
    assert places["London"].source == assumptions
    assert "below top US markets" in places["London"].basis
    assert "Assumption" in places["Berlin"].basis

    sizes = dict(
        Factor.objects.filter(kind="company_size").values_list("company_size__name", "value")
    )
    assert sizes == {
        "Startup": D("0.9000"),
        "Mid-sized": D("1.0000"),
        "Large enterprise": D("1.0500"),
    }

    # Exchange rates are the ECB's, loaded by load_exchange_rates (tests/test_exchange_rates.py).
    assert not ExchangeRate.objects.exists()


def test_the_seed_runs_twice_and_keeps_admin_edits() -> None:
    seed_market_data()
    before = counts()
    tpm = Role.objects.get(name="Technical Product Manager")
    tpm.occupation = OccupationFactory(soc_code="11-2021", title="Marketing Managers")
    tpm.save()
    london = Factor.objects.get(location__name="London")
    london.value = D("0.8500")
    london.save()

    again = seed_market_data()

    assert again.total == 0
    assert str(again) == "already loaded"
    assert counts() == {**before, "Occupation": before["Occupation"] + 1}
    assert Role.objects.get(name="Technical Product Manager").occupation.soc_code == "11-2021"
    assert Factor.objects.get(location__name="London").value == D("0.8500")


def test_the_seed_fits_levels_made_before_it() -> None:
    LevelFactory(name="Senior", slug="senior", rank=30)
    seed_market_data()
    assert Level.objects.count() == 7


def test_load_market_data_loads_everything_once() -> None:
    out = StringIO()
    call_command("load_market_data", stdout=out)
    first = counts()

    assert first["Band"] == 9592 + 3  # the OEWS extract and the TPM ladder
    assert "9,592 created" in out.getvalue()
    assert "ECB exchange rates on 25 days up to" in out.getvalue()  # the newest and 24 month ends
    # Every role's occupation has a location factor per area with a median, and London and
    # Berlin have theirs: e.g. Seattle for the TPM's 13-1082, 130,380 / 102,320 -> 1.2742.
    seattle = Factor.objects.get(
        kind="location", occupation__soc_code="13-1082", location__bls_area_code="42660"
    )
    assert seattle.value == D("1.2742")
    assert Factor.objects.filter(kind="industry", occupation__soc_code="15-1252").exists()
    assert not Factor.objects.filter(kind="location", occupation__soc_code="00-0000").exists()

    out = StringIO()
    call_command("load_market_data", stdout=out)

    assert counts() == first
    assert "already loaded" in out.getvalue()
    assert "0 location and 0 industry factors" in out.getvalue()

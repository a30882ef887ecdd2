"""Bands for every level: a window of an official distribution, the guide's own ladder, a step
over the level below; factors only for what a band does not describe; aged to the date asked.
Every figure below is worked out by hand in its comment."""

import datetime
from decimal import Decimal as D

import pytest

from benchmarks.lookup import BandQuery, Confidence, band_for, bands_for
from benchmarks.models import LevelBasis, Location
from tests.factories import (
    BacktestFigureFactory,
    BandFactory,
    CompanySizeFactory,
    FactorFactory,
    IndustryFactory,
    LevelBasisFactory,
    LevelFactory,
    LocationFactory,
    OccupationFactory,
    RoleFactory,
    SourceFactory,
    WageGrowthFactory,
    guide_band,
    seattle_metro,
)

pytestmark = pytest.mark.django_db

MAY_2025 = datetime.date(2025, 5, 1)


@pytest.fixture
def seattle():
    return seattle_metro()


@pytest.fixture
def engineer():
    return RoleFactory(
        name="Software Engineer",
        slug="software-engineer",
        occupation=OccupationFactory(soc_code="15-1252", title="Software Developers"),
    )


@pytest.fixture
def senior():
    return LevelFactory(name="Senior", slug="senior", rank=30)


def developers_in_seattle(engineer, seattle, **fields):
    """BLS's Seattle distribution of Software Developers for all levels: 100,000 · 120,000 ·
    150,000 · 190,000 · 240,000 at the 10th, 25th, 50th, 75th and 90th."""
    return BandFactory(
        occupation=engineer.occupation,
        location=seattle,
        p10=D("100000"),
        p25=D("120000"),
        p50=D("150000"),
        p75=D("190000"),
        p90=D("240000"),
        **fields,
    )


def test_a_level_is_a_window_of_the_local_official_distribution(engineer, senior, seattle):
    LevelBasisFactory(role=engineer, level=senior)
    developers_in_seattle(engineer, seattle, employment=92770)

    band = band_for(BandQuery(engineer, senior, seattle, as_of=MAY_2025))

    # Senior's 25th and 75th are the occupation's 50th and 75th; its median the 62.5th:
    # 150,000 + 40,000 × 12.5/25 = 170,000; its 10th the 42.5th: 120,000 + 30,000 × 17.5/25 =
    # 141,000; its 90th the 82.5th: 190,000 + 50,000 × 7.5/15 = 215,000.
    assert dict(band.percentiles) == {
        10: D("141000"),
        25: D("150000"),
        50: D("170000"),
        75: D("190000"),
        90: D("215000"),
    }
    assert band.confidence == Confidence.DERIVED
    assert band.employment == 92770
    assert band.summary == (
        "BLS publishes Software Developers for Seattle-Tacoma-Bellevue, WA for all experience "
        "levels; Senior sits at its 50th–75th percentiles."
    )
    assert band.level_method == LevelBasis.Method.OFFICIAL_WINDOW


def test_location_factors_apply_per_percentile(senior, seattle):
    tpm = RoleFactory()
    guide = SourceFactory(name="TPM salary guide", kind="published", release="2024")
    guide_band(tpm, senior, LocationFactory(), guide)
    FactorFactory(
        occupation=tpm.occupation,
        location=seattle,
        value=D("1.2000"),
        value_p25=D("1.2500"),
        value_p75=D("1.1000"),
    )

    band = band_for(BandQuery(tpm, senior, seattle, as_of=MAY_2025))

    # 130,000 × 1.25 = 162,500; 155,000 × 1.2 = 186,000; 180,000 × 1.1 = 198,000
    assert dict(band.percentiles) == {
        10: None,
        25: D("162500"),
        50: D("186000"),
        75: D("198000"),
        90: None,
    }


@pytest.fixture
def technology_guide(senior):
    """A guide's national Senior band that describes technology companies, and two industries'
    official factors for the role's occupation."""
    tpm = RoleFactory()
    software = IndustryFactory(name="Software Publishers", naics_code="513200")
    finance = IndustryFactory(name="Finance and Insurance", naics_code="52")
    guide = SourceFactory(name="TPM salary guide", kind="published", release="2024")
    guide_band(tpm, senior, LocationFactory(), guide, reference_industry=software)
    FactorFactory(kind="industry", occupation=tpm.occupation, industry=software, value=D("1.2500"))
    FactorFactory(kind="industry", occupation=tpm.occupation, industry=finance, value=D("1.1000"))
    return tpm, software, finance


def test_an_industry_is_measured_from_the_one_the_band_describes(technology_guide, senior):
    tpm, software, finance = technology_guide
    us = Location.objects.get(kind="nation")

    in_software = band_for(BandQuery(tpm, senior, us, industry=software, as_of=MAY_2025))
    in_finance = band_for(BandQuery(tpm, senior, us, industry=finance, as_of=MAY_2025))

    # The guide already describes technology: no software premium on top.
    assert in_software.percentiles[50] == D("155000")
    assert "already describes Software Publishers" in in_software.steps[1].description
    # Finance relative to technology: 1.10 ÷ 1.25 = 0.88; 155,000 × 0.88 = 136,400.
    assert in_finance.percentiles[50] == D("136400")
    assert in_finance.steps[1].description.startswith(
        "× 0.8800 Finance and Insurance relative to Software Publishers (medians 1.1000 ÷ 1.2500)"
    )


def test_bands_are_aged_to_the_date_asked(engineer, seattle):
    WageGrowthFactory(yearly_rate=D("0.0360"))
    BandFactory(occupation=engineer.occupation, location=seattle, p50=D("100000"))

    published = band_for(BandQuery(engineer, None, seattle, as_of=MAY_2025))
    a_year_on = band_for(BandQuery(engineer, None, seattle, as_of=datetime.date(2026, 5, 1)))
    half_a_year_on = band_for(BandQuery(engineer, None, seattle, as_of=datetime.date(2025, 11, 1)))

    assert published.percentiles[50] == D("100000")
    assert published.confidence == Confidence.OFFICIAL_EXACT
    assert published.summary.endswith("Used as published.")
    # 12 months at 3.6% a year: × 1.036.
    assert a_year_on.percentiles[50] == D("103600")
    assert a_year_on.confidence == Confidence.OFFICIAL_AGED
    assert a_year_on.steps[-1].description.startswith(
        "× 1.0360: aged 12 months (May 2025 to May 2026) at 3.6% a year"
    )
    # 6 months: × 1.036 ** 0.5 = 1.017841…; 101,784.09 → 101,784.
    assert half_a_year_on.percentiles[50] == D("101784")


def test_a_level_above_the_data_is_a_stated_step(engineer, senior, seattle):
    vp = LevelFactory(name="VP", slug="vp", rank=60)
    chief = LevelFactory(name="Chief", slug="chief", rank=70)
    LevelBasisFactory(role=engineer, level=senior)
    LevelBasisFactory(role=engineer, level=vp, window_low=75, window_high=90)
    assumptions = SourceFactory(name="OfferBench assumptions", kind="assumption", release="2024")
    LevelBasis.objects.create(
        role=engineer,
        level=chief,
        method=LevelBasis.Method.STEP,
        step=D("1.2500"),
        reason="A chief officer is assumed 25% above a VP",
        source=assumptions,
    )
    developers_in_seattle(engineer, seattle)

    vp_band, chief_band = bands_for(
        [BandQuery(engineer, level, seattle, as_of=MAY_2025) for level in (vp, chief)]
    )

    # VP: median at the 82.5th, 190,000 + 50,000 × 7.5/15 = 215,000; Chief 215,000 × 1.25.
    assert vp_band.percentiles[50] == D("215000")
    assert chief_band.percentiles[50] == D("268750")
    assert chief_band.confidence == Confidence.ASSUMPTION
    assert chief_band.summary.startswith(
        "No data describe Chief on its own: it is taken as 25% above VP, whose band is built "
        "this way: BLS publishes Software Developers"
    )


def test_a_derived_band_says_how_far_such_derivations_land(senior, seattle):
    market_role = RoleFactory()
    official = SourceFactory()
    BandFactory(occupation=market_role.occupation, role=market_role, level=senior, p50=D("100000"))
    FactorFactory(occupation=market_role.occupation, location=seattle, source=official)
    BacktestFigureFactory(source=official, kind="metro", median_error=D("6.30"))

    band = band_for(BandQuery(market_role, senior, seattle, as_of=MAY_2025))

    assert band.typical_error == D("6.30")
    assert band.summary.endswith(
        "Derivations like this typically land within ±6.3% of official figures (back-tested)."
    )


def test_the_size_factor_is_an_assumption_and_says_so(engineer, senior, seattle):
    LevelBasisFactory(role=engineer, level=senior)
    BandFactory(occupation=engineer.occupation, location=seattle)
    large = CompanySizeFactory(name="Large enterprise", rank=30)
    FactorFactory(
        kind="company_size",
        company_size=large,
        value=D("1.0500"),
        source=SourceFactory(name="OfferBench assumptions", kind="assumption", release="2024"),
    )

    band = band_for(BandQuery(engineer, senior, seattle, company_size=large, as_of=MAY_2025))

    assert band.confidence == Confidence.ASSUMPTION
    assert "to Large enterprise companies by a factor (assumed)" in band.summary


def test_a_window_without_a_local_cell_moves_the_national_one_by_the_roles_differential(
    senior, seattle
):
    tpm = RoleFactory()  # stands on its own occupation; Director sits among managers
    director = LevelFactory(name="Director", slug="director", rank=50)
    managers = OccupationFactory(
        soc_code="11-3021", title="Computer and Information Systems Managers"
    )
    LevelBasisFactory(role=tpm, level=director, occupation=managers, window_low=60, window_high=85)
    BandFactory(
        occupation=managers,
        location=LocationFactory(),
        p10=D("100000"),
        p25=D("140000"),
        p50=D("175000"),
        p75=D("220000"),
        p90=D("300000"),
    )
    # No Seattle cell for the managers: the role's own occupation's Seattle differential.
    FactorFactory(occupation=tpm.occupation, location=seattle, value=D("1.2000"))

    band = band_for(BandQuery(tpm, director, seattle, as_of=MAY_2025))

    # National × 1.2: 120,000 · 168,000 · 210,000 · 264,000 · 360,000. Director's 25th at the
    # 60th: 210,000 + 54,000 × 10/25 = 231,600; median at the 72.5th: 210,000 + 54,000 × 22.5/25
    # = 258,600; 75th at the 85th: 264,000 + 96,000 × 10/15 = 328,000; 10th at the 52.5th
    # (60 − 15 × 25/50): 210,000 + 54,000 × 2.5/25 = 215,400; 90th at the 92.5th: beyond the
    # published 90th.
    assert dict(band.percentiles) == {
        10: D("215400"),
        25: D("231600"),
        50: D("258600"),
        75: D("328000"),
        90: None,
    }
    assert band.confidence == Confidence.DERIVED
    assert band.summary.startswith(
        "BLS publishes Computer and Information Systems Managers for the U.S. as a whole for all "
        "experience levels; Director sits at its 60th–85th percentiles; adapted to "
        "Seattle-Tacoma-Bellevue, WA by the official differential of "
    )

"""Band resolution: exact bands, the derivation chain, currency, fallbacks and the query budget."""

import datetime
from decimal import Decimal

import pytest

from benchmarks.lookup import BandQuery, Confidence, band_for, bands_for
from tests.factories import (
    BandFactory,
    CompanySizeFactory,
    ExchangeRateFactory,
    FactorFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    OccupationFactory,
    RoleFactory,
    SourceFactory,
    guide_band,
    seattle_metro,
)

pytestmark = pytest.mark.django_db

D = Decimal
AS_OF = datetime.date(2025, 12, 1)


@pytest.fixture
def tpm():
    return RoleFactory()


@pytest.fixture
def senior():
    return LevelFactory(name="Senior", rank=30)


@pytest.fixture
def us():
    return LocationFactory()


@pytest.fixture
def seattle():
    return seattle_metro()


@pytest.fixture
def london():
    return LocationFactory(name="London", kind="city", country="GB", currency="GBP")


@pytest.fixture
def official():
    return SourceFactory()


@pytest.fixture
def guide():
    return SourceFactory(
        name="TPM salary guide",
        kind="published",
        publisher="A careers site",
        release="2024",
        effective_date=datetime.date(2024, 6, 1),
    )


@pytest.fixture
def assumed():
    return SourceFactory(
        name="OfferBench assumptions",
        kind="assumption",
        publisher="OfferBench",
        release="2025",
        effective_date=datetime.date(2025, 1, 1),
    )


@pytest.fixture
def national_senior(tpm, senior, us, guide):
    """The guide's senior range, 130,000–180,000, read as 25th–75th with the midpoint as median."""
    return guide_band(tpm, senior, us, guide)


def query(role, level, location, **kwargs):
    return BandQuery(role=role, level=level, location=location, as_of=AS_OF, **kwargs)


def test_exact_band_wins_over_a_derived_one(tpm, senior, seattle, national_senior, official):
    FactorFactory(location=seattle, occupation=tpm.occupation, value=D("1.2"), source=official)
    BandFactory(
        occupation=tpm.occupation,
        role=tpm,
        level=senior,
        location=seattle,
        source=national_senior.source,
        p50=D("170000"),
        p75=D("190000"),
        p90=D("210000"),
    )

    band = band_for(query(tpm, senior, seattle))

    assert band.percentiles[50] == D("170000")
    assert list(band.percentiles) == [10, 25, 50, 75, 90]
    assert band.currency == "USD"
    assert len(band.steps) == 1
    assert band.steps[0].description == (
        "Seattle-Tacoma-Bellevue, WA band for Technical Product Manager, Senior "
        "(TPM salary guide, 2024)"
    )
    # A guide's exact cell is not official statistics.
    assert band.confidence == Confidence.DERIVED
    assert band.label == "Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA"


def test_official_exact_band_is_labelled_official(tpm, seattle, official):
    BandFactory(occupation=tpm.occupation, location=seattle, source=official, p50=D("120000"))

    band = band_for(query(tpm, None, seattle))

    assert band.confidence == Confidence.OFFICIAL_EXACT
    assert band.percentiles == {
        10: D("80000"),
        25: D("90000"),
        50: D("120000"),
        75: D("130000"),
        90: D("150000"),
    }
    assert band.steps[0].source == "BLS Occupational Employment and Wage Statistics, May 2025"
    assert band.steps[0].effective_date == datetime.date(2025, 5, 1)
    assert band.effective_date == datetime.date(2025, 5, 1)


def test_assumption_exact_band_is_labelled_assumption(tpm, senior, us, assumed):
    BandFactory(occupation=tpm.occupation, role=tpm, level=senior, location=us, source=assumed)

    assert band_for(query(tpm, senior, us)).confidence == Confidence.ASSUMPTION


def test_newest_band_on_or_before_the_date_wins_and_future_bands_are_ignored(tpm, us, official):
    newer = SourceFactory(release="May 2026", effective_date=datetime.date(2026, 5, 1))
    future = SourceFactory(release="May 2030", effective_date=datetime.date(2030, 5, 1))
    for source, median in ((official, "110000"), (newer, "115000"), (future, "125000")):
        BandFactory(occupation=tpm.occupation, location=us, source=source, p50=D(median))

    def median_on(day):
        return band_for(BandQuery(role=tpm, level=None, location=us, as_of=day)).percentiles[50]

    assert median_on(datetime.date(2025, 12, 31)) == D("110000")
    assert median_on(datetime.date(2026, 5, 1)) == D("115000")
    assert median_on(datetime.date(2029, 1, 1)) == D("115000")
    before_any = BandQuery(role=tpm, level=None, location=us, as_of=datetime.date(2025, 4, 30))
    assert band_for(before_any) is None
    # Without a date, "today": the 2030 band has not started yet.
    assert band_for(BandQuery(role=tpm, level=None, location=us)).percentiles[50] == D("115000")


def test_derives_national_times_location_industry_and_size(
    tpm, senior, seattle, national_senior, official
):
    finance = IndustryFactory(name="Finance and Insurance", naics_code="52")
    large = CompanySizeFactory(name="Large enterprise", rank=30)
    FactorFactory(
        location=seattle,
        occupation=tpm.occupation,
        value=D("1.2000"),
        basis="median 117,000 ÷ U.S. median 97,500",
        source=official,
    )
    FactorFactory(kind="industry", industry=finance, value=D("1.1000"), source=official)
    FactorFactory(kind="company_size", company_size=large, value=D("1.0500"), source=official)

    band = band_for(query(tpm, senior, seattle, industry=finance, company_size=large))

    # 155,000 × 1.2 × 1.1 × 1.05 = 214,830; 130,000 × 1.386 = 180,180; 180,000 × 1.386 = 249,480
    assert band.percentiles == {
        10: None,
        25: D("180180"),
        50: D("214830"),
        75: D("249480"),
        90: None,
    }
    assert [step.description for step in band.steps] == [
        "U.S. national band for Technical Product Manager, Senior (TPM salary guide, 2024)",
        "× 1.2000 Seattle-Tacoma-Bellevue, WA differential; median 117,000 ÷ U.S. median 97,500",
        "× 1.1000 industry factor for Finance and Insurance (all occupations)",
        "× 1.0500 company-size factor for Large enterprise",
    ]
    assert [step.factor for step in band.steps[1:]] == [D("1.2"), D("1.1"), D("1.05")]
    assert band.confidence == Confidence.DERIVED
    assert band.effective_date == datetime.date(2025, 5, 1)  # the factors are newer than the guide
    assert band.label == (
        "Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA · "
        "Finance and Insurance · Large enterprise"
    )


def test_location_and_industry_give_the_median_from_the_brief(
    tpm, senior, seattle, national_senior, official
):
    finance = IndustryFactory(name="Finance and Insurance", naics_code="52")
    FactorFactory(location=seattle, value=D("1.2"), source=official)
    FactorFactory(kind="industry", industry=finance, value=D("1.1"), source=official)

    band = band_for(query(tpm, senior, seattle, industry=finance))

    assert band.percentiles[50] == D("204600")  # 155,000 × 1.2 × 1.1


def test_the_occupations_own_location_factor_beats_the_all_occupations_one(
    tpm, senior, seattle, national_senior, official
):
    FactorFactory(location=seattle, occupation=None, value=D("1.1"), source=official)
    FactorFactory(location=seattle, occupation=tpm.occupation, value=D("1.2"), source=official)

    band = band_for(query(tpm, senior, seattle))

    assert band.percentiles[50] == D("186000")
    assert "(all occupations)" not in band.steps[1].description


def test_newest_factor_on_or_before_the_date_wins(tpm, senior, seattle, national_senior, official):
    later = SourceFactory(release="May 2026", effective_date=datetime.date(2026, 5, 1))
    FactorFactory(location=seattle, value=D("1.2"), source=official)
    FactorFactory(location=seattle, value=D("1.3"), source=later)

    assert band_for(query(tpm, senior, seattle)).percentiles[50] == D("186000")


def test_converts_currency_for_a_place_abroad(tpm, senior, london, national_senior, assumed):
    FactorFactory(location=london, value=D("0.8000"), source=assumed, basis="")
    ExchangeRateFactory(currency="GBP", units_per_usd=D("0.79"), date=datetime.date(2025, 11, 1))
    # A newer rate than the lookup's date is not used.
    ExchangeRateFactory(currency="GBP", units_per_usd=D("0.5"), date=datetime.date(2026, 1, 1))

    band = band_for(query(tpm, senior, london))

    # 155,000 × 0.80 × 0.79 = 97,960; 130,000 × 0.632 = 82,160; 180,000 × 0.632 = 113,760
    assert band.currency == "GBP"
    assert band.percentiles[50] == D("97960")
    assert band.percentiles[25] == D("82160")
    assert band.percentiles[75] == D("113760")
    assert band.steps[-1].description == "Converted to GBP at 0.79 per USD (rate of 2025-11-01)"
    assert band.steps[-1].effective_date == datetime.date(2025, 11, 1)
    # The London factor and the rate are both assumptions.
    assert band.confidence == Confidence.ASSUMPTION
    assert band.effective_date == datetime.date(2025, 11, 1)


def test_a_rate_keeps_all_its_decimal_places(tpm, senior, london, national_senior, assumed):
    FactorFactory(location=london, value=D("1"), source=assumed)
    ExchangeRateFactory(currency="GBP", units_per_usd=D("0.786543"))

    band = band_for(query(tpm, senior, london))

    assert band.percentiles[50] == D("121914")  # 155,000 × 0.786543 = 121,914.165
    assert band.steps[-1].factor == D("0.786543")


def test_asked_currency_overrides_the_places_currency(
    tpm, senior, london, national_senior, assumed
):
    FactorFactory(location=london, value=D("0.8"), source=assumed)

    band = band_for(query(tpm, senior, london, currency="USD"))

    assert band.currency == "USD"
    assert band.percentiles[50] == D("124000")


def test_converts_a_band_held_in_another_currency_back_to_dollars(tpm, senior, london, assumed):
    BandFactory(
        occupation=tpm.occupation,
        role=tpm,
        level=senior,
        location=london,
        currency="GBP",
        source=assumed,
        p50=D("100000"),
    )
    ExchangeRateFactory(currency="GBP", units_per_usd=D("0.8"))

    band = band_for(query(tpm, senior, london, currency="USD"))

    assert band.percentiles[50] == D("125000")
    assert band.steps[-1].description == (
        "Converted to USD at 0.8 GBP per USD (rate of 2025-11-01)"
    )


def test_no_exchange_rate_means_no_band_rather_than_the_wrong_currency(
    tpm, senior, london, national_senior, assumed
):
    FactorFactory(location=london, value=D("0.8"), source=assumed)

    assert band_for(query(tpm, senior, london)) is None


def test_a_countrys_own_national_band_comes_before_the_us_one(
    tpm, senior, london, national_senior, assumed
):
    uk = LocationFactory(
        name="United Kingdom", kind="nation", country="GB", currency="GBP", bls_area_code=""
    )
    BandFactory(
        occupation=tpm.occupation,
        role=tpm,
        level=senior,
        location=uk,
        currency="GBP",
        source=assumed,
        p50=D("90000"),
    )
    FactorFactory(location=london, value=D("1.1"), source=assumed)

    band = band_for(query(tpm, senior, london))

    assert band.percentiles[50] == D("99000")
    assert band.steps[0].description.startswith("United Kingdom national band for")


def test_missing_factor_is_a_step_and_an_assumption(
    tpm, senior, seattle, national_senior, official
):
    finance = IndustryFactory(name="Finance and Insurance", naics_code="52")
    FactorFactory(location=seattle, value=D("1.2"), source=official)

    band = band_for(query(tpm, senior, seattle, industry=finance))

    assert band.percentiles[50] == D("186000")
    assert (
        band.steps[-1].description == "No industry factor for Finance and Insurance; not adjusted"
    )
    assert band.steps[-1].factor is None
    assert band.steps[-1].is_assumption
    assert band.confidence == Confidence.ASSUMPTION


def test_missing_location_factor_leaves_the_national_band_unadjusted(
    tpm, senior, seattle, national_senior
):
    band = band_for(query(tpm, senior, seattle))

    assert band.percentiles[50] == D("155000")
    assert band.steps[-1].description == (
        "No location factor for Seattle-Tacoma-Bellevue, WA; not adjusted"
    )


def test_industry_band_at_the_place_is_used_without_an_industry_factor(tpm, us, official):
    software = IndustryFactory()
    BandFactory(occupation=tpm.occupation, location=us, source=official, p50=D("100000"))
    BandFactory(
        occupation=tpm.occupation, location=us, industry=software, source=official, p50=D("130000")
    )

    band = band_for(query(tpm, None, us, industry=software))

    assert band.percentiles[50] == D("130000")
    assert band.confidence == Confidence.OFFICIAL_EXACT


def test_falls_back_to_the_official_all_levels_band_when_no_level_band_exists(
    seattle, official, senior
):
    engineer = RoleFactory(name="Software Engineer", occupation=OccupationFactory())
    BandFactory(
        occupation=engineer.occupation,
        location=seattle,
        source=official,
        p50=D("170000"),
        p75=D("200000"),
        p90=D("230000"),
    )

    band = band_for(query(engineer, senior, seattle))

    # Nothing places Senior in the occupation's distribution: the band of all levels, said so
    # and never called exact for a level it does not describe.
    assert band.percentiles[50] == D("170000")
    assert [step.description for step in band.steps] == [
        "Nothing says where Senior stands for Software Engineer: this is the band for all "
        "experience levels",
        "Seattle-Tacoma-Bellevue, WA band for Software Developers, all experience levels "
        "(BLS Occupational Employment and Wage Statistics, May 2025)",
    ]
    assert band.steps[0].source == ""
    assert band.steps[0].is_assumption
    assert band.label == "Software Engineer · Senior · Seattle-Tacoma-Bellevue, WA"
    assert band.confidence == Confidence.ASSUMPTION

    all_levels = band_for(query(engineer, None, seattle))
    assert all_levels.confidence == Confidence.OFFICIAL_EXACT
    assert all_levels.label == "Software Engineer · all levels · Seattle-Tacoma-Bellevue, WA"


def test_a_director_is_never_paid_less_than_a_senior(tpm, us, seattle, official, national_senior):
    director = LevelFactory(name="Director", rank=50)
    BandFactory(occupation=tpm.occupation, location=us, source=official, p50=D("100000"))
    FactorFactory(location=seattle, occupation=tpm.occupation, value=D("1.25"), source=official)

    band = band_for(query(tpm, director, seattle))

    # The all-levels band would say 100,000 × 1.25 = 125,000, below Senior's 155,000 × 1.25 =
    # 193,750; the ladder rises, so Director is lifted to 193,750 × 1.05 = 203,437.5 → 203,438.
    assert band.percentiles[50] == D("203438")
    assert band.steps[0].description == (
        "Nothing says where Director stands for Technical Product Manager: this is the band for "
        "all experience levels"
    )
    assert band.steps[1].description.startswith("U.S. national band for Project Management")
    assert band.steps[-1].description == (
        "× 1.6275: here the data put Director's median at or below Senior's; lifted to 5% above "
        "it, so pay rises with level"
    )
    assert band.confidence == Confidence.ASSUMPTION


def test_no_data_at_all_gives_none(tpm, senior, seattle):
    assert band_for(query(tpm, senior, seattle)) is None


def test_other_components_are_not_mixed_in(tpm, senior, us, national_senior):
    assert band_for(query(tpm, senior, us, component="total_comp")) is None


def test_position_places_an_amount_in_the_band(tpm, senior, us, national_senior):
    band = band_for(query(tpm, senior, us))

    assert band.position(D("167500")).label == "62nd percentile"  # 50 + 25 × 12,500 / 25,000
    assert band.position(D("120000")).label == "below the 25th percentile"


# The query budget --------------------------------------------------------------------------


@pytest.fixture
def many_bands(tpm, senior, us, official, guide, assumed):
    """Hundreds of bands, factors and rates, so a per-row query would show."""
    places = [
        LocationFactory(name=f"Metro {n}", kind="metro", bls_area_code=f"{10000 + n}")
        for n in range(120)
    ]
    places += [
        LocationFactory(name=f"City {n}", kind="city", country="GB", currency="GBP")
        for n in range(5)
    ]
    for place in places:
        BandFactory(occupation=tpm.occupation, location=place, source=official)
        FactorFactory(location=place, occupation=tpm.occupation, source=official)
        FactorFactory(location=place, source=official)
    for place in places[:60]:
        BandFactory(occupation=tpm.occupation, role=tpm, level=senior, location=place, source=guide)
    BandFactory(occupation=tpm.occupation, role=tpm, level=senior, location=us, source=guide)
    BandFactory(occupation=tpm.occupation, location=us, source=official)
    for n in range(12):
        ExchangeRateFactory(units_per_usd=D("0.79"), date=datetime.date(2025, n + 1, 1))
    return places


def test_one_lookup_costs_seven_queries_then_one_when_repeated(
    tpm, senior, many_bands, django_assert_num_queries
):
    industry = IndustryFactory()
    FactorFactory(kind="industry", industry=industry, source=SourceFactory())
    asked = query(tpm, senior, many_bands[-1], industry=industry)
    # The stamp, the level bases, the candidate bands, the factors, rates, wage growth and
    # back-test figures.
    with django_assert_num_queries(7):
        band = band_for(asked)
    assert band is not None
    assert band.currency == "GBP"
    with django_assert_num_queries(1):  # only the stamp: nothing changed since
        assert band_for(asked) == band


def test_twenty_lookups_cost_at_most_seven_queries(
    tpm, senior, many_bands, django_assert_max_num_queries
):
    director = LevelFactory(name="Director", rank=50)
    queries = [
        query(tpm, level, place, component=component)
        for place in many_bands[55:60] + many_bands[-2:]
        for level in (senior, director)
        for component in ("base", "total_comp")
    ][:20]
    assert len(queries) == 20

    with django_assert_max_num_queries(7):
        bands = bands_for(queries)

    assert len(bands) == 20
    assert [b is not None for b in bands] == [q.component == "base" for q in queries]
    assert bands[0].label == "Technical Product Manager · Senior · Metro 55"


def test_no_queries_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bands_for([]) == []


def test_an_exact_band_is_given_in_whole_units(tpm, us, official):
    BandFactory(occupation=tpm.occupation, location=us, source=official, p50=D("110000.50"))

    band = band_for(query(tpm, None, us))

    assert band.percentiles[50] == D("110001")
    assert band.percentiles[10] == D("80000")


def test_a_roles_bands_follow_it_when_an_admin_changes_its_occupation(
    tpm, senior, us, national_senior
):
    tpm.occupation = OccupationFactory(soc_code="15-1299", title="Computer Occupations, All Other")
    tpm.save()
    national_senior.refresh_from_db()
    assert national_senior.occupation_id == tpm.occupation_id
    band = band_for(query(tpm, senior, us))
    assert band.percentiles[50] == Decimal("155000")

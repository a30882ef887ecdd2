import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# Market data -------------------------------------------------------------------------------


class OccupationFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Occupation"
        django_get_or_create = ("soc_code",)

    soc_code = "15-1252"
    title = "Software Developers"


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Role"
        django_get_or_create = ("slug",)

    name = "Technical Product Manager"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    occupation = factory.SubFactory(
        OccupationFactory, soc_code="13-1082", title="Project Management Specialists"
    )


class LevelFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Level"
        django_get_or_create = ("slug",)

    name = "Senior"
    slug = factory.LazyAttribute(lambda o: o.name.lower())
    rank = 30


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Location"
        django_get_or_create = ("name", "kind", "country")

    name = "U.S."
    kind = "nation"
    country = "US"
    currency = "USD"
    bls_area_code = factory.LazyAttribute(lambda o: "99" if o.kind == "nation" else "")


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Industry"
        django_get_or_create = ("naics_code",)

    name = "Software Publishers"
    naics_code = "513200"


class CompanySizeFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.CompanySize"
        django_get_or_create = ("slug",)

    name = "Large enterprise"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    rank = 30


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Source"
        django_get_or_create = ("name", "release")

    name = "BLS Occupational Employment and Wage Statistics"
    kind = "official"
    publisher = "U.S. Bureau of Labor Statistics"
    release = "May 2025"
    effective_date = datetime.date(2025, 5, 1)


class BandFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Band"

    occupation = factory.SubFactory(OccupationFactory)
    location = factory.SubFactory(LocationFactory)
    component = "base"
    currency = "USD"
    p10 = Decimal("80000")
    p25 = Decimal("90000")
    p50 = Decimal("110000")
    p75 = Decimal("130000")
    p90 = Decimal("150000")
    source = factory.SubFactory(SourceFactory)
    effective_date = factory.LazyAttribute(lambda o: o.source.effective_date)


class FactorFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.Factor"

    kind = "location"
    value = Decimal("1.2000")
    source = factory.SubFactory(SourceFactory)
    effective_date = factory.LazyAttribute(lambda o: o.source.effective_date)


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.ExchangeRate"

    currency = "GBP"
    units_per_usd = Decimal("0.800000")
    date = datetime.date(2025, 11, 1)
    source = factory.SubFactory(
        SourceFactory, name="Exchange rates", kind="assumption", release="2025-11"
    )


# Offers -----------------------------------------------------------------------------------


class OfferFactory(DjangoModelFactory):
    """The issue's reference package: a Senior TPM in Seattle."""

    class Meta:
        model = "offers.Offer"

    owner = factory.SubFactory(UserFactory)
    company = factory.Sequence(lambda n: f"Company {n}")
    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    location = factory.SubFactory(LocationFactory)
    currency = "USD"
    base_salary = Decimal("165000")
    bonus_type = "percent"
    bonus_percent = Decimal("15")
    sign_on_year1 = Decimal("30000")
    equity_kind = "rsu"
    equity_grant_value = Decimal("200000")
    vesting_schedule = "back_loaded_5_15_40_40"
    retirement_match_percent = Decimal("6")
    retirement_match_rate_percent = Decimal("50")


def _offer_snapshot(offer):
    from offers.models import offer_snapshot  # imported here so this block stays append-only

    return offer_snapshot(offer)


def _in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = "offers.Round"

    offer = factory.SubFactory(OfferFactory)
    number = factory.Sequence(lambda n: n + 1)
    label = "Their answer"
    who = "company"
    snapshot = factory.LazyAttribute(lambda o: _offer_snapshot(o.offer))


class ShareLinkFactory(DjangoModelFactory):
    """A link to a comparison of two of the owner's offers, valid for a week."""

    class Meta:
        model = "offers.ShareLink"

    owner = factory.SubFactory(UserFactory)
    currency = "USD"
    offer_ids = factory.LazyAttribute(
        lambda o: [OfferFactory(owner=o.owner).pk, OfferFactory(owner=o.owner).pk]
    )
    expires_at = factory.LazyFunction(_in_a_week)


def seattle_metro():
    """Seattle-Tacoma-Bellevue, WA: a metro area of the BLS's survey."""
    return LocationFactory(
        name="Seattle-Tacoma-Bellevue, WA", kind="metro", bls_area_code="42660", state_code="WA"
    )


def guide_band(role, level, location, source, **fields):
    """A salary guide's range for ``role`` at ``level``, 130,000–180,000, read as the 25th–75th
    with the midpoint, 155,000, as the median; no 10th or 90th."""
    return BandFactory(
        occupation=role.occupation,
        role=role,
        level=level,
        location=location,
        source=source,
        p10=None,
        p25=Decimal("130000"),
        p50=Decimal("155000"),
        p75=Decimal("180000"),
        p90=None,
        **fields,
    )


def seattle_senior_tpm_market() -> dict:
    """The market most tests stand on: a guide's U.S. Senior TPM band (25th 130,000, median
    155,000, 75th 180,000) and a Seattle location factor of 1.2, so Seattle's derived band is
    156,000 · 186,000 · 216,000."""
    role = RoleFactory()
    senior = LevelFactory()
    nation = LocationFactory()
    seattle = seattle_metro()
    guide = SourceFactory(
        name="TPM salary guide",
        kind="published",
        publisher="A careers site",
        release="2024",
        effective_date=datetime.date(2024, 1, 1),
    )
    guide_band(role, senior, nation, guide)
    FactorFactory(
        kind="location",
        occupation=role.occupation,
        location=seattle,
        value=Decimal("1.2000"),
        basis="median 117,000 ÷ U.S. median 97,500",
    )
    return {"role": role, "level": senior, "nation": nation, "seattle": seattle}


class BacktestFigureFactory(DjangoModelFactory):
    """Metro bands derived from the release's factors: typically within ±4%, 9 in 10 within ±8.8%."""

    class Meta:
        model = "benchmarks.BacktestFigure"
        django_get_or_create = ("source", "kind")

    source = factory.SubFactory(SourceFactory)
    kind = "metro"
    cells = 3
    median_error = Decimal("4.00")
    p90_error = Decimal("8.80")
    computed_on = datetime.date(2025, 6, 1)


class LevelBasisFactory(DjangoModelFactory):
    """Senior at the 50th–75th percentiles of an occupation's distribution."""

    class Meta:
        model = "benchmarks.LevelBasis"

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    method = "window"
    occupation = factory.LazyAttribute(lambda o: o.role.occupation)
    window_low = 50
    window_high = 75
    reason = "Senior sits above the median"
    source = factory.SubFactory(
        SourceFactory,
        name="Level placement in official wage distributions",
        kind="published",
        publisher="U.S. Department of Labor, Employment and Training Administration",
        release="2009 method",
        effective_date=datetime.date(2009, 11, 1),
    )


class WageGrowthFactory(DjangoModelFactory):
    class Meta:
        model = "benchmarks.WageGrowth"

    yearly_rate = Decimal("0.0360")
    effective_date = datetime.date(2024, 1, 1)
    basis = "BLS Employment Cost Index"
    source = factory.SubFactory(
        SourceFactory,
        name="BLS Employment Cost Index",
        release="September 2025",
        effective_date=datetime.date(2025, 9, 30),
    )


# This site's market data: contributions and community bands.
class ContributionFactory(DjangoModelFactory):
    """A Senior TPM's offer in the U.S.: $165,000 base, a 15% target bonus ($24,750), $50,000 of
    equity a year, and plausible totals (set here, not computed)."""

    class Meta:
        model = "benchmarks.Contribution"

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    location = factory.SubFactory(LocationFactory)
    company_key = factory.Sequence(lambda n: f"{n:064x}")
    # Each its own person unless a test says otherwise.
    contributor_key = factory.Sequence(lambda n: f"person-{n}")
    offered_in = datetime.date(2026, 1, 1)
    currency = "USD"
    base = Decimal("165000")
    target_bonus = Decimal("24750")
    yearly_equity = Decimal("50000")
    first_year_total = Decimal("229700")
    average_yearly_total = Decimal("239750")


class CommunityBandFactory(DjangoModelFactory):
    """A shown cell of total compensation from 12 contributions of 6 companies."""

    class Meta:
        model = "benchmarks.CommunityBand"

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    location = factory.SubFactory(LocationFactory)
    component = "total_comp"
    currency = "USD"
    status = "shown"
    p10 = Decimal("180000")
    p25 = Decimal("205000")
    p50 = Decimal("231000")
    p75 = Decimal("262000")
    p90 = Decimal("290000")
    contributions = 12
    companies = 6
    earliest = datetime.date(2025, 3, 1)
    latest = datetime.date(2026, 1, 1)
    as_of = datetime.date(2026, 2, 1)
    built_at = factory.LazyFunction(timezone.now)


def bound_form(offer, **changes):
    """The offer form bound to ``offer``'s own data with ``changes`` made (None leaves a field
    out), for a new offer of the same owner."""
    from offers.forms import OfferForm
    from offers.models import Offer
    from tests.offer_form_data import offer_form_data

    data = offer_form_data(offer)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return OfferForm(data=data, instance=Offer(owner=offer.owner))

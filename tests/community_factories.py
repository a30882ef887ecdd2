"""Factories for this site's market data (contributions and community bands), beside the others
in tests/factories.py until they move there."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories import LevelFactory, LocationFactory, RoleFactory


class ContributionFactory(DjangoModelFactory):
    """A Senior TPM's offer in the U.S.: $165,000 base, a 15% target bonus ($24,750), $50,000 of
    equity a year, and plausible totals (set here, not computed)."""

    class Meta:
        model = "benchmarks.Contribution"

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    location = factory.SubFactory(LocationFactory)
    company_key = factory.Sequence(lambda n: f"{n:064x}")
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

"""The market data that ships besides the BLS OEWS extract, loaded idempotently.

Everything here is keyed on natural keys and created only when missing: running it again
changes nothing, and values an admin has edited since (a role's occupation, a factor, a rate)
are left as they are.

Sources of the figures:
- the TPM salary ladder of the project's source material (PRODUCT.md), read as percentiles;
- assumptions for London, Berlin and company sizes, from the same material's qualitative
  statements ("pay competitively but below top US markets", "large enterprises pay higher
  fixed salaries", "startups pay lower base").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from benchmarks.models import (
    Band,
    CompanySize,
    Factor,
    Level,
    Location,
    Occupation,
    Role,
    Source,
)

__all__ = ["SeedResult", "national_location", "seed_market_data"]

LEVELS = [
    ("Entry", "entry", 10, "Early career: up to about 3 years of experience."),
    ("Mid", "mid", 20, "About 3–7 years of experience; owns work end to end."),
    ("Senior", "senior", 30, "Leads large programs across teams; mentors others."),
    ("Lead/Principal", "lead-principal", 40, "Sets technical or program direction across an area."),
    ("Director", "director", 50, "Leads a function or a group of teams through managers."),
    ("VP", "vp", 60, "Leads a whole department; answers to the executive team."),
    ("Chief", "chief", 70, "Executive officer (e.g. Chief Product Officer)."),
]

COMPANY_SIZES = [
    (
        "Startup",
        "startup",
        10,
        "Lower base salary with potentially large (illiquid) equity.",
    ),
    ("Mid-sized", "mid-sized", 20, "Balances salary and growth."),
    (
        "Large enterprise",
        "large-enterprise",
        30,
        "Higher fixed salaries, structured bonuses and extensive benefits.",
    ),
]

# SOC code -> BLS title, for the occupations the shipped roles stand on.
OCCUPATIONS = {
    "13-1082": "Project Management Specialists",
    "15-1252": "Software Developers",
    "15-2051": "Data Scientists",
    "15-1212": "Information Security Analysts",
    "11-9041": "Architectural and Engineering Managers",
    "11-3021": "Computer and Information Systems Managers",
    "15-1254": "Web Developers",
    "15-1253": "Software Quality Assurance Analysts and Testers",
    "15-1211": "Computer Systems Analysts",
}

_ADMIN_CAN_CHANGE = "Admins can change the occupation in the admin."
ROLES = [
    (
        "Technical Product Manager",
        "13-1082",
        "BLS publishes no occupation for product managers. Project Management Specialists "
        "(13-1082) is the closest official occupation to a TPM's cross-team program work, so "
        f"its data gives the location and industry factors. {_ADMIN_CAN_CHANGE}",
    ),
    (
        "Product Manager",
        "13-1082",
        "BLS publishes no occupation for product managers. Marketing Managers (11-2021) would "
        "measure marketing leadership instead, so, like Technical Product Manager, this role "
        "stands on Project Management Specialists (13-1082), the closest official occupation. "
        f"{_ADMIN_CAN_CHANGE}",
    ),
    ("Software Engineer", "15-1252", "Official occupation: Software Developers (15-1252)."),
    ("Data Scientist", "15-2051", "Official occupation: Data Scientists (15-2051)."),
    (
        "Information Security Analyst",
        "15-1212",
        "Official occupation: Information Security Analysts (15-1212).",
    ),
    (
        "Engineering Manager",
        "11-9041",
        "Official occupation: Architectural and Engineering Managers (11-9041).",
    ),
    (
        "IT Manager",
        "11-3021",
        "Official occupation: Computer and Information Systems Managers (11-3021).",
    ),
    ("Web Developer", "15-1254", "Official occupation: Web Developers (15-1254)."),
    (
        "QA Engineer",
        "15-1253",
        "Official occupation: Software Quality Assurance Analysts and Testers (15-1253).",
    ),
    ("Systems Analyst", "15-1211", "Official occupation: Computer Systems Analysts (15-1211)."),
    (
        "Project Manager",
        "13-1082",
        "Official occupation: Project Management Specialists (13-1082).",
    ),
]

TPM_GUIDE = {
    "name": "TPM salary guide",
    "release": "2024",
    "kind": Source.Kind.PUBLISHED,
    "publisher": "OfferBench source material",
    "effective_date": date(2024, 1, 1),
    "notes": (
        "Typical U.S. base salary of technical product managers by level: entry $70,000–"
        "$95,000, mid (3–7 years) $95,000–$130,000, senior $130,000–$180,000 or more. Reading: "
        '"typically earn X to Y" is taken as the 25th–75th percentile of base salary, with the '
        "median at the midpoint; the 10th and 90th percentiles are not given. This is an "
        "assumption. The same source's FAQ gives other figures, recorded here but not used: "
        "entry $80,000–$100,000, senior $150,000–$180,000+, and an overall 2024 average of "
        "$110,000–$140,000. Above senior (Director, VP, Chief Product Officer) it says only "
        '"significantly higher".'
    ),
}
# Level slug -> (25th, median, 75th), U.S. national base salary in USD.
TPM_LADDER = {
    "entry": (Decimal(70_000), Decimal(82_500), Decimal(95_000)),
    "mid": (Decimal(95_000), Decimal(112_500), Decimal(130_000)),
    "senior": (Decimal(130_000), Decimal(155_000), Decimal(180_000)),
}

ASSUMPTIONS = {
    "name": "OfferBench assumptions",
    "release": "2024",
    "kind": Source.Kind.ASSUMPTION,
    "publisher": "OfferBench",
    "effective_date": date(2024, 1, 1),
    "notes": (
        "Factors OfferBench assumes where no official figures exist, from the qualitative "
        "statements of its source material. London and Berlin 'pay competitively but below top "
        "US markets': London 0.80 and Berlin 0.70 of the U.S. national level (before currency "
        "conversion). Company size: 'large enterprises pay higher fixed salaries', 'mid-sized "
        "companies balance salary and growth', 'startups pay lower base with potentially large "
        "equity': Startup 0.90, Mid-sized 1.00, Large enterprise 1.10. Admins can edit them."
    ),
}
CITY_FACTORS = [
    # name, country, currency, factor relative to U.S. national
    ("London", "GB", "GBP", Decimal("0.8000")),
    ("Berlin", "DE", "EUR", Decimal("0.7000")),
]
_CITY_BASIS = (
    "Assumption: PRODUCT.md says London and Berlin pay competitively but below top US "
    "markets; {value} × the U.S. national level."
)
SIZE_FACTORS = {
    "startup": Decimal("0.9000"),
    "mid-sized": Decimal("1.0000"),
    "large-enterprise": Decimal("1.1000"),
}
_SIZE_BASIS = (
    "Assumption from PRODUCT.md's qualitative statements (startups pay lower base, mid-sized "
    "companies balance salary and growth, large enterprises pay higher fixed salaries)."
)


@dataclass(frozen=True)
class SeedResult:
    """How many rows of each kind were created (0 everywhere on a second run)."""

    created: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def __str__(self) -> str:
        if not self.total:
            return "already loaded"
        return ", ".join(f"{n} {name}" for name, n in self.created.items() if n) + " created"


_NATION = {"name": "U.S.", "kind": Location.Kind.NATION, "country": "US", "currency": "USD"}


def national_location() -> Location:
    """The U.S. as a whole (BLS area 99), created if missing."""
    return Location.objects.get_or_create(bls_area_code="99", defaults=_NATION)[0]


@transaction.atomic
def seed_market_data() -> SeedResult:
    """Create whatever of the shipped levels, sizes, roles, sources, bands, factors and rates is missing."""
    created: Counter[str] = Counter()

    def ensure(model: type[models.Model], defaults: dict[str, Any] | None = None, **key: Any):
        obj, was_created = model.objects.get_or_create(**key, defaults=defaults or {})
        created[str(model._meta.verbose_name_plural)] += was_created
        return obj

    levels = {
        slug: ensure(Level, {"name": name, "rank": rank, "description": text}, slug=slug)
        for name, slug, rank, text in LEVELS
    }
    sizes = {
        slug: ensure(CompanySize, {"name": name, "rank": rank, "description": text}, slug=slug)
        for name, slug, rank, text in COMPANY_SIZES
    }
    occupations = {
        code: ensure(Occupation, {"title": title}, soc_code=code)
        for code, title in OCCUPATIONS.items()
    }
    roles = {
        name: ensure(
            Role,
            {"name": name, "occupation": occupations[code], "description": text},
            slug=_slug(name),
        )
        for name, code, text in ROLES
    }
    nation = ensure(Location, _NATION, bls_area_code="99")

    guide = ensure(Source, _without(TPM_GUIDE, "name", "release"), **_key(TPM_GUIDE))
    tpm = roles["Technical Product Manager"]
    for slug, (p25, p50, p75) in TPM_LADDER.items():
        ensure(
            Band,
            # Keyed on the role, not its occupation, which an admin may have changed since.
            {"occupation": tpm.occupation, "currency": "USD", "p25": p25, "p50": p50, "p75": p75},
            role=tpm,
            level=levels[slug],
            location=nation,
            industry=None,
            company_size=None,
            component=Band.Component.BASE,
            source=guide,
            effective_date=guide.effective_date,
        )

    assumptions = ensure(Source, _without(ASSUMPTIONS, "name", "release"), **_key(ASSUMPTIONS))
    for name, country, currency, value in CITY_FACTORS:
        city = ensure(
            Location,
            {"currency": currency},
            name=name,
            kind=Location.Kind.CITY,
            country=country,
        )
        ensure(
            Factor,
            {"value": value, "basis": _CITY_BASIS.format(value=f"{value:.2f}")},
            kind=Factor.Kind.LOCATION,
            occupation=None,
            location=city,
            source=assumptions,
            effective_date=assumptions.effective_date,
        )
    for slug, value in SIZE_FACTORS.items():
        ensure(
            Factor,
            {"value": value, "basis": _SIZE_BASIS},
            kind=Factor.Kind.COMPANY_SIZE,
            occupation=None,
            company_size=sizes[slug],
            source=assumptions,
            effective_date=assumptions.effective_date,
        )
    return SeedResult(dict(created))


def _slug(name: str) -> str:
    return name.lower().replace("/", "-").replace(" ", "-")


def _key(spec: dict[str, Any]) -> dict[str, Any]:
    return {"name": spec["name"], "release": spec["release"]}


def _without(spec: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k not in names}

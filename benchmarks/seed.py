"""The market data that ships besides the BLS OEWS extract, loaded idempotently.

Everything here is keyed on natural keys and created only when missing: running it again
changes nothing, and values an admin has edited since (a role's occupation, a factor, a rate)
are left as they are.

Sources of the figures:
- the TPM salary guide (2024): its ladder read as percentiles;
- what each level of each role stands on (``LEVEL_BASES``): the guide's ladder, a window of an
  official occupation's distribution, or a step over the level below;
- the yearly wage growth that ages bands to today (BLS Employment Cost Index);
- assumptions for London, Berlin and company sizes, from the guide's qualitative statements
  ("pay competitively but below top US markets", "large enterprises pay higher fixed
  salaries", "startups pay lower base").
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
    Industry,
    Level,
    LevelBasis,
    Location,
    Occupation,
    Role,
    Source,
    WageGrowth,
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
    "publisher": "TPM salary guide (2024)",
    "effective_date": date(2024, 1, 1),
    "notes": (
        "Typical U.S. base salary of technical product managers by level: entry $70,000–"
        "$95,000, mid (3–7 years) $95,000–$130,000, senior $130,000–$180,000 or more. Reading: "
        '"typically earn X to Y" is taken as the 25th–75th percentile of base salary, with the '
        "median at the midpoint; the 10th and 90th percentiles are not given. This is an "
        "assumption. The same source's FAQ gives other figures, recorded here but not used: "
        "entry $80,000–$100,000, senior $150,000–$180,000+, and an overall 2024 average of "
        "$110,000–$140,000. Above senior (Director, VP, Chief Product Officer) it says only "
        '"significantly higher". The guide describes TPMs as it sees them: people mostly '
        "employed by technology companies, across the U.S. and across company sizes. So its "
        "ladder is read as the pay of technology companies (BLS's Software Publishers, NAICS "
        "513200, stands for them): an industry factor moves it from technology to another "
        "industry, never from all industries, and a software premium is never added twice."
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
        "Factors and steps OfferBench assumes where no official figures exist, from the "
        "qualitative statements of the TPM salary guide (2024). London and Berlin 'pay "
        "competitively but below top US markets': London 0.80 and Berlin 0.70 of the U.S. "
        "national level (before currency conversion). Company size, relative to the mix of "
        "sizes that official data and the guide describe: 'large enterprises pay higher fixed "
        "salaries', 'mid-sized companies balance salary and growth', 'startups pay lower base "
        "with potentially large equity': Startup 0.90, Mid-sized 1.00, Large enterprise 1.05 "
        "(5%, not more: it keeps a Senior TPM at a large Seattle software company near public "
        "crowd figures of about $170,000–$230,000 base in 2025). Levels the data do not "
        "describe are a stated step above the level below. Admins can edit all of them."
    ),
}
CITY_FACTORS = [
    # name, country, currency, factor relative to U.S. national
    ("London", "GB", "GBP", Decimal("0.8000")),
    ("Berlin", "DE", "EUR", Decimal("0.7000")),
]
_CITY_BASIS = (
    "Assumption: the TPM salary guide (2024) says London and Berlin pay competitively but "
    "below top US markets; {value} × the U.S. national level."
)
SIZE_FACTORS = {
    "startup": Decimal("0.9000"),
    "mid-sized": Decimal("1.0000"),
    "large-enterprise": Decimal("1.0500"),
}
_SIZE_BASIS = (
    "Assumption from the TPM salary guide's (2024) statements: startups pay lower base, "
    "mid-sized companies balance salary and growth, large enterprises pay higher fixed salaries."
)
# Basis texts of earlier releases named an internal document; they are replaced.
_OLD_BASIS_MARK = "PRODUCT.md"

# The guide's ladder describes technology companies; this industry stands for them.
TECHNOLOGY = ("513200", "Software Publishers")

LEVEL_METHOD = {
    "name": "Level placement in official wage distributions",
    "release": "2009 method",
    "kind": Source.Kind.PUBLISHED,
    "publisher": "U.S. Department of Labor, Employment and Training Administration",
    "url": "https://flag.dol.gov/programs/prevailingwages",
    "effective_date": date(2009, 11, 1),
    "notes": (
        "BLS publishes each occupation's wages for all experience levels together. The U.S. "
        "Department of Labor places experience levels inside that OEWS distribution for its "
        "four prevailing-wage levels (Prevailing Wage Determination Policy Guidance, revised "
        "November 2009): Level I (entry) at about the 17th percentile, II at the 34th, III at "
        "the 50th (the median), IV (fully competent) at the 67th. OfferBench reads levels the "
        "same way, as windows: a level's 25th and 75th percentiles sit at two percentiles of "
        "the occupation (Entry 10th–25th, median at the 17.5th like Level I; Mid 25th–50th, "
        "37.5th, near Level II; Senior 50th–75th, 62.5th, between Levels III and IV; "
        "Lead/Principal 75th–90th), and Director (60th–85th) and VP (75th–90th) sit in a management occupation. Where "
        "a window lies is a reading, stated on every band it shapes; admins can edit it."
    ),
}
WAGE_GROWTH_SOURCE = {
    "name": "BLS Employment Cost Index",
    "release": "September 2025",
    "kind": Source.Kind.OFFICIAL,
    "publisher": "U.S. Bureau of Labor Statistics",
    "url": "https://www.bls.gov/eci/",
    "effective_date": date(2025, 9, 30),
    "notes": (
        "Wages and salaries of private industry workers rose 3.6% in the 12 months ending "
        "September 2025 (Employment Cost Index). OfferBench ages every band from its date to "
        "the date asked at this rate, compounded monthly; that the rate held since is an "
        "assumption, and admins can enter a newer rate."
    ),
}
# (yearly rate, used from, basis shown on every aged band)
WAGE_GROWTH = (
    Decimal("0.0360"),
    date(2024, 1, 1),
    "BLS Employment Cost Index, private industry wages and salaries, 12 months to Sep 2025",
)

# Level slug -> what it stands on, by role: ("own", reason) the role's own band;
# ("window", SOC code, low, high, reason) a window of that occupation's distribution;
# ("step", ratio, reason) the level below × ratio.
_WINDOWS = {
    "entry": (
        10,
        25,
        "Entry sits low in the distribution, where the Labor Department's Level I does",
    ),
    "mid": (25, 50, "Mid sits just below the median, near the Labor Department's Level II"),
    "senior": (
        50,
        75,
        "Senior sits above the median, between the Labor Department's Levels III and IV",
    ),
    "lead-principal": (75, 90, "Lead/Principal sits in the occupation's top quarter"),
}
_MANAGERS = "11-3021"
_DIRECTOR = (
    "window",
    _MANAGERS,
    60,
    85,
    "BLS counts technology directors as Computer and Information Systems Managers; a Director sits in their upper half, above the top of the specialist ladder",
)
_VP = (
    "window",
    _MANAGERS,
    75,
    90,
    "A VP leads a department: the top quarter of Computer and Information Systems Managers",
)
_CHIEF = (
    "step",
    Decimal("1.2500"),
    "BLS's Chief Executives are not in the shipped data and are top-coded in many areas; assumed 25% above VP",
)


def _windows(code: str) -> dict[str, tuple]:
    return {slug: ("window", code, low, high, why) for slug, (low, high, why) in _WINDOWS.items()}


def _specialist_ladder(code: str) -> dict[str, tuple]:
    return _windows(code) | {"director": _DIRECTOR, "vp": _VP, "chief": _CHIEF}


def _manager_ladder(code: str) -> dict[str, tuple]:
    # The occupation itself already spans managers up to Lead: above it, stated steps.
    return _windows(code) | {
        "director": ("step", Decimal("1.1500"), "A Director is assumed 15% above Lead/Principal"),
        "vp": ("step", Decimal("1.2000"), "A VP is assumed 20% above a Director"),
        "chief": ("step", Decimal("1.2500"), "A chief officer is assumed 25% above a VP"),
    }


LEVEL_BASES = {
    "Technical Product Manager": {
        "entry": ("own", "The TPM salary guide (2024) gives entry-level TPM pay"),
        "mid": ("own", "The TPM salary guide (2024) gives mid-level TPM pay"),
        "senior": ("own", "The TPM salary guide (2024) gives senior TPM pay"),
        "lead-principal": (
            "step",
            Decimal("1.1000"),
            "The guide gives no figure above senior; assumed 10% above Senior",
        ),
        "director": _DIRECTOR,
        "vp": _VP,
        "chief": _CHIEF,
    },
    "Product Manager": _specialist_ladder("13-1082"),
    "Software Engineer": _specialist_ladder("15-1252"),
    "Data Scientist": _specialist_ladder("15-2051"),
    "Information Security Analyst": _specialist_ladder("15-1212"),
    "Engineering Manager": _manager_ladder("11-9041"),
    "IT Manager": _manager_ladder("11-3021"),
    "Web Developer": _specialist_ladder("15-1254"),
    "QA Engineer": _specialist_ladder("15-1253"),
    "Systems Analyst": _specialist_ladder("15-1211"),
    "Project Manager": _specialist_ladder("13-1082"),
}


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
    technology = ensure(Industry, {"name": TECHNOLOGY[1]}, naics_code=TECHNOLOGY[0])
    tpm = roles["Technical Product Manager"]
    for slug, (p25, p50, p75) in TPM_LADDER.items():
        ensure(
            Band,
            # Keyed on the role, not its occupation, which an admin may have changed since.
            {
                "occupation": tpm.occupation,
                "currency": "USD",
                "p25": p25,
                "p50": p50,
                "p75": p75,
                "reference_industry": technology,
            },
            role=tpm,
            level=levels[slug],
            location=nation,
            industry=None,
            company_size=None,
            component=Band.Component.BASE,
            source=guide,
            effective_date=guide.effective_date,
        )

    # Bands of an earlier release carry no reference industry: the guide has always described
    # technology companies.
    Band.objects.filter(source=guide, reference_industry__isnull=True).update(
        reference_industry=technology
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
    for factor in Factor.objects.filter(basis__contains=_OLD_BASIS_MARK):
        template = _SIZE_BASIS if factor.kind == Factor.Kind.COMPANY_SIZE else _CITY_BASIS
        factor.basis = template.format(value=f"{factor.value:.2f}")
        factor.save(update_fields=["basis"])

    method = ensure(Source, _without(LEVEL_METHOD, "name", "release"), **_key(LEVEL_METHOD))
    for role_name, ladder in LEVEL_BASES.items():
        for slug, spec in ladder.items():
            ensure(
                LevelBasis,
                _level_basis(spec, method, assumptions, guide, occupations),
                role=roles[role_name],
                level=levels[slug],
            )

    growth = ensure(
        Source, _without(WAGE_GROWTH_SOURCE, "name", "release"), **_key(WAGE_GROWTH_SOURCE)
    )
    rate, since, basis = WAGE_GROWTH
    ensure(
        WageGrowth, {"yearly_rate": rate, "basis": basis, "source": growth}, effective_date=since
    )
    return SeedResult(dict(created))


def _level_basis(
    spec: tuple, method: Source, assumptions: Source, guide: Source, occupations: dict
) -> dict[str, Any]:
    kind, *rest = spec
    if kind == "own":
        return {"method": LevelBasis.Method.OWN_BAND, "reason": rest[0], "source": guide}
    if kind == "step":
        ratio, reason = rest
        return {
            "method": LevelBasis.Method.STEP,
            "step": ratio,
            "reason": reason,
            "source": assumptions,
        }
    code, low, high, reason = rest
    return {
        "method": LevelBasis.Method.OFFICIAL_WINDOW,
        "occupation": occupations[code],
        "window_low": low,
        "window_high": high,
        "reason": reason,
        "source": method,
    }


def _slug(name: str) -> str:
    return name.lower().replace("/", "-").replace(" ", "-")


def _key(spec: dict[str, Any]) -> dict[str, Any]:
    return {"name": spec["name"], "release": spec["release"]}


def _without(spec: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k not in names}

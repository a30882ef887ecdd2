"""Fill the database DATABASE_URL names with the benchmark's data, unless it already holds it.

The shipped market data (load_market_data), then 100,000 bands in all — synthetic role × level
bands in 60 metro areas and synthetic occupations across every U.S. area, like a full OEWS
release beside a pay guide — and 1,000 people with 20 offers each, written with bulk_create in
one transaction. A marker source names the data version, so a second run only migrates and
writes the targets file (what the load generator asks for) again. Every offer is also added to
the site's market data (20,000 contributions, once) and the community bands built from them.

    DATABASE_URL=... DJANGO_SECRET_KEY=... python -m perf.generate_data perf/out/targets.json
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

DATA_VERSION = 1
USERS = 1_000
OFFERS_PER_USER = 20
TOTAL_BANDS = 100_000
ROLE_BAND_METROS = 60
EMAIL_DOMAIN = "load.offerbench.example"
PASSWORD = "offerbench-load-test"  # noqa: S105 - synthetic accounts in a throwaway database
MARKER = {"name": "OfferBench load-test bands (synthetic)", "release": f"v{DATA_VERSION}"}
EFFECTIVE = date(2025, 5, 1)
SPREAD = {"p10": "0.72", "p25": "0.86", "p50": "1", "p75": "1.17", "p90": "1.36"}


def email(n: int) -> str:
    return f"load{n:04d}@{EMAIL_DOMAIN}"


def main(targets_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.models import Source

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    if Source.objects.filter(**MARKER).exists():
        print(f"Load-test data v{DATA_VERSION} already in place.")
    else:
        call_command("load_market_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        generate()
        print(f"Generated load-test data v{DATA_VERSION} in {time.monotonic() - started:.0f} s.")
    contribute_offers()
    from benchmarks.models import CommunityBand

    if not CommunityBand.objects.exists():
        call_command("rebuild_community_bands", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # Planner statistics, as a database in use has them (PostgreSQL's autovacuum gathers them a
    # minute or so after a bulk load; without them its band lookup scans every band).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    targets_path.write_text(json.dumps(targets(), indent=2))


def generate() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import User
    from benchmarks.models import Band, Source

    rng = random.Random(DATA_VERSION)
    with transaction.atomic():
        source = Source.objects.create(
            **MARKER,
            kind=Source.Kind.PUBLISHED,
            publisher="OfferBench perf/generate_data.py",
            effective_date=EFFECTIVE,
            notes="Synthetic bands for load tests only. Not market data.",
        )
        bands = role_bands(source, rng)
        bands += occupation_bands(source, rng, TOTAL_BANDS - Band.objects.count() - len(bands))
        Band.objects.bulk_create(bands, batch_size=2000)

        # One hash for every account: 1,000 key derivations would take minutes.
        password = make_password(PASSWORD)
        User.objects.bulk_create(
            [User(email=email(n), password=password) for n in range(USERS)], batch_size=1000
        )
        people = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("email"))
        write_offers(people, rng)


def _percentiles(median: Decimal) -> dict[str, Decimal]:
    return {name: (median * Decimal(k)).quantize(Decimal(1)) for name, k in SPREAD.items()}


def role_bands(source, rng: random.Random) -> list:
    """Every role × level × pay component, nationally and in the first 60 metro areas."""
    from benchmarks.models import Band, Level, Location, Role

    nation = Location.objects.get(bls_area_code="99")
    places = [nation, *pay_guide_metros()]
    bands = []
    for role in Role.objects.all():
        role_base = Decimal(rng.randrange(80_000, 120_000, 1000))
        for level in Level.objects.all():
            level_base = role_base * Decimal("1.22") ** (level.rank // 10 - 1)
            for place in places:
                local = level_base * Decimal(rng.uniform(0.85, 1.35) if place != nation else 1)
                for component, multiplier in (("base", "1"), ("total_comp", "1.45")):
                    bands.append(
                        Band(
                            occupation_id=role.occupation_id,
                            role=role,
                            level=level,
                            location=place,
                            component=component,
                            source=source,
                            effective_date=EFFECTIVE,
                            **_percentiles(local * Decimal(multiplier)),
                        )
                    )
    return bands


def pay_guide_metros() -> list:
    from benchmarks.models import Location

    return list(Location.objects.filter(kind="metro").order_by("bls_area_code")[:ROLE_BAND_METROS])


def occupation_bands(source, rng: random.Random, count: int) -> list:
    """Synthetic occupations for all levels, in every U.S. area, until `count` bands."""
    from benchmarks.models import Band, Location, Occupation

    areas = list(Location.objects.filter(country="US").order_by("bls_area_code"))
    needed = -(-count // len(areas))
    Occupation.objects.bulk_create(
        [
            Occupation(soc_code=f"98-{n:04d}", title=f"Synthetic occupation {n}")
            for n in range(needed)
        ]
    )
    occupations = list(Occupation.objects.filter(soc_code__startswith="98-").order_by("soc_code"))
    bands = []
    for occupation in occupations:
        national = Decimal(rng.randrange(40_000, 160_000, 500))
        for area in areas:
            if len(bands) == count:
                return bands
            bands.append(
                Band(
                    occupation=occupation,
                    location=area,
                    component="base",
                    source=source,
                    effective_date=EFFECTIVE,
                    employment=rng.randrange(30, 90_000),
                    **_percentiles(national * Decimal(rng.uniform(0.7, 1.5))),
                )
            )
    return bands


def write_offers(people: list, rng: random.Random) -> None:
    from benchmarks.models import CompanySize, Industry, Level, Location, Role
    from offers.models import Offer

    roles = list(Role.objects.all())
    tpm = next(r for r in roles if r.slug == "technical-product-manager")
    levels = list(Level.objects.order_by("rank"))[:5]
    metros = pay_guide_metros()
    elsewhere = list(Location.objects.filter(kind__in=["state", "nonmetro"]))
    london = Location.objects.get(name="London")
    industries = list(Industry.objects.all())
    sizes = list(CompanySize.objects.all())
    today = date.today()
    presets = [c for c, _ in Offer.VestingSchedule.choices if c != "custom"]
    offers = []
    for person in people:
        role = tpm if rng.random() < 0.5 else rng.choice(roles)
        first_level = rng.randrange(len(levels) - 1)
        places = [*rng.sample(metros, 4), rng.choice(elsewhere)]
        for n in range(OFFERS_PER_USER):
            level = levels[first_level + rng.randrange(2)]
            place = london if rng.random() < 0.03 else rng.choice(places)
            base = Decimal(
                round(90_000 * 1.22 ** (level.rank // 10 - 1) * rng.uniform(0.8, 1.3), -3)
            )
            received = today - timedelta(days=rng.randrange(0, 40))
            offer = Offer(
                owner=person,
                company=f"{rng.choice(COMPANIES)} {n + 1}",
                job_title=f"{level} {role}",
                role=role,
                level=level,
                location=place,
                industry=rng.choice(industries) if rng.random() < 0.4 else None,
                company_size=rng.choice(sizes) if rng.random() < 0.7 else None,
                currency=place.currency,
                received_on=received,
                decision_deadline=received + timedelta(days=rng.randrange(5, 30)),
                start_date=today + timedelta(days=rng.randrange(20, 90)),
                base_salary=base,
                yearly_raise_percent=Decimal(rng.choice([0, 2, 3, 4])),
                sign_on_year1=Decimal(rng.choice([0, 0, 10_000, 25_000, 40_000])),
                sign_on_year2=Decimal(rng.choice([0, 0, 0, 15_000])),
                clawback_months=rng.choice([0, 12, 24]),
                relocation=Decimal(rng.choice([0, 0, 5_000, 12_000])),
                retirement_match_percent=Decimal(rng.choice([0, 4, 6])),
                retirement_match_rate_percent=Decimal(rng.choice([50, 100])),
                health_contribution=Decimal(rng.choice([0, 6_000, 9_000])),
                learning_budget=Decimal(rng.choice([0, 1_000, 2_500])),
                paid_days_off=rng.choice([15, 20, 25, None]),
                remote_policy=rng.choice(["", "onsite", "hybrid", "remote"]),
                notes="Recruiter said the band has room." if rng.random() < 0.3 else "",
            )
            bonus = rng.random()
            if bonus < 0.6:
                offer.bonus_type, offer.bonus_percent = "percent", Decimal(rng.choice([10, 15, 20]))
            elif bonus < 0.8:
                offer.bonus_type, offer.bonus_fixed = "fixed", Decimal(rng.choice([5_000, 12_000]))
            equity = rng.random()
            if equity < 0.5:
                offer.equity_kind = "rsu"
                offer.equity_grant_value = Decimal(round(float(base) * rng.uniform(0.5, 2.0), -3))
                offer.vesting_schedule = rng.choice(presets)
                offer.refresher_value = Decimal(rng.choice([0, 0, 20_000, 50_000]))
                offer.share_price_change_percent = Decimal(rng.choice([0, 5, 10]))
            elif equity < 0.75:
                offer.equity_kind = rng.choice(["iso", "nso"])
                offer.equity_shares = Decimal(rng.randrange(5_000, 60_000, 500))
                offer.share_price = Decimal(rng.choice([8, 12, 20]))
                offer.strike_price = Decimal(rng.choice([1, 3, 5]))
                offer.is_private_company = True
                offer.illiquidity_discount_percent = Decimal(rng.choice([20, 30, 50]))
            offers.append(offer)
    Offer.objects.bulk_create(offers, batch_size=2000)


def contribute_offers() -> int:
    """Every offer added to the site's market data, as each owner could, unless done already:
    their figures as the offer pages compute them, in short (base, target bonus, a year of
    equity; one-time items in the first year only), the company by a hash of its name, the
    owner by the key the site gives each person."""
    import hashlib

    from django.db import transaction

    from benchmarks.community import cell_places
    from benchmarks.models import Contribution, Location
    from offers.contributions import contributor_key
    from offers.models import Offer

    if Contribution.objects.exists():
        return 0
    places: dict[int, dict[str, int | None]] = {}
    for location in Location.objects.filter(pk__in=Offer.objects.values("location")):
        chain = cell_places(location)
        by_kind = {place.kind: place.pk for place in chain[1:]}
        places[location.pk] = {
            "location_id": location.pk,
            "state_id": by_kind.get(Location.Kind.STATE),
            "nation_id": by_kind.get(Location.Kind.NATION),
        }
    offers = list(Offer.objects.filter(contribution__isnull=True).order_by("pk"))
    contributions = []
    for offer in offers:
        base = offer.base_salary
        bonus = _target_bonus(offer)
        equity = _yearly_equity(offer)
        contributions.append(
            Contribution(
                role_id=offer.role_id,
                level_id=offer.level_id,
                **places[offer.location_id],
                industry_id=offer.industry_id,
                company_size_id=offer.company_size_id,
                company_key=hashlib.sha256(offer.company.encode()).hexdigest(),
                contributor_key=contributor_key(offer.owner_id),
                offered_in=offer.received_on.replace(day=1),
                currency=offer.currency,
                base=base,
                target_bonus=bonus,
                yearly_equity=equity,
                first_year_total=base + bonus + equity + offer.sign_on_year1 + offer.relocation,
                average_yearly_total=base + bonus + equity,
            )
        )
    with transaction.atomic():
        Contribution.objects.bulk_create(contributions, batch_size=2000)
        for offer, contribution in zip(offers, contributions, strict=True):
            offer.contribution_id = contribution.pk
        # bulk_update sends no signal: the contributions are as written above.
        Offer.objects.bulk_update(offers, ["contribution"], batch_size=2000)
    return len(contributions)


def _target_bonus(offer) -> Decimal:
    if offer.bonus_type == "percent":
        return (offer.base_salary * offer.bonus_percent / 100).quantize(Decimal("0.01"))
    if offer.bonus_type == "fixed":
        return offer.bonus_fixed
    return Decimal(0)


def _yearly_equity(offer) -> Decimal:
    if offer.equity_kind == "rsu":
        return (offer.equity_grant_value / 4 + offer.refresher_value / 2).quantize(Decimal("0.01"))
    if offer.equity_kind in ("iso", "nso"):
        spread = max(Decimal(0), offer.share_price - offer.strike_price)
        kept = 1 - offer.illiquidity_discount_percent / 100
        return (offer.equity_shares * spread * kept / 4).quantize(Decimal("0.01"))
    return Decimal(0)


COMPANIES = [
    "Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay",
    "Stark Cloud", "Wayne Data", "Brightpath", "Tyrell", "Cyberdyne", "Acme", "Aperture",
]  # fmt: skip


def targets() -> dict:
    """What the load generator asks for, as one benchmark person: URLs, form data and ids."""
    from django.urls import NoReverseMatch, reverse

    from offers.forms import OfferForm
    from offers.models import Offer

    person_email = email(0)
    offers = list(
        Offer.objects.filter(owner__email=person_email).order_by("pk").with_market_context()
    )
    first, second = offers[0], offers[1]
    preview = preview_form(first)
    if not OfferForm(preview, instance=Offer(owner=first.owner)).is_valid():
        raise SystemExit("the generated preview form is not valid: the bench would measure errors")
    explorer = {
        "role": first.role_id,
        "level": first.level_id or "",
        "location": first.location_id,
        "industry": first.industry_id or "",
        "company_size": first.company_size_id or "",
        "component": "base",
    }

    def url(name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    return {
        "data_version": DATA_VERSION,
        "email": person_email,
        "password": PASSWORD,
        "offers": len(offers),
        "offer_ids": [first.pk, second.pk],
        "company": first.company,
        "urls": {
            "list": url("offers:list"),
            "detail": url("offers:detail", pk=first.pk),
            "preview": url("offers:preview"),
            "explorer": url("benchmarks:explorer"),
            "compare": url("offers:compare"),
            "negotiate": url("offers:negotiate", pk=first.pk),
        },
        "preview_form": preview,
        "explorer_query": explorer,
    }


def preview_form(offer) -> dict[str, str]:
    """The offer's edit form as a browser would post it."""
    from offers.forms import OfferForm

    form = OfferForm(instance=offer)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if value is None:
            value = ""
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = str(value)
    return data


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("perf/out/targets.json"))

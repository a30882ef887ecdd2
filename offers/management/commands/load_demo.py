import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from benchmarks.models import CompanySize, Contribution, Industry, Level, Location, Role
from offers.contributions import (
    company_key,
    contribute,
    contribution_places,
    own_contributor_key,
)
from offers.models import Offer, Round, offer_snapshot

DEMO_EMAIL = "demo@offerbench.example"
DEMO_PASSWORD = "offerbench-demo"  # noqa: S105 - a published demo account for local use
ADMIN_EMAIL = "admin@offerbench.example"
ADMIN_PASSWORD = "offerbench-admin"  # noqa: S105 - local development only


def _negotiation_so_far(offer: Offer) -> None:
    """The offer as received, the counter sent and the company's answer, so the rounds page and
    "Make these the offer's terms" have something to show. The offer keeps its first terms."""
    received = offer_snapshot(offer)
    rounds = [
        ("Original offer", Round.Who.COMPANY, {}),
        ("My counter", Round.Who.CANDIDATE, {"base_salary": "186000.00", "sign_on_year1": "40000.00"}),
        ("Their answer", Round.Who.COMPANY, {"base_salary": "178000.00", "sign_on_year1": "35000.00"}),
    ]  # fmt: skip
    for number, (label, who, changes) in enumerate(rounds, start=1):
        Round.objects.create(
            offer=offer, number=number, label=label, who=who, snapshot=received | changes
        )


def demo_offers(today: datetime.date) -> list[dict]:
    """Two real-looking Senior TPM offers: a big company in Seattle and a startup in Austin."""
    return [
        {
            "company": "Northwind Cloud",
            "job_title": "Senior Technical Program Manager",
            "location": "42660",  # Seattle-Tacoma-Bellevue, WA
            "company_size": "large-enterprise",
            "industry": "513200",
            "base_salary": Decimal("165000"),
            "bonus_type": Offer.BonusType.PERCENT,
            "bonus_percent": Decimal("15"),
            "sign_on_year1": Decimal("30000"),
            "clawback_months": 12,
            "equity_kind": Offer.EquityKind.RSU,
            "equity_grant_value": Decimal("200000"),
            "vesting_schedule": "back_loaded_5_15_40_40",
            "retirement_match_percent": Decimal("6"),
            "retirement_match_rate_percent": Decimal("50"),
            "health_contribution": Decimal("9000"),
            "paid_days_off": 20,
            "remote_policy": Offer.RemotePolicy.HYBRID,
            "decision_deadline": today + datetime.timedelta(days=6),
        },
        {
            "company": "Brightpath Labs",
            "job_title": "Technical Product Manager",
            "location": "12420",  # Austin-Round Rock-San Marcos, TX
            "company_size": "startup",
            "industry": None,
            "base_salary": Decimal("150000"),
            "bonus_type": Offer.BonusType.FIXED,
            "bonus_fixed": Decimal("10000"),
            "sign_on_year1": Decimal("15000"),
            "equity_kind": Offer.EquityKind.ISO,
            "equity_shares": Decimal("40000"),
            "share_price": Decimal("12"),
            "strike_price": Decimal("4"),
            "vesting_schedule": "four_year_cliff_monthly",
            "share_price_change_percent": Decimal("10"),
            "is_private_company": True,
            "illiquidity_discount_percent": Decimal("30"),
            "retirement_match_percent": Decimal("4"),
            "retirement_match_rate_percent": Decimal("100"),
            "learning_budget": Decimal("2000"),
            "paid_days_off": 25,
            "remote_policy": Offer.RemotePolicy.REMOTE,
            "decision_deadline": today + datetime.timedelta(days=10),
        },
    ]


# Made-up companies the demo contributions come from (the name enters only as its key).
DEMO_COMPANIES = [
    ("Cascade Cloudworks", "large-enterprise"),
    ("Pinecrest Software", "mid-sized"),
    ("Harborline Systems", "large-enterprise"),
    ("Evergreen Data Co", "startup"),
    ("Rainier Analytics", "mid-sized"),
    ("Orca Payments", "large-enterprise"),
    ("Tidewater Games", "startup"),
    ("Summit Health Tech", "mid-sized"),
]


@dataclass(frozen=True)
class DemoCell:
    """Made-up contributions for one role × level × place: `count` of them from `companies`
    companies, base and yearly equity drawn from these ranges (USD), a 10–20% target bonus."""

    level: str
    location: str  # BLS area code
    count: int
    companies: int
    base: tuple[int, int]
    equity: tuple[int, int]


# Technical Product Managers, plausible for 2025–2026 (a Senior TPM in Seattle at a large software
# company: base about 170,000–230,000, total about 230,000–400,000). Director in Seattle has too
# few, so a page shows how many more are needed.
DEMO_CELLS = [
    DemoCell("mid", "42660", 12, 6, (135_000, 170_000), (20_000, 70_000)),
    DemoCell("senior", "42660", 16, 8, (170_000, 230_000), (10_000, 140_000)),
    DemoCell("lead-principal", "42660", 12, 6, (205_000, 265_000), (90_000, 220_000)),
    DemoCell("senior", "41860", 12, 6, (180_000, 240_000), (50_000, 140_000)),
    DemoCell("senior", "35620", 12, 6, (175_000, 235_000), (40_000, 120_000)),
    DemoCell("director", "42660", 3, 3, (240_000, 290_000), (150_000, 260_000)),
]


def _months_ago(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def demo_contribution_specs(today: datetime.date) -> list[dict]:
    """The made-up contributions, the same on every run (a seeded draw), offered in the last 20
    months."""
    draw = random.Random(14)  # noqa: S311 - made-up figures, not a secret
    specs = []
    for cell in DEMO_CELLS:
        for number in range(cell.count):
            company, size = DEMO_COMPANIES[number % cell.companies]
            base = Decimal(draw.randrange(cell.base[0], cell.base[1] + 1, 500))
            bonus = (base * Decimal(draw.choice((10, 12, 15, 20))) / 100).quantize(Decimal(1))
            equity = Decimal(draw.randrange(cell.equity[0], cell.equity[1] + 1, 1000))
            benefits = Decimal(draw.randrange(4_000, 12_001, 500))
            sign_on = Decimal(draw.choice((0, 0, 15_000, 25_000, 40_000)))
            recurring = base + bonus + equity + benefits
            specs.append(
                {
                    "level": cell.level,
                    "location": cell.location,
                    "company": company,
                    "company_size": size,
                    "offered_in": _months_ago(today, draw.randrange(0, 20)),
                    "base": base,
                    "target_bonus": bonus,
                    "yearly_equity": equity,
                    "first_year_total": recurring + sign_on,
                    "average_yearly_total": recurring,
                }
            )
    return specs


class Command(BaseCommand):
    help = "Create the demo account (with sample offers) and a local admin. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        demo, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"display_name": "Demo candidate"}
        )
        if created:
            demo.set_password(DEMO_PASSWORD)
            demo.save()
        admin_note = self._local_admin()
        self.stdout.write(
            f"Demo account {DEMO_EMAIL} {'created' if created else 'already there'}; {admin_note}."
        )
        self._load_offers(demo)
        self._community_demo(demo)

    def _local_admin(self) -> str:
        if not settings.DEBUG:
            # Its password is in the README: an admin anyone can sign in as must never be made
            # where the site may be reachable.
            if User.objects.filter(email=ADMIN_EMAIL).exists():
                return f"admin {ADMIN_EMAIL} already there"
            self.stderr.write(
                f"Admin {ADMIN_EMAIL} not created: DEBUG is off and its password is published. "
                "Create an admin with `manage.py createsuperuser`."
            )
            return f"admin {ADMIN_EMAIL} not created (DEBUG is off)"
        admin, admin_created = User.objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={"display_name": "Admin", "is_staff": True, "is_superuser": True},
        )
        if admin_created:
            admin.set_password(ADMIN_PASSWORD)
            admin.save()
        return f"admin {ADMIN_EMAIL} {'created' if admin_created else 'already there'}"

    def _load_offers(self, demo: User) -> None:
        role = Role.objects.filter(slug="technical-product-manager").first()
        senior = Level.objects.filter(slug="senior").first()
        if role is None:
            self.stdout.write("No market data loaded: demo offers skipped (run load_market_data).")
            return
        added = 0
        for spec in demo_offers(datetime.date.today()):
            spec = dict(spec)
            location = Location.objects.filter(bls_area_code=spec.pop("location")).first()
            size_slug = spec.pop("company_size")
            naics = spec.pop("industry")
            if (
                location is None
                or Offer.objects.filter(owner=demo, company=spec["company"]).exists()
            ):
                continue
            offer = Offer.objects.create(
                owner=demo,
                role=role,
                level=senior,
                location=location,
                company_size=CompanySize.objects.filter(slug=size_slug).first(),
                industry=Industry.objects.filter(naics_code=naics).first() if naics else None,
                received_on=datetime.date.today(),
                **spec,
            )
            if offer.company == "Northwind Cloud":
                _negotiation_so_far(offer)
            added += 1
        self.stdout.write(f"Demo offers: {added} added.")

    def _community_demo(self, demo: User) -> None:
        """Community bands to look at: made-up contributions (marked as demo data, linked to no
        offer) and one of the demo person's offers. Development only: elsewhere demo data must
        never count, so none is made."""
        if not settings.COMMUNITY_DEMO_DATA:
            self.stdout.write(
                "Demo contributions not made: COMMUNITY_DEMO_DATA is off (it is on only in "
                "development), so community bands count real contributions only."
            )
            return
        role = Role.objects.filter(slug="technical-product-manager").first()
        if role is None:
            return
        northwind = Offer.objects.filter(owner=demo, company="Northwind Cloud").first()
        if northwind is not None:
            # The demo person's other offers stay out of the market data, as anyone's do.
            contribution = contribute(offer=northwind, is_demo=True)
            if not contribution.is_demo:
                contribution.is_demo = True
                contribution.save(update_fields=["is_demo"])
        made_up = Contribution.objects.filter(is_demo=True).exclude(
            pk__in=Offer.objects.filter(contribution__isnull=False).values("contribution")
        )
        if made_up.exists():
            self.stdout.write("Demo contributions: already there.")
        else:
            self.stdout.write(f"Demo contributions: {self._make_contributions(role)} added.")
        from benchmarks.community_build import rebuild_community_bands

        report = rebuild_community_bands()
        self.stdout.write(
            f"Community bands rebuilt: {report.shown} cells shown, {report.too_few} with too few "
            "contributions."
        )

    def _make_contributions(self, role: Role) -> int:
        levels = {level.slug: level for level in Level.objects.all()}
        places = {
            place.bls_area_code: place
            for place in Location.objects.filter(bls_area_code__in={c.location for c in DEMO_CELLS})
        }
        sizes = {size.slug: size for size in CompanySize.objects.all()}
        software = Industry.objects.filter(naics_code="513200").first()
        cells_of_place = {code: contribution_places(place) for code, place in places.items()}
        rows = []
        for number, spec in enumerate(demo_contribution_specs(datetime.date.today())):
            place, level = places.get(spec["location"]), levels.get(spec["level"])
            if place is None or level is None:
                continue
            rows.append(
                Contribution(
                    role=role,
                    level=level,
                    **cells_of_place[spec["location"]],
                    industry=software,
                    company_size=sizes.get(spec["company_size"]),
                    company_key=company_key(spec["company"]),
                    # Each made-up contribution is a made-up person of its own.
                    contributor_key=own_contributor_key(f"demo:{number}"),
                    offered_in=spec["offered_in"],
                    currency=place.currency,
                    base=spec["base"],
                    target_bonus=spec["target_bonus"],
                    yearly_equity=spec["yearly_equity"],
                    first_year_total=spec["first_year_total"],
                    average_yearly_total=spec["average_yearly_total"],
                    is_demo=True,
                )
            )
        Contribution.objects.bulk_create(rows)
        return len(rows)

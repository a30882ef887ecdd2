import datetime
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from benchmarks.models import CompanySize, Industry, Level, Location, Role
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

"""A user's offers, as written in the offer letter."""

import copy
import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Func, IntegerField, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from offers.compensation import (
    DEFAULT_EXERCISE_WINDOW_DAYS,
    EQUITY_KIND_LABELS,
    ESPP_MAX_PERCENT,
    ESPP_OFFERING_MONTHS,
    MAX_EXERCISE_WINDOW_DAYS,
    OPTION_KINDS,
    PRESET_LABELS,
    ClawbackRepayment,
    EquityKind,
)

money = {"max_digits": 14, "decimal_places": 2}
price = {"max_digits": 14, "decimal_places": 4}  # per share: four decimals
percent = {"max_digits": 6, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
PERCENT_0_100 = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
PERCENT_0_15 = [MinValueValidator(Decimal("0")), MaxValueValidator(ESPP_MAX_PERCENT)]
CUSTOM_SCHEDULE = "custom"

# Limits no real offer meets, so one account can't make the pages slow for everyone: the form
# says so next to the field, and the database refuses what gets past it (the number of offers a
# person has is a count the database can't check per row: the create paths check it).
MAX_PERKS = 50
MAX_OFFERS_PER_PERSON = 200
MAX_NOTES_CHARACTERS = 10_000
MAX_VESTING_YEARS = 10
MAX_VESTING_TEXT = 100
# Above these, an amount is almost certainly a typo (an extra zero or two): every form that takes
# an offer's amount (the offer, a counter, a round) refuses more, beside the field.
MAX_YEARLY_CASH = Decimal("10000000")
MAX_GRANT_VALUE = Decimal("1000000000")


class JSONArrayLength(Func):
    """The number of items in a JSON array (0 for SQLite's non-arrays; PostgreSQL refuses them)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


class OfferQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The one place owner scoping is written: every offer page goes through it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def has_room_for_one_more(self, owner_id: int | None) -> bool:
        """Whether the person may add an offer (MAX_OFFERS_PER_PERSON)."""
        return owner_id is None or self.filter(owner_id=owner_id).count() < MAX_OFFERS_PER_PERSON

    def with_market_context(self):
        # The contribution too: the offer's page says whether and when it was contributed.
        return self.select_related(
            "role", "level", "location", "industry", "company_size", "contribution"
        )


class Offer(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        NEGOTIATING = "negotiating", "Negotiating"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    class BonusType(models.TextChoices):
        NONE = "none", "No bonus"
        PERCENT = "percent", "Percent of base"
        FIXED = "fixed", "Fixed amount"

    # The engine's kinds, so the model, the form and the engine name the same ones.
    EquityKind = EquityKind

    class VestingSchedule(models.TextChoices):
        # Keys match offers.compensation.VESTING_PRESETS.
        FOUR_YEAR_CLIFF_MONTHLY = (
            "four_year_cliff_monthly",
            PRESET_LABELS["four_year_cliff_monthly"],
        )
        FOUR_YEAR_QUARTERLY = "four_year_quarterly", PRESET_LABELS["four_year_quarterly"]
        BACK_LOADED = "back_loaded_5_15_40_40", PRESET_LABELS["back_loaded_5_15_40_40"]
        FRONT_LOADED_33 = "front_loaded_33_33_22_12", PRESET_LABELS["front_loaded_33_33_22_12"]
        FRONT_LOADED_40 = "front_loaded_40_30_20_10", PRESET_LABELS["front_loaded_40_30_20_10"]
        CUSTOM = CUSTOM_SCHEDULE, "Custom yearly percentages"

    class SignOnClawback(models.TextChoices):
        # Values match offers.compensation.ClawbackRepayment.
        FULL = ClawbackRepayment.FULL.value, "In full"
        PRO_RATA = ClawbackRepayment.PRO_RATA.value, "Pro rata (the months not yet served)"

    class RemotePolicy(models.TextChoices):
        UNKNOWN = "", "Not stated"
        ONSITE = "onsite", "On-site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )

    # A field's label (verbose_name), help text and bounds are written here, once: the offer
    # form, a round's history and the admin all read them from the field.

    # Context
    company = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120, blank=True, verbose_name="Job title on the letter")
    role = models.ForeignKey("benchmarks.Role", on_delete=models.PROTECT)
    level = models.ForeignKey(
        "benchmarks.Level",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Leave empty if the level is not stated.",
    )
    location = models.ForeignKey(
        "benchmarks.Location",
        on_delete=models.PROTECT,
        help_text="Where the job is paid from; sets the market band.",
    )
    industry = models.ForeignKey(
        "benchmarks.Industry", null=True, blank=True, on_delete=models.PROTECT
    )
    company_size = models.ForeignKey(
        "benchmarks.CompanySize", null=True, blank=True, on_delete=models.PROTECT
    )
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(null=True, blank=True, verbose_name="Received on")
    decision_deadline = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True, verbose_name="Start date")
    notes = models.TextField(
        blank=True,
        max_length=MAX_NOTES_CHARACTERS,
        help_text=f"Up to {MAX_NOTES_CHARACTERS:,} characters.",
    )

    # Cash
    base_salary = models.DecimalField(
        **money,
        validators=NOT_NEGATIVE,
        verbose_name="Base salary (yearly)",
        help_text="Gross yearly, in the offer's currency: 165000, 165,000 or 165k.",
    )
    yearly_raise_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=PERCENT_0_100,
        verbose_name="Expected yearly raise (%)",
        help_text="Used for years 2 onwards; 0 if you don't want to assume one.",
    )
    bonus_type = models.CharField(max_length=8, choices=BonusType.choices, default=BonusType.NONE)
    bonus_percent = models.DecimalField(
        **percent,
        null=True,
        blank=True,
        validators=PERCENT_0_100,
        verbose_name="Target bonus (% of base)",
    )
    bonus_fixed = models.DecimalField(
        **money,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Target bonus (fixed yearly amount)",
    )
    sign_on_year1 = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Sign-on bonus, year 1",
        help_text="Paid once, counts in year 1 only, never in the yearly average.",
    )
    sign_on_year2 = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Sign-on bonus, year 2",
        help_text="Some companies split the sign-on over two years.",
    )
    clawback_months = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(60)],
        verbose_name="Sign-on clawback period (months)",
        help_text="Months during which a sign-on must be repaid if you leave.",
    )
    sign_on_clawback = models.CharField(
        "Sign-on repaid on leaving early",
        max_length=8,
        choices=SignOnClawback.choices,
        default=SignOnClawback.FULL,
        help_text="As the letter says: all of it, or only the share of the period not served.",
    )
    relocation = models.DecimalField(
        **money, default=Decimal("0"), validators=NOT_NEGATIVE, verbose_name="Relocation (one-time)"
    )

    # Equity
    equity_kind = models.CharField(
        max_length=4,
        choices=[(kind.value, label) for kind, label in EQUITY_KIND_LABELS.items()],
        default=EquityKind.NONE.value,
        verbose_name="Equity",
    )
    equity_grant_value = models.DecimalField(
        **money,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Grant value",
        help_text="For RSUs: the grant's total value. Or give shares and a price.",
    )
    equity_shares = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Number of shares",
        help_text="For options, required; for RSUs, with the share price.",
    )
    share_price = models.DecimalField(
        **price,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Share price (assumed today)",
        help_text="For options: an assumed price per share (409A or preferred price).",
    )
    strike_price = models.DecimalField(
        **price,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Strike (exercise) price",
        help_text="Options only: what you pay per share to exercise.",
    )
    vesting_schedule = models.CharField(
        max_length=30,
        choices=VestingSchedule.choices,
        default=VestingSchedule.FOUR_YEAR_CLIFF_MONTHLY,
    )
    custom_vesting_percentages = models.CharField(
        max_length=MAX_VESTING_TEXT,
        blank=True,
        verbose_name="Custom yearly percentages",
        help_text="Per year, adding up to 100, e.g. 10, 20, 30, 40.",
    )
    custom_vesting_cliff = models.BooleanField(
        default=False, verbose_name="Custom schedule has a 1-year cliff"
    )
    vesting_start_date = models.DateField(
        null=True, blank=True, help_text="Leave empty when vesting starts on your start date."
    )
    refresher_value = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Expected yearly refresher grant (value)",
        help_text="A new grant each year; it vests over 4 years from the next year.",
    )
    share_price_change_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("500"))],
        verbose_name="Assumed yearly change in share price (%)",
        help_text="0 keeps today's price; negative for a falling price.",
    )
    exercise_window_days = models.PositiveSmallIntegerField(
        default=DEFAULT_EXERCISE_WINDOW_DAYS,
        validators=[MaxValueValidator(MAX_EXERCISE_WINDOW_DAYS)],
        verbose_name="Exercise window after leaving (days)",
        help_text="Days after leaving to buy vested options; 90 is common, some companies give "
        "years.",
    )
    early_exercise = models.BooleanField(
        default=False,
        verbose_name="Early exercise allowed",
        help_text="The plan lets you buy unvested shares at the strike now.",
    )
    election_83b = models.BooleanField(
        default=False,
        verbose_name="83(b) election",
        help_text="Only with early exercise: taxed on the spread at grant, not as shares vest.",
    )
    is_private_company = models.BooleanField(
        default=False, verbose_name="Private company (equity is illiquid)"
    )
    illiquidity_discount_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=PERCENT_0_100,
        verbose_name="Discount private equity by (%)",
        help_text="Private shares can't be sold freely; the raw value stays visible.",
    )

    # Employee stock purchase plan (ESPP)
    espp_contribution_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=PERCENT_0_15,
        verbose_name="ESPP contribution (% of base)",
        help_text="What you would put in from each paycheck, up to 15; 0 for no ESPP.",
    )
    espp_discount_percent = models.DecimalField(
        **percent,
        default=ESPP_MAX_PERCENT,
        validators=PERCENT_0_15,
        verbose_name="ESPP discount (%)",
        help_text="Off the purchase price; 15 is the most a U.S. plan gives, and the usual.",
    )
    espp_lookback = models.BooleanField(
        default=False,
        verbose_name="ESPP look-back",
        help_text="The discount applies to the lower of the price at the offering's start and at "
        "purchase.",
    )
    espp_offering_months = models.PositiveSmallIntegerField(
        choices=[(months, f"{months} months") for months in ESPP_OFFERING_MONTHS],
        default=ESPP_OFFERING_MONTHS[0],
        verbose_name="ESPP offering period",
        help_text="Shares are bought at its end (every 6 months in a 24-month offering); a "
        "look-back reaches back to its start.",
    )

    # Benefits
    retirement_match_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=PERCENT_0_100,
        verbose_name="Retirement: matched share of salary (%)",
        help_text="E.g. 6 when the employer matches up to 6% of salary.",
    )
    retirement_match_rate_percent = models.DecimalField(
        **percent,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
        verbose_name="Retirement: match rate (%)",
        help_text="E.g. 50 when it adds 50 cents per dollar you put in.",
    )
    retirement_match_cap = models.DecimalField(
        **money,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        verbose_name="Retirement: yearly match cap",
    )
    health_contribution = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Employer health contribution (yearly)",
    )
    learning_budget = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Learning budget (yearly)",
    )
    wellness_budget = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Wellness budget (yearly)",
    )
    home_office_budget = models.DecimalField(
        **money,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
        verbose_name="Home office budget (yearly)",
    )
    other_perks = models.JSONField(default=list, blank=True)
    paid_days_off = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    remote_policy = models.CharField(max_length=8, choices=RemotePolicy.choices, blank=True)

    # This site's market data, if the owner chose to add the offer to it (offers/contributions.py).
    # The link runs from the offer only, so nothing in the contribution leads back to a person.
    contribution = models.OneToOneField(
        "benchmarks.Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["decision_deadline", "-updated_at"]
        indexes = [models.Index(fields=["owner", "decision_deadline"], name="offer_owner_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_salary__gte=0)
                & Q(sign_on_year1__gte=0)
                & Q(sign_on_year2__gte=0)
                & Q(relocation__gte=0)
                & Q(refresher_value__gte=0)
                & Q(health_contribution__gte=0)
                & Q(learning_budget__gte=0)
                & Q(wellness_budget__gte=0)
                & Q(home_office_budget__gte=0),
                name="offer_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(bonus_percent__isnull=True) | Q(bonus_percent__gte=0, bonus_percent__lte=100)
                )
                & (Q(bonus_fixed__isnull=True) | Q(bonus_fixed__gte=0))
                & ~Q(bonus_percent__isnull=False, bonus_fixed__isnull=False),
                name="offer_one_bonus_form",
            ),
            models.CheckConstraint(
                condition=Q(yearly_raise_percent__gte=0, yearly_raise_percent__lte=100)
                & Q(retirement_match_percent__gte=0, retirement_match_percent__lte=100)
                & Q(illiquidity_discount_percent__gte=0, illiquidity_discount_percent__lte=100),
                name="offer_percentages_in_range",
            ),
            models.CheckConstraint(
                condition=Q(strike_price__isnull=True) | Q(equity_kind__in=sorted(OPTION_KINDS)),
                name="offer_strike_only_for_options",
            ),
            models.CheckConstraint(
                condition=Q(exercise_window_days__lte=MAX_EXERCISE_WINDOW_DAYS)
                & (
                    Q(early_exercise=False)
                    | Q(equity_kind__in=sorted(k.value for k in OPTION_KINDS))
                )
                & (Q(election_83b=False) | Q(early_exercise=True)),
                name="offer_option_terms_valid",
            ),
            models.CheckConstraint(
                condition=Q(espp_contribution_percent__gte=0)
                & Q(espp_contribution_percent__lte=ESPP_MAX_PERCENT)
                & Q(espp_discount_percent__gte=0)
                & Q(espp_discount_percent__lte=ESPP_MAX_PERCENT)
                & Q(espp_offering_months__in=ESPP_OFFERING_MONTHS),
                name="offer_espp_terms_in_range",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True)
                | Q(decision_deadline__isnull=True)
                | Q(decision_deadline__gte=models.F("received_on")),
                name="offer_deadline_after_received",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="offer_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(sign_on_clawback__in=["full", "pro_rata"]),
                name="offer_sign_on_clawback_known",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(JSONArrayLength("other_perks"), MAX_PERKS),
                name="offer_perks_at_most_50",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), MAX_NOTES_CHARACTERS)
                & LessThanOrEqual(Length("custom_vesting_percentages"), MAX_VESTING_TEXT)
                & LessThanOrEqual(Length("company"), 120)
                & LessThanOrEqual(Length("job_title"), 120),
                name="offer_text_lengths_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.job_title or self.role}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("offers:detail", kwargs={"pk": self.pk})

    def unsaved_copy(self) -> "Offer":
        """This offer's terms and context (role, place, as loaded) in an Offer that is not saved."""
        duplicate = copy.copy(self)
        duplicate.pk = None
        duplicate.contribution_id = None  # a copy is not the offer its owner contributed
        return duplicate

    @property
    def has_options(self) -> bool:
        return self.equity_kind in OPTION_KINDS

    def is_overdue(self, today: date) -> bool:
        """Still awaiting a decision after its deadline."""
        return (
            self.decision_deadline is not None
            and self.decision_deadline < today
            and self.status in (self.Status.RECEIVED, self.Status.NEGOTIATING)
        )

    @property
    def equity_is_illiquid(self) -> bool:
        return self.is_private_company and self.equity_kind != self.EquityKind.NONE


def _decimal_fields(shape: dict) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in Offer._meta.fields
        if isinstance(f, models.DecimalField)
        and (f.max_digits, f.decimal_places) == (shape["max_digits"], shape["decimal_places"])
    )


# Amounts in the offer's currency (to the cent), and prices per share (to four decimals): typed
# as people write amounts on every form, shown with the currency in a round history.
MONEY_FIELDS = _decimal_fields(money)
SHARE_PRICE_FIELDS = _decimal_fields(price)
AMOUNT_LIMITS = {
    name: MAX_GRANT_VALUE if name == "equity_grant_value" else MAX_YEARLY_CASH
    for name in MONEY_FIELDS
}


# --- Negotiation rounds and share links ---------------------------------------------------------

# The offer fields a round of negotiation can change, in the order a history shows them.
ROUND_FIELDS = (
    "currency", "base_salary", "yearly_raise_percent", "bonus_type", "bonus_percent",
    "bonus_fixed", "sign_on_year1", "sign_on_year2", "clawback_months", "sign_on_clawback",
    "relocation", "equity_kind", "equity_grant_value", "equity_shares", "share_price",
    "strike_price", "vesting_schedule", "custom_vesting_percentages", "custom_vesting_cliff",
    "refresher_value", "share_price_change_percent", "exercise_window_days", "early_exercise",
    "election_83b", "is_private_company", "illiquidity_discount_percent",
    "espp_contribution_percent", "espp_discount_percent", "espp_lookback", "espp_offering_months",
    "retirement_match_percent", "retirement_match_rate_percent",
    "retirement_match_cap", "health_contribution", "learning_budget", "wellness_budget",
    "home_office_budget", "other_perks", "paid_days_off", "remote_policy",
)  # fmt: skip


def offer_snapshot(offer: Offer) -> dict:
    """The versioned fields as JSON-safe values (Decimals as strings, so nothing is rounded)."""
    snapshot = {}
    for name in ROUND_FIELDS:
        value = getattr(offer, name)
        snapshot[name] = str(value) if isinstance(value, Decimal) else value
    return snapshot


class Round(models.Model):
    """One round of a negotiation: the offer as countered by the candidate or answered by the
    company. The offer itself keeps the terms currently on the table."""

    class Who(models.TextChoices):
        CANDIDATE = "candidate", "Me (my counter)"
        COMPANY = "company", "The company"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=80)
    who = models.CharField(max_length=10, choices=Who.choices)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it was created with (OfferVersion): its rows, and the
        # triggers that keep the owner's data stamp, stay exactly as they are.
        db_table = "offers_offerversion"
        ordering = ["offer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offer_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="offer_version_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.offer.company} round {self.number}: {self.label}"

    def terms(self) -> dict:
        """This round's versioned fields as model values (Decimals, not the stored strings)."""
        return {
            name: Offer._meta.get_field(name).to_python(value) if value is not None else None
            for name, value in self.snapshot.items()
            if name in ROUND_FIELDS
        }

    def matches(self, offer: Offer) -> bool:
        """Whether the offer's terms are this round's (171000 and 171000.00 are the same)."""
        return all(getattr(offer, name) == value for name, value in self.terms().items())

    def apply_to(self, offer: Offer) -> list[str]:
        """Set this round's terms on `offer` (nothing is saved); the names of the fields set."""
        terms = self.terms()
        for name, value in terms.items():
            setattr(offer, name, value)
        return list(terms)

    def as_offer(self) -> Offer:
        """An unsaved Offer with this round's terms and the offer's context (role, place)."""
        offer = self.offer.unsaved_copy()  # keeps the loaded role, level and place
        self.apply_to(offer)
        return offer


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class ShareLink(models.Model):
    """A read-only link to one comparison of the owner's offers, for someone without an account."""

    class Hideable(models.TextChoices):
        COMPANY = "company", "Company names"
        JOB_TITLE = "job_title", "Job titles"
        LOCATION = "location", "Locations"
        MARKET = "market", "Market position"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    # Ids in the order compared; read back only through owner=self.owner, so a link can never
    # show anyone else's offer, and a deleted offer simply drops out.
    offer_ids = models.JSONField(default=list)
    currency = models.CharField(max_length=3, default="USD")
    hidden_fields = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="share_link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Share link {self.pk} of {self.owner}"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def hides(self, field: str) -> bool:
        return field in self.hidden_fields

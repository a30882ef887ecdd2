"""Market data: occupations, roles, levels, places, bands and the factors that adapt them."""

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.stamps import new_stamp

PERCENTILE_FIELDS = ("p10", "p25", "p50", "p75", "p90")
money_field = {"max_digits": 14, "decimal_places": 2}


class Occupation(models.Model):
    """An official occupation (SOC code) whose wage statistics stand for one or more roles."""

    soc_code = models.CharField("SOC code", max_length=7, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["soc_code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.soc_code})"


class Role(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="The official occupation whose data stands for this role (location and industry factors).",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A role's bands belong to its occupation: the lookup finds them through it.
        self.bands.exclude(occupation_id=self.occupation_id).update(
            occupation_id=self.occupation_id
        )


class Level(models.Model):
    """A rung of the career ladder; `rank` orders them (Entry=10 … Chief=70)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class Kind(models.TextChoices):
        NATION = "nation", "Nation"
        STATE = "state", "State or territory"
        METRO = "metro", "Metropolitan area"
        NONMETRO = "nonmetro", "Nonmetropolitan area"
        CITY = "city", "City"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166 code, e.g. US, GB, DE.")
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. USD.")
    bls_area_code = models.CharField("BLS area code", max_length=7, blank=True)
    state_code = models.CharField(max_length=2, blank=True, help_text="Primary state (US).")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bls_area_code"],
                condition=~Q(bls_area_code=""),
                name="location_bls_area_code_unique",
            ),
            models.UniqueConstraint(
                fields=["name", "kind", "country"], name="location_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="location_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    name = models.CharField(max_length=200)
    naics_code = models.CharField("NAICS code", max_length=8, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"
        constraints = [
            models.UniqueConstraint(
                fields=["naics_code"], condition=~Q(naics_code=""), name="industry_naics_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompanySize(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = "company size"

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official statistics"
        PUBLISHED = "published", "Published guide"
        ASSUMPTION = "assumption", "Assumption"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    publisher = models.CharField(max_length=200)
    url = models.URLField("link", blank=True)
    release = models.CharField(max_length=60, help_text='e.g. "May 2025".')
    effective_date = models.DateField()
    notes = models.TextField(
        blank=True, help_text="How the figures were read: assumptions live here."
    )
    licence = models.CharField(max_length=200, blank=True)
    top_coding_bound = models.DecimalField(
        "top-coding bound",
        null=True,
        blank=True,
        help_text=(
            "Official releases only: the yearly wage the release prints '#' at or above "
            "(May 2025: 239,200). A '#' cell is stored as at least this."
        ),
        **money_field,
    )

    class Meta:
        ordering = ["-effective_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "release"], name="source_unique_release"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.release}"


class BandQuerySet(models.QuerySet):
    def effective_on(self, as_of: date):
        return self.filter(effective_date__lte=as_of)

    def official_cells_of(self, source: "Source"):
        """The cells an official release publishes: base salary, no role, level or company size."""
        return self.filter(
            source=source,
            effective_date=source.effective_date,
            role__isnull=True,
            level__isnull=True,
            company_size__isnull=True,
            component=Band.Component.BASE,
        )


class Band(models.Model):
    """Percentiles of pay for one cell: occupation or role, level, place, industry, company size."""

    class Component(models.TextChoices):
        BASE = "base", "Base salary"
        TOTAL_CASH = "total_cash", "Total cash"
        TOTAL_COMP = "total_comp", "Total compensation"

    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="bands")
    role = models.ForeignKey(
        Role,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bands",
        help_text="Empty for official data, which covers the whole occupation.",
    )
    level = models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        help_text="Empty for official data, which covers all experience levels.",
    )
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bands")
    # No single-column indexes on these: nearly every band leaves them empty, and such an index
    # lured SQLite's planner into reading every band (the lookup index below serves instead).
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    company_size = models.ForeignKey(
        CompanySize, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    component = models.CharField(max_length=10, choices=Component.choices, default=Component.BASE)
    currency = models.CharField(max_length=3, default="USD")
    p10 = models.DecimalField("10th", null=True, blank=True, **money_field)
    p25 = models.DecimalField("25th", null=True, blank=True, **money_field)
    p50 = models.DecimalField("median", **money_field)
    p75 = models.DecimalField("75th", null=True, blank=True, **money_field)
    p90 = models.DecimalField("90th", null=True, blank=True, **money_field)
    top_coded_from = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Lowest percentile that is top-coded: it and those above are lower bounds, not exact values.",
    )
    employment = models.PositiveIntegerField(null=True, blank=True)
    reference_industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        help_text=(
            "For a band without an industry of its own that in fact describes one industry's "
            "pay (a guide to people who mostly work in technology companies): industry factors "
            "are then applied relative to this industry, so its premium is never counted twice."
        ),
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="bands")
    effective_date = models.DateField()
    history = HistoricalRecords()

    objects = BandQuerySet.as_manager()

    class Meta:
        ordering = ["occupation", "location", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                F("occupation"),
                Coalesce("role", Value(0)),
                Coalesce("level", Value(0)),
                F("location"),
                Coalesce("industry", Value(0)),
                Coalesce("company_size", Value(0)),
                F("component"),
                F("source"),
                F("effective_date"),
                name="band_one_per_cell",
            ),
            models.CheckConstraint(
                condition=Q(p10__gte=0) | Q(p10__isnull=True), name="band_p10_not_negative"
            ),
            models.CheckConstraint(condition=Q(p50__gt=0), name="band_median_positive"),
            models.CheckConstraint(
                condition=Q(p10__isnull=True) | Q(p25__isnull=True) | Q(p10__lte=F("p25")),
                name="band_p10_le_p25",
            ),
            models.CheckConstraint(
                condition=Q(p25__isnull=True) | Q(p25__lte=F("p50")), name="band_p25_le_p50"
            ),
            models.CheckConstraint(
                condition=Q(p75__isnull=True) | Q(p50__lte=F("p75")), name="band_p50_le_p75"
            ),
            models.CheckConstraint(
                condition=Q(p75__isnull=True) | Q(p90__isnull=True) | Q(p75__lte=F("p90")),
                name="band_p75_le_p90",
            ),
            models.CheckConstraint(
                condition=Q(top_coded_from__isnull=True)
                | Q(top_coded_from__in=[10, 25, 50, 75, 90]),
                name="band_top_coded_point",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(role__isnull=False),
                name="band_level_needs_role",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="band_currency_iso"
            ),
        ]
        indexes = [
            # The lookup's query: a few places (the asked one and its nation) × occupations.
            models.Index(
                fields=["location", "occupation", "component", "effective_date"],
                name="band_place_lookup",
            ),
            models.Index(fields=["role", "level", "component"], name="band_role_level"),
        ]

    def __str__(self) -> str:
        who = self.role or self.occupation.title
        level = f" {self.level}" if self.level_id else ""
        return (
            f"{who}{level}, {self.location} ({self.get_component_display()}, {self.effective_date})"
        )

    def save(self, *args, **kwargs):
        if self.role_id is not None:
            # A role's band always stands under the role's occupation (see Role.save).
            self.occupation_id = self.role.occupation_id
        super().save(*args, **kwargs)

    @property
    def percentiles(self) -> dict[int, Decimal | None]:
        return {10: self.p10, 25: self.p25, 50: self.p50, 75: self.p75, 90: self.p90}


class Factor(models.Model):
    """A multiplier that adapts a national band to a place, an industry or a company size."""

    class Kind(models.TextChoices):
        LOCATION = "location", "Location"
        INDUSTRY = "industry", "Industry"
        COMPANY_SIZE = "company_size", "Company size"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Empty: applies to every occupation.",
    )
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE)
    industry = models.ForeignKey(Industry, null=True, blank=True, on_delete=models.CASCADE)
    company_size = models.ForeignKey(CompanySize, null=True, blank=True, on_delete=models.CASCADE)
    value = models.DecimalField(
        "median factor",
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text="1.2000 means 20% above the national level (median ÷ median).",
    )
    # Official differentials differ across pay levels: an area's 90th over the U.S. 90th is not
    # its median over the U.S. median. Empty: the median factor is used at that percentile.
    value_p10 = models.DecimalField(
        "10th factor", null=True, blank=True, max_digits=6, decimal_places=4
    )
    value_p25 = models.DecimalField(
        "25th factor", null=True, blank=True, max_digits=6, decimal_places=4
    )
    value_p75 = models.DecimalField(
        "75th factor", null=True, blank=True, max_digits=6, decimal_places=4
    )
    value_p90 = models.DecimalField(
        "90th factor", null=True, blank=True, max_digits=6, decimal_places=4
    )
    basis = models.CharField(
        max_length=300, blank=True, help_text="How it was computed, e.g. the two medians."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="factors")
    effective_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-effective_date"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="factor_value_positive"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gt": 0}) | Q(**{f"{field}__isnull": True}),
                    name=f"factor_{field}_positive",
                )
                for field in ("value_p10", "value_p25", "value_p75", "value_p90")
            ],
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="location",
                        location__isnull=False,
                        industry__isnull=True,
                        company_size__isnull=True,
                    )
                    | Q(
                        kind="industry",
                        industry__isnull=False,
                        location__isnull=True,
                        company_size__isnull=True,
                    )
                    | Q(
                        kind="company_size",
                        company_size__isnull=False,
                        location__isnull=True,
                        industry__isnull=True,
                    )
                ),
                name="factor_target_matches_kind",
            ),
            models.UniqueConstraint(
                F("kind"),
                Coalesce("occupation", Value(0)),
                Coalesce("location", Value(0)),
                Coalesce("industry", Value(0)),
                Coalesce("company_size", Value(0)),
                F("source"),
                F("effective_date"),
                name="factor_one_per_target",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "occupation", "effective_date"], name="factor_lookup")
        ]

    def __str__(self) -> str:
        target = self.location or self.industry or self.company_size
        return f"{self.get_kind_display()} factor {target}: {self.value}"

    @property
    def by_percentile(self) -> dict[int, Decimal]:
        """The factor at each percentile; the median factor where none of its own is stored."""
        own = {10: self.value_p10, 25: self.value_p25, 75: self.value_p75, 90: self.value_p90}
        return {p: own.get(p) or self.value for p in (10, 25, 50, 75, 90)}


class LevelBasis(models.Model):
    """What one level of one role stands on: a band of its own, a window of an official
    distribution, or a step over the level below."""

    class Method(models.TextChoices):
        OWN_BAND = "own_band", "The role's own band for this level"
        OFFICIAL_WINDOW = "window", "A window of an official occupation's distribution"
        STEP = "step", "A step over the level below"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="level_bases")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10, choices=Method.choices)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Window only: the official occupation whose local distribution the level sits in.",
    )
    window_low = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Window only: the occupation's percentile at which the level's 25th percentile "
            "sits (e.g. 50 for Senior)."
        ),
    )
    window_high = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Window only: the occupation's percentile at which the level's 75th sits.",
    )
    step = models.DecimalField(
        null=True,
        blank=True,
        max_digits=5,
        decimal_places=4,
        help_text="Step only: the level below × this (1.1500 is 15% above it).",
    )
    reason = models.CharField(
        max_length=300, help_text="One line a person reads: why the level stands on this."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="level_bases")
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "level__rank"]
        verbose_name = "level basis"
        verbose_name_plural = "level bases"
        constraints = [
            models.UniqueConstraint(fields=["role", "level"], name="level_basis_one_per_level"),
            models.CheckConstraint(
                condition=(
                    Q(
                        method="own_band",
                        occupation__isnull=True,
                        window_low__isnull=True,
                        window_high__isnull=True,
                        step__isnull=True,
                    )
                    | Q(
                        method="window",
                        occupation__isnull=False,
                        window_low__gte=0,
                        window_high__lte=100,
                        window_low__lt=F("window_high"),
                        step__isnull=True,
                    )
                    | Q(
                        method="step",
                        step__gt=1,
                        occupation__isnull=True,
                        window_low__isnull=True,
                        window_high__isnull=True,
                    )
                ),
                name="level_basis_fields_match_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.level}: {self.get_method_display()}"


class WageGrowth(models.Model):
    """The yearly rate at which bands are aged from their date to the date asked."""

    yearly_rate = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text="0.0350 is 3.5% a year.",
    )
    effective_date = models.DateField(help_text="Used for dates on or after this one.")
    basis = models.CharField(max_length=300, help_text="Where the rate comes from.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="wage_growth")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_date"]
        verbose_name = "wage growth rate"
        constraints = [
            models.UniqueConstraint(fields=["effective_date"], name="wage_growth_one_per_date"),
            models.CheckConstraint(
                condition=Q(yearly_rate__gt=-0.5, yearly_rate__lt=0.5),
                name="wage_growth_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.yearly_rate:.2%} a year from {self.effective_date}"


class BacktestFigure(models.Model):
    """How far one kind of derivation lands from official cells it was not shown (per release)."""

    class Kind(models.TextChoices):
        METRO = "metro", "Metro area from the national band × a location factor"
        STATE = "state", "State from the national band × a location factor"
        INDUSTRY = "industry", "National industry band from all industries × an industry factor"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="backtests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    cells = models.PositiveIntegerField(
        help_text="Derivations compared with the official cells they hid (one cell can be "
        "derived from several reference occupations)."
    )
    median_error = models.DecimalField(
        max_digits=6, decimal_places=2, help_text="Median absolute error of the median, in %."
    )
    p90_error = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        help_text="90th percentile of the absolute error of the median, in %.",
    )
    computed_on = models.DateField()

    class Meta:
        ordering = ["source", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="backtest_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: typically within ±{self.median_error}%"


class ExchangeRate(models.Model):
    """How many units of `currency` one U.S. dollar buys on `date`."""

    currency = models.CharField(max_length=3)
    units_per_usd = models.DecimalField(max_digits=14, decimal_places=6)
    date = models.DateField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="exchange_rates")
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(units_per_usd__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="exchange_rate_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"1 USD = {self.units_per_usd} {self.currency} ({self.date})"


class MarketDataStampQuerySet(models.QuerySet):
    def current(self) -> int:
        """The stamp as of now; one row, read with one query. A flushed table gets a new row."""
        value = self.filter(pk=MarketDataStamp.ROW).values_list("value", flat=True).first()
        if value is None:
            stamp, _ = self.get_or_create(pk=MarketDataStamp.ROW, defaults={"value": new_stamp()})
            value = stamp.value
        return value


class MarketDataStamp(models.Model):
    """Changes whenever any market data changes (core/stamps.py).

    Triggers on every market-data table set it (migration 0003), so imports, bulk updates, the
    admin and raw SQL all change it; nothing in Python has to remember to. Caches of market data
    (benchmarks/market_cache.py) carry it in their keys, read once per request.
    """

    ROW = 1
    value = models.BigIntegerField()

    objects = MarketDataStampQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Market data stamp {self.value}"


class Contribution(models.Model):
    """One offer its owner chose to add to this site's market data (community bands).

    It holds what a band needs and nothing that names anyone: no company name, notes, perks'
    names or owner. The offer points at its contribution (``Offer.contribution``); nothing here
    points back, so neither the admin nor an export of this table can lead to a person. The
    company enters only as a keyed hash, to count distinct companies and cap each one's weight;
    the owner only as another, so that a cell counts each person once.
    """

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The places whose cells it counts in: the offer's own place, its state, its country.
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    state = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nation = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.ForeignKey(
        Industry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    company_size = models.ForeignKey(
        CompanySize, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    company_key = models.CharField(
        max_length=64, help_text="A keyed hash of the company's name: counts companies, names none."
    )
    contributor_key = models.CharField(
        max_length=64,
        help_text="A keyed hash of the person who contributed it: counts people, names none.",
    )
    offered_in = models.DateField(help_text="The first day of the month the offer was made.")
    currency = models.CharField(max_length=3)
    base = models.DecimalField(**money_field)
    target_bonus = models.DecimalField(**money_field)
    yearly_equity = models.DecimalField("yearly equity", **money_field)
    first_year_total = models.DecimalField("first-year total", **money_field)
    average_yearly_total = models.DecimalField("average yearly total", **money_field)
    # Bumped whenever the figures change, so a published band knows its inputs moved.
    revision = models.PositiveIntegerField(default=1)
    is_demo = models.BooleanField(
        default=False, help_text="Made up for the demo: never counted outside development."
    )
    excluded_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Set by an admin to leave an implausible contribution out of every band.",
    )
    excluded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["role", "level", "location", "-offered_in"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base__gt=0)
                & Q(target_bonus__gte=0)
                & Q(yearly_equity__gte=0)
                & Q(first_year_total__gte=0)
                & Q(average_yearly_total__gte=0),
                name="contribution_amounts_plausible",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="contribution_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(excluded_reason="", excluded_at__isnull=True)
                | (~Q(excluded_reason="") & Q(excluded_at__isnull=False)),
                name="contribution_exclusion_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(contributor_key=""), name="contribution_contributor_key_set"
            ),
        ]
        indexes = [
            models.Index(fields=["role", "level", "offered_in"], name="contribution_cell"),
        ]

    def __str__(self) -> str:
        level = f" {self.level}" if self.level_id else ""
        return f"{self.role}{level}, {self.location} ({self.offered_in:%b %Y})"

    @property
    def is_excluded(self) -> bool:
        return bool(self.excluded_reason)

    @property
    def total_cash(self) -> Decimal:
        """Base and target bonus: the community bands' total cash (the rebuild's SQL adds the
        same two columns)."""
        return self.base + self.target_bonus


class CommunityBand(models.Model):
    """Percentiles of one component of pay for one cell (role × level × place) computed from
    this site's contributions (benchmarks/community.py), or the counts a cell still lacks.

    A cell is shown only with enough data; below that its percentiles are empty and the counts
    say how many more are needed. Its figures change only in steps a single contribution
    cannot be read back from.
    """

    class Status(models.TextChoices):
        SHOWN = "shown", "Shown"
        TOO_FEW = "too_few", "Too few contributions"
        REFRESHING = "refreshing", "Waiting for enough new contributions to change"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    component = models.CharField(max_length=10, choices=Band.Component.choices)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices)
    p10 = models.DecimalField("10th", null=True, blank=True, **money_field)
    p25 = models.DecimalField("25th", null=True, blank=True, **money_field)
    p50 = models.DecimalField("median", null=True, blank=True, **money_field)
    p75 = models.DecimalField("75th", null=True, blank=True, **money_field)
    p90 = models.DecimalField("90th", null=True, blank=True, **money_field)
    contributions = models.PositiveIntegerField(help_text="Contributions the figures stand on.")
    companies = models.PositiveIntegerField(help_text="Distinct companies among them.")
    outliers_left_out = models.PositiveIntegerField(default=0)
    earliest = models.DateField(null=True, blank=True, help_text="Month of the oldest offer used.")
    latest = models.DateField(null=True, blank=True, help_text="Month of the newest offer used.")
    as_of = models.DateField(help_text="The date the figures were aged to.")
    smoothing = models.CharField(
        max_length=300,
        blank=True,
        help_text="Set where the figures were moved to keep the levels rising, and how.",
    )
    is_demo = models.BooleanField(default=False)
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["role", "level", "location", "component"]
        constraints = [
            models.UniqueConstraint(
                F("role"),
                Coalesce("level", Value(0)),
                F("location"),
                F("component"),
                name="community_band_one_per_cell",
            ),
            models.CheckConstraint(
                condition=~Q(status="shown")
                | (
                    Q(p25__isnull=False, p50__isnull=False, p75__isnull=False)
                    & Q(p25__lte=F("p50"), p50__lte=F("p75"))
                ),
                name="community_band_shown_has_quartiles",
            ),
            models.CheckConstraint(
                condition=Q(status="shown") | Q(p50__isnull=True),
                name="community_band_hidden_has_no_figures",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="community_band_currency_iso"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "role", "component"], name="community_band_lookup"),
        ]

    def __str__(self) -> str:
        level = f" {self.level}" if self.level_id else ""
        return f"{self.role}{level}, {self.location} ({self.get_component_display()})"

    @property
    def percentiles(self) -> dict[int, Decimal | None]:
        return {10: self.p10, 25: self.p25, 50: self.p50, 75: self.p75, 90: self.p90}


class CommunityBandMember(models.Model):
    """Which contributions, at which revision, a shown community band's figures stand on: the
    next rebuild compares with it to decide whether the band may change."""

    band = models.ForeignKey(CommunityBand, on_delete=models.CASCADE, related_name="members")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["band", "contribution"], name="community_member_once_per_band"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.band}: contribution {self.contribution_id} (revision {self.revision})"

"""The market data in the Django admin: bands, the places and people they describe, and factors.

Bands are edited in the list itself (percentiles), imported and exported as CSV/XLSX sheets with
a preview, and keep a history of who changed which value when.
"""

import copy
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count, Q
from django.forms.models import construct_instance
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from benchmarks.community import WINDOW_MONTHS, CommunityCell, confidence_of
from benchmarks.community_build import cells_of, rebuild_community_bands
from benchmarks.factors import recompute_industry_factors, recompute_location_factors
from benchmarks.forms import ExclusionForm
from benchmarks.lookup import ladder_dips
from benchmarks.models import (
    PERCENTILE_FIELDS,
    BacktestFigure,
    Band,
    CommunityBand,
    CompanySize,
    Contribution,
    ExchangeRate,
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
from benchmarks.money import format_money
from benchmarks.resources import (
    PERCENTILE_NAMES,
    BandResource,
    band_value_errors,
    format_amount,
)
from benchmarks.seed import national_location

# --------------------------------------------------------------------------- the people and places


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("soc_code", "title")
    search_fields = ("soc_code", "title")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "occupation")
    list_select_related = ("occupation",)
    search_fields = ("name", "occupation__title", "occupation__soc_code")
    autocomplete_fields = ("occupation",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("name", "rank", "description")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CompanySize)
class CompanySizeAdmin(admin.ModelAdmin):
    list_display = ("name", "rank", "description")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "bls_area_code", "state_code", "country", "currency", "parent")
    list_filter = ("kind", "country", "currency")
    list_select_related = ("parent",)
    search_fields = ("name", "bls_area_code", "state_code")
    autocomplete_fields = ("parent",)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "naics_code")
    search_fields = ("name", "naics_code")


# --------------------------------------------------------------------------- sources and factors


def _can_recompute(request) -> bool:
    return request.user.has_perms(["benchmarks.add_factor", "benchmarks.change_factor"])


class RecomputeFactorsActions:
    """Admin actions that rebuild the factors from the newest official bands."""

    def has_recompute_permission(self, request) -> bool:
        return _can_recompute(request)

    def _report_recompute(self, request, kind: str, changed: int) -> None:
        self.message_user(
            request,
            f"{changed:,} {kind} factor(s) created or updated from the newest official data; "
            "the others were already current.",
            messages.SUCCESS,
        )

    @admin.action(
        description="Recompute location factors from the newest official data",
        permissions=["recompute"],
    )
    def recompute_location_factors(self, request, queryset):
        self._report_recompute(request, "location", recompute_location_factors())

    @admin.action(
        description="Recompute industry factors from the newest official data",
        permissions=["recompute"],
    )
    def recompute_industry_factors(self, request, queryset):
        self._report_recompute(request, "industry", recompute_industry_factors())


@admin.register(Source)
class SourceAdmin(RecomputeFactorsActions, admin.ModelAdmin):
    list_display = ("name", "release", "kind", "publisher", "effective_date", "band_count")
    list_filter = ("kind", "effective_date")
    search_fields = ("name", "release", "publisher")
    date_hierarchy = "effective_date"
    ordering = ("-effective_date", "name")  # the band count's GROUP BY drops the model's
    actions = ("recompute_location_factors", "recompute_industry_factors")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(band_count=Count("bands"))

    @admin.display(description="bands", ordering="band_count")
    def band_count(self, source: Source) -> str:
        return f"{source.band_count:,}"


class LevelBasisForm(forms.ModelForm):
    """Refuses a basis whose fields don't fit its method, and one that would make the role's
    ladder dip at the U.S. national level, where the data are fullest, with the reason."""

    class Meta:
        model = LevelBasis
        fields = (
            "role",
            "level",
            "method",
            "occupation",
            "window_low",
            "window_high",
            "step",
            "reason",
            "source",
        )

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        needs = {
            LevelBasis.Method.OFFICIAL_WINDOW: ("occupation", "window_low", "window_high"),
            LevelBasis.Method.STEP: ("step",),
            LevelBasis.Method.OWN_BAND: (),
        }.get(method, ())
        for name in ("occupation", "window_low", "window_high", "step"):
            if name in needs and cleaned.get(name) is None:
                self.add_error(name, f"{LevelBasis.Method(method).label} needs this.")
            elif name not in needs and cleaned.get(name) is not None:
                self.add_error(
                    name, f"Leave this empty for {LevelBasis.Method(method).label.lower()}."
                )
        low, high = cleaned.get("window_low"), cleaned.get("window_high")
        if method == LevelBasis.Method.OFFICIAL_WINDOW and low is not None and high is not None:
            if not 0 <= low < high <= 100:
                self.add_error(
                    "window_high",
                    "The window runs from a lower to a higher percentile, within 0–100.",
                )
            elif not 10 <= (low + high) / 2 <= 90:
                self.add_error(
                    "window_low",
                    "The level's median (the window's midpoint) must fall within the published 10th–90th percentiles.",
                )
        step = cleaned.get("step")
        if method == LevelBasis.Method.STEP and step is not None and step <= 1:
            self.add_error("step", "A step is above the level below: more than 1.0000.")
        if not self.errors and cleaned.get("role") and cleaned.get("level"):
            self._refuse_a_dipping_ladder()
        return cleaned

    def _refuse_a_dipping_ladder(self) -> None:
        # Try the edit on a copy, inside a transaction that is always rolled back.
        candidate = construct_instance(self, copy.copy(self.instance))
        with transaction.atomic():
            candidate.save()
            dips = ladder_dips(candidate.role, national_location())
            transaction.set_rollback(True)
        if dips:
            raise forms.ValidationError(
                "This would make pay fall with level for %(role)s at the U.S. national level: "
                "%(dips)s. Each level's median must be above the one below.",
                params={"role": candidate.role, "dips": "; ".join(dips)},
            )


@admin.register(LevelBasis)
class LevelBasisAdmin(SimpleHistoryAdmin):
    form = LevelBasisForm
    list_display = ("role", "level", "method", "occupation", "window_low", "window_high", "step")
    list_filter = ("method", "level", "role")
    list_select_related = ("role", "level", "occupation")
    search_fields = ("role__name", "level__name", "reason")
    autocomplete_fields = ("role", "occupation", "source")
    ordering = ("role__name", "level__rank")


@admin.register(WageGrowth)
class WageGrowthAdmin(SimpleHistoryAdmin):
    list_display = ("yearly_rate", "effective_date", "basis", "source")
    autocomplete_fields = ("source",)


@admin.register(BacktestFigure)
class BacktestFigureAdmin(admin.ModelAdmin):
    """Written by ``manage.py backtest_bands``; read here."""

    list_display = ("source", "kind", "cells", "median_error", "p90_error", "computed_on")
    list_filter = ("kind",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Factor)
class FactorAdmin(RecomputeFactorsActions, SimpleHistoryAdmin):
    list_display = (
        "kind",
        "target",
        "occupation",
        "value",
        "basis",
        "source",
        "effective_date",
    )
    list_filter = ("kind", "location__kind", "source", "effective_date")
    list_select_related = ("occupation", "location", "industry", "company_size", "source")
    search_fields = (
        "location__name",
        "location__bls_area_code",
        "industry__name",
        "company_size__name",
        "occupation__title",
        "occupation__soc_code",
    )
    autocomplete_fields = ("occupation", "location", "industry", "company_size", "source")
    history_list_display = ("value", "basis")
    show_full_result_count = False
    actions = ("recompute_location_factors", "recompute_industry_factors")

    @admin.display(description="applies to")
    def target(self, factor: Factor) -> str:
        return str(factor.location or factor.industry or factor.company_size or "—")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ("currency", "units_per_usd", "date", "source")
    list_filter = ("currency", "source", "date")
    list_select_related = ("source",)
    search_fields = ("currency",)
    autocomplete_fields = ("source",)
    history_list_display = ("units_per_usd",)


# --------------------------------------------------------------------------- bands


class AmountInput(forms.NumberInput):
    """Whole amounts without ".00", so 135980.00 reads 135980 in the inputs."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        return super().format_value(value)


class BandForm(forms.ModelForm):
    """Refuses percentiles out of order or below zero, naming the fields in words.

    Also the form of the list's inline edits, where only the percentiles are fields: the other
    values come from the band being edited.
    """

    class Meta:
        model = Band
        fields = (
            "occupation",
            "role",
            "level",
            "component",
            "currency",
            "location",
            "industry",
            "company_size",
            *PERCENTILE_FIELDS,
            "top_coded_from",
            "employment",
            "source",
            "effective_date",
        )
        widgets = {name: AmountInput(attrs={"min": "0"}) for name in PERCENTILE_FIELDS}

    def clean(self):
        cleaned = super().clean()
        values = {}
        for name in (*PERCENTILE_FIELDS, "role", "level", "currency", "top_coded_from"):
            if name in self.errors:
                continue  # already reported by the field itself
            values[name] = (
                cleaned.get(name) if name in self.fields else getattr(self.instance, name)
            )
        for name, message in band_value_errors(values).items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class BandListForm(BandForm):
    """A row of the list's inline edits. The list shows no label beside its inputs, so each one
    is named for screen readers: which percentile, of which band."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return  # the formset's blank form, never shown in the list
        for name in PERCENTILE_FIELDS:
            if name in self.fields:
                what = PERCENTILE_NAMES[name]
                self.fields[name].widget.attrs["aria-label"] = (
                    f"{what[0].upper()}{what[1:]} of {self.instance}"
                )


@admin.register(Band)
class BandAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = BandForm
    resource_classes = [BandResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    list_display = (
        "who",
        "level",
        "location",
        "industry",
        "company_size",
        "component",
        "p10",
        "p25",
        "p50",
        "p75",
        "p90",
        "band",
        "source",
        "effective_date",
    )
    list_display_links = ("who",)
    list_editable = PERCENTILE_FIELDS
    list_filter = (
        "role",
        "level",
        "location__kind",
        "source",
        "effective_date",
        "component",
        "company_size",
    )
    list_select_related = (
        "occupation",
        "role",
        "level",
        "location",
        "industry",
        "company_size",
        "source",
    )
    search_fields = (
        "occupation__title",
        "occupation__soc_code",
        "role__name",
        "location__name",
        "location__bls_area_code",
        "industry__name",
        "industry__naics_code",
    )
    autocomplete_fields = (
        "occupation",
        "role",
        "level",
        "location",
        "industry",
        "company_size",
        "source",
    )
    # Counting every band for "n of N" costs a full scan on each page view.
    show_full_result_count = False
    history_list_display = PERCENTILE_FIELDS
    fieldsets = (
        (None, {"fields": ("occupation", "role", "level", "component", "currency")}),
        ("Where", {"fields": ("location", "industry", "company_size")}),
        (
            "Percentiles",
            {
                "fields": (*PERCENTILE_FIELDS, "top_coded_from", "employment"),
                "description": "The 10th and 90th may be empty. A top-coded value is a lower bound.",
            },
        ),
        ("Provenance", {"fields": ("source", "effective_date")}),
    )

    def get_changelist_form(self, request, **kwargs):
        # Django's list edits use a plain ModelForm; ours explains percentile mistakes.
        return super().get_changelist_form(request, form=BandListForm, **kwargs)

    @admin.display(description="role or occupation", ordering="occupation__title")
    def who(self, band: Band) -> str:
        return band.role.name if band.role_id else str(band.occupation)

    @admin.display(description="10th · 25th · median · 75th · 90th")
    def band(self, band: Band) -> str:
        points = []
        for point, amount in band.percentiles.items():
            text = format_amount(amount)
            if amount is not None and band.top_coded_from and point >= band.top_coded_from:
                text = f"≥{text}"
            points.append(text)
        return f"{' · '.join(points)} {band.currency}"


# --------------------------------------------------------------------------- community bands


def _money(amount: Decimal | None, currency: str) -> str:
    return "—" if amount is None else format_money(amount, currency)


def _month(day) -> str:
    return f"{day:%b %Y}" if day else "—"


def _rebuild_cells_after_commit(contributions: list[Contribution]) -> None:
    """Have the community bands these contributions count in rebuilt once the change is saved."""
    cells = {cell for contribution in contributions for cell in cells_of(contribution)}
    if cells:
        transaction.on_commit(lambda: rebuild_community_bands(cells=cells))


def _row_id(text: str | None) -> int | None:
    """An id from the address, or None for anything a database key can't hold."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return int(text)
    return None


def titled(list_filter: type[admin.FieldListFilter], title: str) -> type[admin.FieldListFilter]:
    """A field's filter under a title people read ("demo data", not "is demo")."""

    class Titled(list_filter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class ContributionStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("counted", "Not left out"), ("left_out", "Left out by an admin"))

    def queryset(self, request, queryset):
        if self.value() == "counted":
            return queryset.filter(excluded_reason="")
        if self.value() == "left_out":
            return queryset.exclude(excluded_reason="")
        return queryset


class CellPlaceFilter(admin.SimpleListFilter):
    """A contribution counts in its own place's cell, its state's and its country's: filtering by
    a place lists every contribution that place's cells count."""

    title = "counts in place"
    parameter_name = "place"

    def lookups(self, request, model_admin):
        used = Contribution.objects.order_by()
        places = Location.objects.filter(
            Q(pk__in=used.values("location"))
            | Q(pk__in=used.values("state"))
            | Q(pk__in=used.values("nation"))
        ).order_by("kind", "name")
        return [(str(place.pk), place.name) for place in places]

    def queryset(self, request, queryset):
        place = _row_id(self.value())
        if place is None:
            return queryset
        return queryset.filter(Q(location=place) | Q(state=place) | Q(nation=place))


LEAVE_OUT_LISTED = 50


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    """The offers people added to this site's market data, by cell, without who or which company.

    An admin reads the figures and may leave an implausible contribution out of every band (with
    a reason) or count it again; nothing else. The company key is never shown, there is no export,
    and no link runs to an offer or a person (the offer points here, nothing points back).
    """

    list_display = (
        "role",
        "level",
        "location",
        "month",
        "base_shown",
        "total_cash",
        "average_yearly_total_shown",
        "status",
        "demo",
    )
    list_display_links = ("role",)
    list_filter = (
        ContributionStatusFilter,
        ("is_demo", titled(admin.BooleanFieldListFilter, "demo data")),
        ("role", admin.RelatedOnlyFieldListFilter),
        ("level", admin.RelatedOnlyFieldListFilter),
        ("location__kind", titled(admin.ChoicesFieldListFilter, "kind of place")),
        CellPlaceFilter,
    )
    list_select_related = ("role", "level", "location")
    search_fields = ("role__name", "location__name")
    ordering = ("role__name", "level__rank", "location__name", "-offered_in", "pk")
    actions = ("leave_out", "count_again")
    fieldsets = (
        (None, {"fields": ("role", "level", "location", "state", "nation", "month")}),
        ("Context", {"fields": ("industry", "company_size")}),
        (
            "Figures, as computed from the offer",
            {
                "fields": (
                    "currency",
                    "base_shown",
                    "target_bonus_shown",
                    "yearly_equity_shown",
                    "total_cash",
                    "first_year_total_shown",
                    "average_yearly_total_shown",
                )
            },
        ),
        ("In community bands", {"fields": ("status", "excluded_at", "demo", "revision")}),
    )
    readonly_fields = (
        "role",
        "level",
        "location",
        "state",
        "nation",
        "month",
        "industry",
        "company_size",
        "currency",
        "base_shown",
        "target_bonus_shown",
        "yearly_equity_shown",
        "total_cash",
        "first_year_total_shown",
        "average_yearly_total_shown",
        "status",
        "excluded_at",
        "demo",
        "revision",
    )

    # Not shown, so not to be filtered on either: a key's first characters would group the
    # contributions by company (or by person), and the time to the second could be matched to
    # when a person was signed in. (Django allows a lookup on any of a model's own fields by
    # default.)
    UNFILTERABLE = frozenset({"company_key", "contributor_key", "created_at", "updated_at"})

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        if lookup.split("__", 1)[0] in self.UNFILTERABLE:
            return False
        return super().lookup_allowed(lookup, value, request)

    def changelist_view(self, request, extra_context=None):
        # Django would say "Select contribution to change": none can be changed.
        context = {
            "title": "Contributions to this site's market data",
            "cell_summary": self.cell_summary(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def cell_summary(self, request) -> dict | None:
        """When the list is filtered to one role, one level (or none) and one place: how many
        contributions that cell counts, from how many companies, and how many are left out."""
        role, place = _row_id(request.GET.get("role__id__exact")), _row_id(request.GET.get("place"))
        level = _row_id(request.GET.get("level__id__exact"))
        no_level = request.GET.get("level__isnull") == "True"
        if role is None or place is None or (level is None and not no_level):
            return None
        cell = Contribution.objects.filter(
            Q(location=place) | Q(state=place) | Q(nation=place),
            role=role,
            **({"level__isnull": True} if no_level else {"level": level}),
        )
        counts = cell.aggregate(
            counted=Count("pk", filter=Q(excluded_reason="")),
            companies=Count("company_key", filter=Q(excluded_reason=""), distinct=True),
            left_out=Count("pk", filter=~Q(excluded_reason="")),
        )
        names = [
            str(Role.objects.filter(pk=role).first() or ""),
            "" if no_level else str(Level.objects.filter(pk=level).first() or ""),
        ]
        label = f"{' '.join(n for n in names if n)}, {Location.objects.filter(pk=place).first()}"
        return {"label": label, **counts}

    def has_add_permission(self, request) -> bool:
        return False  # contributions come only from people's own offers

    def has_change_permission(self, request, obj=None) -> bool:
        # The list's actions (leave out, count again) need it; a contribution's own page is
        # read-only, since a person's figures are theirs.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # only the person withdraws a contribution; an admin leaves it out

    @admin.display(description="month", ordering="offered_in")
    def month(self, contribution: Contribution) -> str:
        return _month(contribution.offered_in)

    @admin.display(description="base", ordering="base")
    def base_shown(self, contribution: Contribution) -> str:
        return _money(contribution.base, contribution.currency)

    @admin.display(description="target bonus")
    def target_bonus_shown(self, contribution: Contribution) -> str:
        return _money(contribution.target_bonus, contribution.currency)

    @admin.display(description="yearly equity")
    def yearly_equity_shown(self, contribution: Contribution) -> str:
        return _money(contribution.yearly_equity, contribution.currency)

    @admin.display(description="total cash (base + target bonus)")
    def total_cash(self, contribution: Contribution) -> str:
        return _money(contribution.total_cash, contribution.currency)

    @admin.display(description="first-year total")
    def first_year_total_shown(self, contribution: Contribution) -> str:
        return _money(contribution.first_year_total, contribution.currency)

    @admin.display(description="average yearly total", ordering="average_yearly_total")
    def average_yearly_total_shown(self, contribution: Contribution) -> str:
        return _money(contribution.average_yearly_total, contribution.currency)

    @admin.display(description="demo data", boolean=True, ordering="is_demo")
    def demo(self, contribution: Contribution) -> bool:
        return contribution.is_demo

    @admin.display(description="status", ordering="excluded_reason")
    def status(self, contribution: Contribution) -> str:
        # The rebuild's own rules of eligibility (benchmarks/community_build.py, step 1).
        if contribution.is_excluded:
            return f"Left out: {contribution.excluded_reason}"
        if contribution.is_demo and not settings.COMMUNITY_DEMO_DATA:
            return "Not counted: demo data, counted only in development"
        today = timezone.localdate()
        offered = contribution.offered_in
        if (today.year - offered.year) * 12 + today.month - offered.month >= WINDOW_MONTHS:
            return f"Not counted: older than {WINDOW_MONTHS} months"
        return "Counted"

    @admin.action(description="Leave out of community bands…", permissions=["change"])
    def leave_out(self, request, queryset):
        form = ExclusionForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            # Named on the page up to a screenful; every one is left out all the same.
            listed = list(queryset.select_related("role", "level", "location")[:LEAVE_OUT_LISTED])
            count = queryset.count() if len(listed) == LEAVE_OUT_LISTED else len(listed)
            return TemplateResponse(
                request,
                "admin/benchmarks/contribution/leave_out.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Leave contributions out of community bands",
                    "opts": self.opts,
                    "form": form,
                    "count": count,
                    "contributions": listed,
                    "unlisted": count - len(listed),
                    # "Select all n" sends the list's filters, not each id: passed on as it came.
                    "select_across": request.POST.get("select_across") == "1",
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        reason = form.cleaned_data["excluded_reason"]
        changed = self._mark(
            request, queryset, excluded_reason=reason, message=f"Left out: {reason}"
        )
        self.message_user(
            request,
            f"{len(changed):,} contribution(s) left out of community bands; "
            "the bands they counted in are rebuilt.",
            messages.SUCCESS,
        )
        return None

    @admin.action(description="Count again in community bands", permissions=["change"])
    def count_again(self, request, queryset):
        changed = self._mark(
            request,
            queryset.exclude(excluded_reason=""),
            excluded_reason="",
            message="Counted again",
        )
        self.message_user(
            request,
            f"{len(changed):,} contribution(s) counted again; the bands they count in are rebuilt.",
            messages.SUCCESS,
        )

    def _mark(self, request, queryset, *, excluded_reason: str, message: str):
        """Set or clear the exclusion, log it under the acting admin's name (the log names the
        contribution by its cell and month only), and rebuild the cells it counts in."""
        now = timezone.now()
        with transaction.atomic():
            changed = list(queryset.select_related("role", "level", "location"))
            queryset.model.objects.filter(pk__in=[c.pk for c in changed]).update(
                excluded_reason=excluded_reason,
                excluded_at=now if excluded_reason else None,
                updated_at=now,
            )
            for contribution in changed:
                self.log_change(request, contribution, message)
            _rebuild_cells_after_commit(changed)
        return changed


@admin.register(CommunityBand)
class CommunityBandAdmin(admin.ModelAdmin):
    """Written only by the rebuild (``manage.py rebuild_community_bands``); read here."""

    list_display = (
        "cell",
        "component",
        "status_said",
        "p25_shown",
        "p50_shown",
        "p75_shown",
        "contributions",
        "companies",
        "outliers_left_out",
        "months",
        "as_of",
        "smoothing",
        "built_at",
    )
    list_filter = (
        "status",
        "component",
        "role",
        "level",
        ("is_demo", titled(admin.BooleanFieldListFilter, "demo data")),
    )
    list_select_related = ("role", "level", "location")
    search_fields = ("role__name", "location__name")
    ordering = ("role__name", "level__rank", "location__name", "component")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="cell", ordering="role__name")
    def cell(self, band: CommunityBand) -> str:
        level = f" {band.level}" if band.level_id else ""
        return f"{band.role}{level}, {band.location}"

    @admin.display(description="status", ordering="status")
    def status_said(self, band: CommunityBand) -> str:
        """Shown with its confidence, or what a hidden cell still lacks."""
        if band.status == CommunityBand.Status.SHOWN:
            return f"Shown ({confidence_of(band.contributions, band.companies)})"
        cell = CommunityCell(
            None, band.location.name, band.contributions, band.companies, band.status
        )
        lacks = [
            f"{count} more {noun if count == 1 else plural}"
            for count, noun, plural in (
                (cell.contributions_needed, "offer", "offers"),
                (cell.companies_needed, "company", "companies"),
            )
            if count
        ]
        needs = f": needs {' and '.join(lacks)}" if lacks else ""
        return f"{band.get_status_display()}{needs}"

    @admin.display(description="25th")
    def p25_shown(self, band: CommunityBand) -> str:
        return _money(band.p25, band.currency)

    @admin.display(description="median")
    def p50_shown(self, band: CommunityBand) -> str:
        return _money(band.p50, band.currency)

    @admin.display(description="75th")
    def p75_shown(self, band: CommunityBand) -> str:
        return _money(band.p75, band.currency)

    @admin.display(description="months", ordering="earliest")
    def months(self, band: CommunityBand) -> str:
        if band.earliest is None or band.latest is None:
            return "—"
        return f"{_month(band.earliest)}–{_month(band.latest)}"

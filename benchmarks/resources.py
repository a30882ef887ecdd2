"""Bands as CSV/XLSX sheets (django-import-export), keyed on names people can read.

A sheet names each related row by its natural key: occupation by SOC code, role, level and
company size by name, location by BLS area code or name, industry by NAICS code or name, source
by name and release. A row is the cell it describes, so importing an exported sheet updates the
same bands. Every problem is reported against its row in the preview, before anything is
written.

A pay-data provider's sheet of total compensation or total cash imports the same way: it may
leave out the columns it knows nothing of (SOC code, industry, company size, even the date,
which is then its source's), and names its component as providers do ("Total compensation",
"TC"). Its source is entered under Sources first, with publisher, release and effective date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.utils.safestring import mark_safe
from import_export import fields, resources, widgets

from benchmarks.models import (
    PERCENTILE_FIELDS,
    Band,
    CompanySize,
    Industry,
    Level,
    Location,
    Occupation,
    Role,
    Source,
)
from benchmarks.money import grouped_amount

__all__ = [
    "PERCENTILE_NAMES",
    "BandResource",
    "band_value_errors",
    "format_amount",
    "safe_cell",
    "unsafe_cell",
]

PERCENTILE_NAMES = {
    "p10": "10th percentile",
    "p25": "25th percentile",
    "p50": "median",
    "p75": "75th percentile",
    "p90": "90th percentile",
}
TOP_CODED_POINTS = (10, 25, 50, 75, 90)


# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as it is: a leading apostrophe before what would start a formula."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def unsafe_cell(text: str) -> str:
    """The text `safe_cell` was given, so an exported sheet imports back as it was."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def format_amount(value: Decimal | None) -> str:
    """135980 -> "135,980"; cents only when there are any; a dash for a missing amount."""
    return "—" if value is None else grouped_amount(value)


def band_value_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Problems with a band's amounts, as a person would say them, keyed by field name.

    ``values`` holds p10…p90 (Decimal or None) and optionally role, level, currency and
    top_coded_from. The database refuses the same rows; this says why in words.
    """
    errors: dict[str, str] = {}
    if values.get("p50") is None and "p50" in values:
        errors["p50"] = "The median is required."
    for name in PERCENTILE_FIELDS:
        amount = values.get(name)
        if amount is not None and amount < 0:
            errors[name] = (
                f"The {PERCENTILE_NAMES[name]} ({format_amount(amount)}) cannot be negative."
            )
    median = values.get("p50")
    if median is not None and median == 0 and "p50" not in errors:
        errors["p50"] = "The median must be above zero."
    known = [
        (name, values[name])
        for name in PERCENTILE_FIELDS
        if values.get(name) is not None and name not in errors
    ]
    for (low, low_amount), (high, high_amount) in pairwise(known):
        if low_amount > high_amount:
            message = (
                f"The {PERCENTILE_NAMES[low]} ({format_amount(low_amount)}) is above the "
                f"{PERCENTILE_NAMES[high]} ({format_amount(high_amount)})."
            )
            errors.setdefault(low, message)
    if values.get("level") is not None and values.get("role") is None and "level" in values:
        errors["level"] = (
            "A level needs a role: official data for a whole occupation covers every level."
        )
    currency = values.get("currency")
    if currency is not None and not (
        len(currency) == 3 and currency.isascii() and currency.isupper()
    ):
        errors["currency"] = f"“{currency}” is not a currency code: use three capitals, e.g. USD."
    top_coded = values.get("top_coded_from")
    if top_coded is not None and top_coded not in TOP_CODED_POINTS:
        errors["top_coded_from"] = "Top-coded from must be one of 10, 25, 50, 75 or 90."
    return errors


# --------------------------------------------------------------------------- widgets


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """Find a related row by one of several keys, saying in words when none or several match."""

    def __init__(self, model, lookups: tuple[str, ...], noun: str, **kwargs) -> None:
        self.lookups = lookups
        self.noun = noun
        super().__init__(model, field=lookups[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = unsafe_cell("" if value is None else str(value).strip())
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]  # a code typed as a number in a spreadsheet: 99.0 -> "99"
        if not text:
            return None
        queryset = self.get_queryset(text, row, **kwargs)
        for lookup in self.lookups:
            try:
                return queryset.get(**{lookup: text})
            except ObjectDoesNotExist:
                continue
            except MultipleObjectsReturned:
                raise ValueError(
                    f"Several {self.noun}s match “{text}”: use its "
                    f"{self.lookups[0].replace('_', ' ')} instead."
                ) from None
        raise ValueError(self.none_found(text, row))

    def none_found(self, text: str, row) -> str:
        return f"No {self.noun} “{text}”."

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return next((getattr(value, f) for f in self.lookups if getattr(value, f)), "")


class SourceWidget(NaturalKeyWidget):
    """A source by name, and by the row's ``source_release`` when several releases share it."""

    def __init__(self) -> None:
        super().__init__(Source, ("name",), "source")

    def get_queryset(self, value, row, *args, **kwargs):
        release = _release(row)
        sources = Source.objects.all()
        return sources.filter(release=release) if release else sources

    def none_found(self, text: str, row) -> str:
        release = _release(row)
        named = f"“{text}” (release “{release}”)" if release else f"“{text}”"
        return (
            f"No source {named}: add it under Sources first, with its publisher, release and "
            "effective date."
        )


def _release(row) -> str:
    return unsafe_cell(str((row or {}).get("source_release") or "").strip())


class MoneyWidget(widgets.DecimalWidget):
    """Amounts with or without thousands separators ("135,980" or 135980)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip().replace(",", "").replace("$", "").replace(" ", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}” is not an amount.") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value)


class ComponentWidget(widgets.Widget):
    """A component by code ("total_comp"), label ("Total compensation") or the short name pay
    data providers print ("TC")."""

    SHORT_NAMES = {
        "base pay": Band.Component.BASE,
        "tc": Band.Component.TOTAL_COMP,
        "total comp": Band.Component.TOTAL_COMP,
    }

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return Band.Component.BASE
        said = " ".join(text.lower().split())
        for code, label in Band.Component.choices:
            if said in (code, label.lower()):
                return code
        if said in self.SHORT_NAMES:
            return self.SHORT_NAMES[said]
        *others, last = [f"{label} ({code})" for code, label in Band.Component.choices]
        raise ValueError(f"“{text}” is not a component: use {', '.join(others)} or {last}.")

    def render(self, value, obj=None, **kwargs):
        return value or ""


# --------------------------------------------------------------------------- the resource

# Columns of a band's key a sheet may leave out.
OPTIONAL_KEY_COLUMNS = (
    "occupation",
    "role",
    "level",
    "industry",
    "company_size",
    "component",
    "effective_date",
)


def _one_source(row) -> Source | None:
    """The source a row names, when exactly one matches (else its widget reports the row)."""
    name = unsafe_cell(str(row.get("source") or "").strip())
    if not name:
        return None
    sources = Source.objects.filter(name=name)
    if release := _release(row):
        sources = sources.filter(release=release)
    found = list(sources[:2])
    return found[0] if len(found) == 1 else None


# diff-match-patch colours a change with an inline style, which the content security policy
# blocks (and reports as a console error). The text inside is escaped, so only its own tags match.
DIFF_STYLE = re.compile(r'<(ins|del) style="[^"<>]*">')


class PreviewDiff(resources.Diff):
    """The import preview's changes as plain <ins>/<del>, coloured by static/css/admin-import.css."""

    def as_html(self) -> list[str]:
        # The package escaped each value's text; only its own tags are changed.
        changes = [DIFF_STYLE.sub(r"<\1>", html) for html in super().as_html()]
        return [mark_safe(html) for html in changes]  # noqa: S308 - escaped by the package


def _money(name: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=MoneyWidget())


class BandResource(resources.ModelResource):
    occupation = fields.Field(
        attribute="occupation",
        column_name="occupation",
        widget=NaturalKeyWidget(Occupation, ("soc_code",), "occupation with SOC code"),
    )
    role = fields.Field(
        attribute="role", column_name="role", widget=NaturalKeyWidget(Role, ("name",), "role")
    )
    level = fields.Field(
        attribute="level", column_name="level", widget=NaturalKeyWidget(Level, ("name",), "level")
    )
    location = fields.Field(
        attribute="location",
        column_name="location",
        widget=NaturalKeyWidget(Location, ("bls_area_code", "name"), "location"),
    )
    industry = fields.Field(
        attribute="industry",
        column_name="industry",
        widget=NaturalKeyWidget(Industry, ("naics_code", "name"), "industry"),
    )
    company_size = fields.Field(
        attribute="company_size",
        column_name="company_size",
        widget=NaturalKeyWidget(CompanySize, ("name",), "company size"),
    )
    component = fields.Field(
        attribute="component", column_name="component", widget=ComponentWidget()
    )
    currency = fields.Field(attribute="currency", column_name="currency", default="USD")
    p10 = _money("p10")
    p25 = _money("p25")
    p50 = _money("p50")
    p75 = _money("p75")
    p90 = _money("p90")
    top_coded_from = fields.Field(
        attribute="top_coded_from", column_name="top_coded_from", widget=widgets.IntegerWidget()
    )
    employment = fields.Field(
        attribute="employment", column_name="employment", widget=widgets.IntegerWidget()
    )
    source = fields.Field(attribute="source", column_name="source", widget=SourceWidget())
    source_release = fields.Field(
        attribute="source__release", column_name="source_release", readonly=True
    )
    effective_date = fields.Field(
        attribute="effective_date", column_name="effective_date", widget=widgets.DateWidget()
    )

    class Meta:
        model = Band
        fields = (
            "occupation",
            "role",
            "level",
            "location",
            "industry",
            "company_size",
            "component",
            "currency",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "top_coded_from",
            "employment",
            "source",
            "source_release",
            "effective_date",
        )
        # A row is its cell: re-importing an exported sheet updates the same bands.
        import_id_fields = (
            "occupation",
            "role",
            "level",
            "location",
            "industry",
            "company_size",
            "component",
            "source",
            "effective_date",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_diff_class(self):
        return PreviewDiff

    def export_field(self, field, instance, **kwargs):
        # Names come from admins and imported sheets: none of them may run as a formula.
        value = super().export_field(field, instance, **kwargs)
        return safe_cell(value) if isinstance(value, str) else value

    def get_queryset(self):
        return Band.objects.select_related(
            "occupation", "role", "level", "location", "industry", "company_size", "source"
        )

    def before_import(self, dataset, **kwargs):
        # A provider's sheet names only what it knows: a key column it lacks is empty throughout
        # (the role's occupation, any industry and size, base salary, the source's date).
        for name in OPTIONAL_KEY_COLUMNS:
            if name not in (dataset.headers or []):
                if len(dataset):
                    dataset.append_col([""] * len(dataset), header=name)
                else:
                    dataset.headers = [*(dataset.headers or []), name]

    def before_import_row(self, row, **kwargs):
        if not str(row.get("effective_date") or "").strip():
            # A band without a date of its own is as of its source.
            source = _one_source(row)
            if source is not None:
                row["effective_date"] = source.effective_date
        # A role stands on an occupation, so a sheet of role bands may leave the SOC code out.
        if not str(row.get("occupation") or "").strip() and row.get("role"):
            role = (
                Role.objects.select_related("occupation")
                .filter(name=str(row["role"]).strip())
                .first()
            )
            if role is not None:
                row["occupation"] = role.occupation.soc_code

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            # A key column names nothing we know: import_instance reports it against the row.
            return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        values = {
            name: getattr(instance, name)
            for name in (*PERCENTILE_FIELDS, "currency", "top_coded_from")
        }
        values["role"] = instance.role_id
        values["level"] = instance.level_id
        for name, message in band_value_errors(values).items():
            errors.setdefault(name, [ValidationError(message)])
        super().validate_instance(instance, errors, validate_unique)

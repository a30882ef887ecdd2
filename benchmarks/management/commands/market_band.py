import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from benchmarks.lookup import BandQuery, ResolvedBand, band_for
from benchmarks.models import (
    Band,
    CompanySize,
    ExchangeRate,
    Industry,
    Level,
    Location,
    Role,
)
from benchmarks.money import format_money

_MATCHES_SHOWN = 5


class Command(BaseCommand):
    help = (
        "Print the market band the app would show for a role, level and place (optionally an "
        "industry and company size): percentiles, confidence, typical error and every step."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--role", required=True, help='Role name, e.g. "Technical Product Manager".'
        )
        parser.add_argument("--level", required=True, help='Level name, e.g. "Senior".')
        parser.add_argument(
            "--location",
            required=True,
            help='Place name or BLS area code, e.g. "Seattle" or 42660.',
        )
        parser.add_argument("--industry", help="NAICS code or industry name, e.g. 513200.")
        parser.add_argument("--size", help='Company size, e.g. "Large enterprise".')
        parser.add_argument(
            "--component", default=Band.Component.BASE, choices=Band.Component.values
        )
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today).")
        parser.add_argument("--currency", help="ISO 4217 code (default: the place's currency).")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, **options):
        query = BandQuery(
            role=_one(Role.objects.select_related("occupation"), options["role"], "role"),
            level=_one(Level.objects.all(), options["level"], "level"),
            location=_location(options["location"]),
            industry=_industry(options["industry"]),
            company_size=_one(CompanySize.objects.all(), options["size"], "company size"),
            component=options["component"],
            as_of=_as_of(options["as_of"]),
            currency=_currency(options["currency"]),
        )
        band = band_for(query)
        if band is None:
            raise CommandError(_why_no_band(query))
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(query, band), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_as_text(band))


# Reading the arguments -------------------------------------------------------------------


def _one(rows: QuerySet, text: str | None, noun: str) -> Model | None:
    """By name or slug: exact first, then ignoring case."""
    if text is None:
        return None
    text = text.strip()
    for condition in (Q(name=text), Q(name__iexact=text) | Q(slug__iexact=text)):
        found = list(rows.filter(condition)[:2])
        if len(found) == 1:
            return found[0]
    names = ", ".join(str(row) for row in rows[:20])
    raise CommandError(f"No {noun} named {text!r}. Known: {names}.")


def _location(text: str) -> Location:
    return _by_code_or_name(Location.objects.all(), "bls_area_code", text, "place")


def _industry(text: str | None) -> Industry | None:
    return (
        None
        if text is None
        else _by_code_or_name(Industry.objects.all(), "naics_code", text, "industry")
    )


def _by_code_or_name(rows: QuerySet, code_field: str, text: str, noun: str) -> Model:
    """The code, else the exact name, else the one name containing the text (ignoring case)."""
    text = text.strip()
    for condition in (Q(**{code_field: text}), Q(name=text), Q(name__iexact=text)):
        found = list(rows.filter(condition)[:2])
        if len(found) == 1:
            return found[0]
    found = list(rows.filter(name__icontains=text).order_by("name")[: _MATCHES_SHOWN + 1])
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"No {noun} matches {text!r} (by name or code).")
    shown = "; ".join(_with_code(row, code_field) for row in found[:_MATCHES_SHOWN])
    more = " and more" if len(found) > _MATCHES_SHOWN else ""
    raise CommandError(
        f"{text!r} matches more than one {noun}: {shown}{more}. Give the full name or the code."
    )


def _with_code(row: Model, code_field: str) -> str:
    code = getattr(row, code_field)
    return f"{row} ({code})" if code else str(row)


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of {text!r} is not a date (YYYY-MM-DD).") from None


def _currency(text: str | None) -> str | None:
    if text is None:
        return None
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise CommandError(f"--currency {text!r} is not a currency code (e.g. USD, GBP).")
    return code


def _why_no_band(query: BandQuery) -> str:
    as_of = query.as_of or timezone.localdate()
    currency = query.currency or query.location.currency
    if (
        currency != "USD"
        and not ExchangeRate.objects.filter(currency=currency, date__lte=as_of).exists()
    ):
        return (
            f"No band: no exchange rate for {currency} on or before {as_of}, so the band "
            f"cannot be given in {currency}."
        )
    role = query.role
    bands = Band.objects.filter(component=query.component).filter(
        Q(role=role) | Q(role__isnull=True, occupation=role.occupation_id)
    )
    if not bands.exists():
        return (
            f"No band: there are no {query.component} bands for {role} or its occupation "
            f"({role.occupation})."
        )
    if not bands.filter(effective_date__lte=as_of).exists():
        return f"No band: every {query.component} band for {role} is dated after {as_of}."
    return (
        f"No band for {role}, {query.level} at {query.location}: neither the place nor its "
        f"nation has a {query.component} band effective on {as_of} that this level can stand on "
        f"(the level's basis, or the level below it, has no data)."
    )


# Output ----------------------------------------------------------------------------------


def _as_text(band: ResolvedBand) -> str:
    lines = [band.label, ""]
    lines += [
        f"  {_ordinal(p)}: {_money(value, band.currency)}{_bound(band, p)}"
        for p, value in band.percentiles.items()
    ]
    lines += [
        "",
        f"Confidence: {band.confidence} — {band.confidence.explanation}",
        band.summary,
    ]
    if band.typical_error is not None:
        p90 = f"; 9 in 10 within ±{band.error_p90}%" if band.error_p90 is not None else ""
        lines.append(f"Typical error: ±{band.typical_error}% (back-tested){p90}")
    if band.employment:
        lines.append(f"Employment: {band.employment:,}")
    lines.append(f"Effective: {band.effective_date}")
    lines += ["", "Steps:"]
    for number, step in enumerate(band.steps, 1):
        source = f" [{step.source}]" if step.source else ""
        assumed = " (assumption)" if step.is_assumption else ""
        lines.append(f"  {number}. {step.description}{source}, {step.effective_date}{assumed}")
    return "\n".join(lines)


def _as_json(query: BandQuery, band: ResolvedBand) -> dict:
    return {
        "label": band.label,
        "role": str(query.role),
        "level": str(query.level),
        "location": str(query.location),
        "industry": _name(query.industry),
        "company_size": _name(query.company_size),
        "component": band.component,
        "currency": band.currency,
        "percentiles": {str(p): _text(v) for p, v in band.percentiles.items()},
        "top_coded_from": band.top_coded_from,
        "confidence": str(band.confidence),
        "summary": band.summary,
        "typical_error": _text(band.typical_error),
        "error_p90": _text(band.error_p90),
        "employment": band.employment,
        "effective_date": band.effective_date.isoformat(),
        "level_method": band.level_method,
        "steps": [
            {
                "description": step.description,
                "source": step.source,
                "effective_date": step.effective_date.isoformat(),
                "is_assumption": step.is_assumption,
                "factor": _text(step.factor),
            }
            for step in band.steps
        ],
    }


def _name(row: Model | None) -> str | None:
    return None if row is None else str(row)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _money(value, currency: str) -> str:
    # A terminal's reader sees every currency by its code, after the amount: "186,000 USD".
    return "—" if value is None else f"{format_money(value, '')} {currency}"


def _bound(band: ResolvedBand, point: int) -> str:
    top = band.top_coded_from
    return " or more (top-coded)" if top is not None and point >= top else ""


def _ordinal(point: int) -> str:
    return "median" if point == 50 else f"{point}th"

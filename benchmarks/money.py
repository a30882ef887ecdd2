"""Money as people read it, written in one place: every page, chart, sheet and message formats an
amount with one of these.

- `format_money`: "$165,000", "£120,000", "€95,000", "CHF 1,000" — whole units, the page's default:
  bands are whole units, and an offer's cents never change a decision.
- `format_money_exact`: "$30,000.50", "JPY 1,234,567" — to the currency's minor unit (the yen has
  none), for where the cents were typed and matter.
- `short_money`: "$165k", "$239.2k", "$1.25M" — a chart's labels, where room is short.
- `whole_units`: "165000" — a spreadsheet's cell: the page's figure, without symbol or separators.
- `grouped_amount`: "135,980", "135,980.50" — an amount without its currency (admin messages,
  import reports), cents only when there are any.

Every rounding is half up, as people round. Symbols are shown for the dollar, pound and euro; any
other currency by its ISO code ("CHF 1,000", "JPY 5,000"), since a bare "¥" or "kr" names several.
"""

from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "CURRENCY_SYMBOLS",
    "format_money",
    "format_money_exact",
    "grouped_amount",
    "minor_units",
    "short_money",
    "whole_units",
]

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}
# ISO 4217 minor units, where they are not two.
_MINOR_UNITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "OMR": 3}
_WHOLE = Decimal(1)


def minor_units(currency: str) -> int:
    """How many decimals the currency is written with: 2 for most, 0 for the yen."""
    return _MINOR_UNITS.get(currency, 2)


def format_money(amount: Decimal, currency: str) -> str:
    """``amount`` in whole units of ``currency``: a symbol for USD, GBP and EUR, else the ISO code."""
    return _with_currency(_rounded(amount, 0), currency, 0)


def format_money_exact(amount: Decimal, currency: str) -> str:
    """``amount`` to the minor unit of ``currency``: "$30,000.50", "JPY 1,234,567"."""
    places = minor_units(currency)
    return _with_currency(_rounded(amount, places), currency, places)


def short_money(amount: Decimal, currency: str = "") -> str:
    """A chart's label: thousands to one decimal ("$239.2k"), millions to two ("$1.25M"), smaller
    amounts whole ("$950"); without a currency, no symbol ("1.25M")."""
    amount = _exact(amount)
    size = _rounded(abs(amount), 0)
    thousands = _rounded(size / 1_000, 1)
    if thousands >= 1_000:  # 999,950 reads "1M", not "1000k"
        text = _trimmed(_rounded(size / 1_000_000, 2)) + "M"
    elif size >= 1_000:
        text = _trimmed(thousands) + "k"
    else:
        text = f"{size}"
    sign = "-" if amount < 0 and any(digit in text for digit in "123456789") else ""
    return f"{sign}{_symbol(currency)}{text}"


def whole_units(amount: Decimal) -> str:
    """As the page shows it (half up to whole units), without the symbol and separators."""
    return str(_rounded(amount, 0))


def grouped_amount(amount: Decimal) -> str:
    """135980 → "135,980"; 135980.5 → "135,980.50": cents only when there are any."""
    amount = _exact(amount)
    if amount == amount.to_integral_value():
        return f"{_rounded(amount, 0):,}"
    return f"{_rounded(amount, 2):,}"


def _exact(amount: Decimal | int) -> Decimal:
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, int) and not isinstance(amount, bool):
        return Decimal(amount)
    # Money is Decimal end to end; a float here means a bug upstream.
    raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")


def _rounded(amount: Decimal | int, places: int) -> Decimal:
    rounded = _exact(amount).quantize(_WHOLE.scaleb(-places), ROUND_HALF_UP)
    return rounded + 0  # -0 reads as 0


def _trimmed(value: Decimal) -> str:
    """1.50 → "1.5", 2.00 → "2"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _symbol(currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return symbol
    return f"{currency} " if currency else ""


def _with_currency(amount: Decimal, currency: str, places: int) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}{_symbol(currency)}{abs(amount):,.{places}f}"

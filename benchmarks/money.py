"""Money as people read it: "$165,000", "£120,000", "€95,000", "CHF 1,000".

Amounts are shown in whole currency units (half up): bands are whole units, and an offer's
cents never change a decision.
"""

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["CURRENCY_SYMBOLS", "format_money"]

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


def format_money(amount: Decimal, currency: str) -> str:
    """Format ``amount`` in ``currency``: a symbol for USD, GBP and EUR, else the ISO code."""
    if not isinstance(amount, Decimal):
        # Money is Decimal end to end; a float here means a bug upstream.
        raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")
    whole = int(amount.quantize(Decimal(1), ROUND_HALF_UP))
    sign = "-" if whole < 0 else ""
    digits = f"{abs(whole):,}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{digits}"
    if currency:
        return f"{sign}{currency} {digits}"
    return f"{sign}{digits}"

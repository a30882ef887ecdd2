"""``{{ amount|money:currency }}``: "$165,000", as benchmarks.money.format_money writes it;
``{{ price|money_exact:currency }}``: "$2.50", to the currency's minor unit, for share and strike
prices, whose cents are the figure."""

from decimal import Decimal, InvalidOperation

from django import template

from benchmarks.money import format_money, format_money_exact

register = template.Library()

MISSING = "—"


def _formatted(amount, currency: str, formatter) -> str:
    """A missing amount (None or "") shows as a dash; a value that is not a number is shown as is
    rather than breaking the page."""
    if amount is None or amount == "":
        return MISSING
    if not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            return str(amount)
    if not amount.is_finite():
        return str(amount)
    return formatter(amount, str(currency or ""))


@register.filter
def money(amount, currency: str) -> str:
    return _formatted(amount, currency, format_money)


@register.filter
def money_exact(amount, currency: str) -> str:
    """As `money`, to the currency's minor unit: a strike of 2.5 is "$2.50", not "$3"."""
    return _formatted(amount, currency, format_money_exact)

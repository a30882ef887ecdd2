"""``{{ amount|money:currency }}``: "$165,000", as benchmarks.money.format_money writes it."""

from decimal import Decimal, InvalidOperation

from django import template

from benchmarks.money import format_money

register = template.Library()

MISSING = "—"


@register.filter
def money(amount, currency: str) -> str:
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
    return format_money(amount, str(currency or ""))

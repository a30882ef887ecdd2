"""``{{ value|percent }}``: a percentage as the counter's words write it (15 → "15%", 12.50 →
"12.5%"); ``{{ line|target_value }}`` and ``{{ line|current_value }}``: a counter line's figure,
a percentage or money in the line's currency."""

from decimal import Decimal

from django import template

from benchmarks.money import format_money

register = template.Library()


@register.filter
def percent(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}%"


def _figure(line, value: Decimal) -> str:
    return percent(value) if line.is_percent else format_money(value, line.currency)


@register.filter
def target_value(line) -> str:
    return _figure(line, line.target)


@register.filter
def current_value(line) -> str:
    return _figure(line, line.current)

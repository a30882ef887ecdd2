"""``{{ x|px }}``: a chart coordinate as the drawings write it, to a tenth of a unit."""

from django import template

register = template.Library()


@register.filter
def px(value: float) -> str:
    return f"{value:.1f}"

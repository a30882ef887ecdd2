"""Table cells written out in one step for the long tables (a comparison's rows, the leaving
timeline's month by month): a few hundred cells, each of which costs the template engine a loop
turn, a lookup and a trip through Django's lazy-aware escaping, about three times what joining
them here costs (profiled). The figures come already formatted (format_money); each text is
escaped as `{{ }}` escapes it (Django's `escape` is `html.escape`)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from benchmarks.templatetags.money import money

register = template.Library()


def _money_cells(figures, attributes: str = "") -> SafeString:
    """`<td class="money"…>…</td>` for each figure (text written out already), escaped."""
    return mark_safe(  # noqa: S308 - every figure escaped here
        "".join(f'<td class="money"{attributes}>{escape(figure)}</td>' for figure in figures)
    )


@register.filter
def money_cells(figures) -> SafeString:
    """`<td class="money">…</td>` for each figure, written out already ("$1,000")."""
    return _money_cells(figures)


@register.filter
def side_by_side_cells(line) -> SafeString:
    """A side-by-side row's cells (offers.comparison.TableRow): each named for the phone's cards,
    the stronger figure marked."""
    return mark_safe(  # noqa: S308 - every text escaped here
        "".join(
            f'<td class="money{" stronger" if cell.stronger else ""}" data-label="{escape(cell.name)}">'
            f"{escape(cell.shown)}</td>"
            for cell in line.cells
        )
    )


@register.simple_tag
def money_row(items, currency: str, field: str = "", testid: str = "") -> SafeString:
    """A row's money cells, one per item: `{% money_row result.years offer.currency "base" %}`
    writes each year's base as `{{ year.base|money:offer.currency }}` would, in a cell; without
    a field the items are the amounts. `testid` names each cell for the tests."""
    named = f' data-testid="{escape(testid)}"' if testid else ""
    # A year with no estimate has no such figure: a dash, as `{{ year.gross|money }}` shows it.
    amounts = (getattr(item, field, None) for item in items) if field else items
    return _money_cells((money(amount, currency) for amount in amounts), named)

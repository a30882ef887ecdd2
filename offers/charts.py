"""Server-rendered SVG charts of an offer's pay over time. No inline styles (CSP): classes and
presentation attributes only.

Each chart is drawn twice (see `benchmarks.charts.at_both_widths`): 640 wide for a laptop and
360 wide for a phone, where the year-by-year bars lie on their side, one row per year, so that
ten years still fit with labels large enough to read."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from benchmarks.charts import NARROW, WIDE, at_both_widths, axis_steps, chart_classes, label_width
from offers.compensation import CompensationResult

# (label, YearBreakdown attribute, fill) in stacking order, bottom first.
STACK = (
    ("Base", "base", "#0d6efd"),
    ("Bonus", "bonus", "#6f42c1"),
    ("Equity", "equity", "#198754"),
    ("Benefits", "benefits", "#20c997"),
    ("One-time (sign-on, relocation)", "one_time_total", "#fd7e14"),
)
SERIES_COLOURS = ("#0d6efd", "#d63384", "#198754", "#fd7e14")
LINE = {WIDE: 16, NARROW: 18}  # one line of text, legend rows and stacked labels apart


def _value_ticks(value: Decimal, most: int = 5) -> list[Decimal]:
    """Round ticks from 0 to just at or above ``value``: a step of 1, 2, 2.5 or 5 × a power of
    ten, at most ``most`` steps, so the tallest bar or line fills most of the plot."""
    if value <= 0:
        return [Decimal(0), Decimal(1)]
    ticks = axis_steps(Decimal(0), value, most=most)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else value
    while ticks[-1] < value:
        ticks.append(ticks[-1] + step)
    return ticks


def _short_money(amount: Decimal) -> str:
    if amount >= 1_000_000:
        millions = (Decimal(amount) / 1_000_000).quantize(Decimal("0.01")).normalize()
        return f"{millions:f}M"
    if amount >= 1_000:
        return f"{amount / 1_000:.0f}k"
    return f"{amount:.0f}"


def _svg(width: int, height: float, summary: str, shown: str, parts: Sequence[str]) -> str:
    return (
        f'<svg class="{chart_classes(width=width, shown=shown)}" viewBox="0 0 {width} '
        f'{height:.0f}" role="img" aria-label="{escape(summary)}">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )


def _axis(
    height: int, top: int, bottom: int, left: int, right: int, ticks: list[Decimal]
) -> list[str]:
    parts = []
    plot = height - top - bottom
    maximum = ticks[-1]
    for value in ticks:
        y = top + plot - plot * float(value / maximum)
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                left, right, f"{y:.1f}", f"{y:.1f}", left - 6, f"{y + 4:.1f}", _short_money(value),
            )
        )  # fmt: skip
    return parts


def _legend(
    items: Sequence[tuple[str, str]], left: float, top: float, width: int
) -> tuple[list[str], float]:
    """Swatches and names left to right, a new row when the next would run off the drawing.
    Returns the parts and the last row's baseline."""
    line = LINE[width]
    parts, x, y = [], left, top
    for label, fill in items:
        item_width = 14 + label_width(label, width)
        if x > left and x + item_width > width - 4:
            x, y = left, y + line
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>',
                f"{x:.0f}", f"{y - 9:.0f}", fill, f"{x + 14:.0f}", f"{y:.0f}", label,
            )
        )  # fmt: skip
        x += item_width + 16
    return parts, y


def _shortened(name: str, room: float, width: int) -> str:
    """The name, or as much of it as fits in ``room`` followed by "…"."""
    if label_width(name, width) <= room:
        return name
    while name and label_width(name + "…", width) > room:
        name = name[:-1]
    return name.rstrip() + "…"


def year_by_year_chart(result: CompensationResult, title: str = "Pay by year") -> SafeString:
    """Stacked bars: each year's base, bonus, equity, benefits and one-time items."""
    described = [f"year {year.year} {year.total:,.0f}" for year in result.years]
    summary = f"{title} in {result.currency}: " + ", ".join(described)
    tallest = max((y.total for y in result.years), default=Decimal(0))

    def draw(width: int, shown: str) -> str:
        if width == WIDE:
            return _year_columns(result, _value_ticks(tallest), summary, shown)
        return _year_rows(result, _value_ticks(tallest, most=3), summary, shown)

    return at_both_widths(draw)


def _year_columns(
    result: CompensationResult, ticks: list[Decimal], summary: str, shown: str
) -> str:
    """A laptop's drawing: one upright stacked bar per year, its total on top."""
    width, height, top, bottom, left, right = WIDE, 300, 24, 70, 56, 16
    maximum = ticks[-1]
    plot_h = height - top - bottom
    slot = (width - left - right) / max(1, len(result.years))
    bar_w = min(80, slot * 0.6)
    parts = _axis(height, top, bottom, left, width - right, ticks)
    for index, year in enumerate(result.years):
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h
        for label, attr, fill in STACK:
            amount: Decimal = getattr(year, attr)
            if amount <= 0:
                continue
            h = float(amount / maximum) * plot_h
            y -= h
            parts.append(_segment(x, y, bar_w, h, fill, year.year, label, amount))
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">Year {}</text>'
                '<text x="{}" y="{}" text-anchor="middle" class="fw-semibold">{}</text>',
                f"{x + bar_w / 2:.1f}", height - bottom + 16, year.year,
                f"{x + bar_w / 2:.1f}", f"{y - 4:.1f}", _short_money(year.total),
            )
        )  # fmt: skip
    legend_y = height - 22
    for i, (label, _, fill) in enumerate(STACK):
        lx = left + (i % 3) * 190
        ly = legend_y + (i // 3) * 16
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>',
                lx, ly - 9, fill, lx + 14, ly, label,
            )
        )  # fmt: skip
    return _svg(width, height, summary, shown, parts)


def _year_rows(result: CompensationResult, ticks: list[Decimal], summary: str, shown: str) -> str:
    """A phone's drawing: one stacked bar per year lying on its side, its total at the end, the
    amounts along the bottom and the legend wrapped underneath."""
    # Room on the left for "Year 10" and on the right for a total such as "1.25M".
    width, top, left, right, row_h, bar_h = NARROW, 8, 62, 56, 26, 16
    maximum = ticks[-1]
    plot_w = width - left - right
    plot_bottom = top + row_h * len(result.years)
    parts = []
    for value in ticks:
        x = left + plot_w * float(value / maximum)
        parts.append(
            format_html(
                '<line class="grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>'
                '<text x="{0}" y="{3}" text-anchor="middle">{4}</text>',
                f"{x:.1f}", top, plot_bottom, plot_bottom + 16, _short_money(value),
            )
        )  # fmt: skip
    for index, year in enumerate(result.years):
        y = top + row_h * index + (row_h - bar_h) / 2
        x = left
        for label, attr, fill in STACK:
            amount: Decimal = getattr(year, attr)
            if amount <= 0:
                continue
            w = float(amount / maximum) * plot_w
            parts.append(_segment(x, y, w, bar_h, fill, year.year, label, amount))
            x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">Year {}</text>'
                '<text x="{}" y="{}" class="fw-semibold">{}</text>',
                left - 6, f"{y + bar_h / 2 + 4.5:.1f}", year.year,
                f"{x + 4:.1f}", f"{y + bar_h / 2 + 4.5:.1f}", _short_money(year.total),
            )
        )  # fmt: skip
    legend, last = _legend([(label, fill) for label, _, fill in STACK], 8, plot_bottom + 42, width)
    return _svg(width, last + 8, summary, shown, parts + legend)


def _segment(x, y, w, h, fill: str, year: int, label: str, amount: Decimal) -> str:
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>Year {}: {} {}</title></rect>',
        f"{x:.1f}", f"{y:.1f}", f"{w:.1f}", f"{h:.1f}", fill, year, label, f"{amount:,.0f}",
    )  # fmt: skip


def cumulative_chart(series: Sequence[tuple[str, Sequence[Decimal]]], currency: str) -> SafeString:
    """One line per offer: cumulative pay at the end of each year."""
    described = [f"{name}: " + ", ".join(f"{v:,.0f}" for v in values) for name, values in series]
    summary = f"Cumulative pay by year in {currency}. " + "; ".join(described)
    highest = max((max(v, default=Decimal(0)) for _, v in series), default=Decimal(0))

    def draw(width: int, shown: str) -> str:
        ticks = _value_ticks(highest, most=5 if width == WIDE else 4)
        return _cumulative(series, ticks, width, summary, shown)

    return at_both_widths(draw)


def _cumulative(
    series: Sequence[tuple[str, Sequence[Decimal]]],
    ticks: list[Decimal],
    width: int,
    summary: str,
    shown: str,
) -> str:
    """One drawing: the amount axis, the years along the bottom, a line per offer ending with its
    value, and the legend."""
    # Room on the right for each line's last value, so "Year N" and the labels stay inside.
    if width == WIDE:
        plot_h, top, left, right = 204, 16, 64, 72
    else:
        plot_h, top, left, right = 180, 12, 48, 60
    years = max((len(values) for _, values in series), default=0)
    maximum = ticks[-1]
    plot_bottom = top + plot_h
    step = (width - left - right) / max(1, years - 1) if years > 1 else 0
    parts = _axis(plot_bottom, top, 0, left, width - right, ticks)
    parts += _year_labels(years, left, step, plot_bottom + LINE[width], width)
    last_label_ys: list[float] = []
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [
            (left + step * i, top + plot_h - float(v / maximum) * plot_h)
            for i, v in enumerate(values)
        ]
        parts += _offer_line(name, values, points, colour)
        if points:
            gap = LINE[width] - 3
            parts.append(_last_value(points[-1], values[-1], colour, last_label_ys, gap))
    # A laptop's legend keeps names to 22 characters; a phone's, one to a row, to the row's width.
    room = 22 * 7 if width == WIDE else width - 8 - 4 - 14
    names = [
        (_shortened(name, room, width), SERIES_COLOURS[i % len(SERIES_COLOURS)])
        for i, (name, _) in enumerate(series)
    ]
    legend, last = _legend(names, left if width == WIDE else 8, plot_bottom + 49, width)
    return _svg(width, last + 11, summary, shown, parts + legend)


def _year_labels(years: int, left: float, step: float, y: float, width: int) -> list[str]:
    """ "Year 1" … under each point; where "Year 10" would touch "Year 9", the years are
    numbered under one "Year" at the start of the row."""
    spelled = years <= 1 or step >= label_width(f"Year {years}", width) + 4
    parts = []
    if not spelled:
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end">Year</text>', left - 10, y))
    for year in range(years):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{left + step * year:.1f}", y, f"Year {year + 1}" if spelled else year + 1,
            )
        )  # fmt: skip
    return parts


def _offer_line(
    name: str, values: Sequence[Decimal], points: list[tuple[float, float]], colour: str
) -> list[str]:
    parts = [
        format_html(
            '<polyline fill="none" stroke="{}" stroke-width="3" points="{}"/>',
            colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        )
    ]  # fmt: skip
    for (x, y), value in zip(points, values, strict=True):
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
                f"{x:.1f}", f"{y:.1f}", colour, name, f"{value:,.0f}",
            )
        )  # fmt: skip
    return parts


def _last_value(
    point: tuple[float, float], value: Decimal, colour: str, taken: list[float], gap: float
) -> str:
    """The line's last value beside its end. Lines that end close together get their labels
    stacked ``gap`` apart, not overprinted: ``taken`` holds the baselines used so far."""
    x, y = point
    label_y = y + 4
    while any(abs(label_y - other) < gap for other in taken):
        label_y += gap
    taken.append(label_y)
    return format_html(
        '<text x="{}" y="{}" fill="{}" class="fw-semibold">{}</text>',
        f"{x + 8:.1f}", f"{label_y:.1f}", colour, _short_money(value),
    )  # fmt: skip

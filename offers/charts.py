"""Server-rendered SVG charts of an offer's pay over time. No inline styles (CSP): classes and
presentation attributes only."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from benchmarks.charts import axis_steps
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


def year_by_year_chart(result: CompensationResult, title: str = "Pay by year") -> SafeString:
    """Stacked bars: each year's base, bonus, equity, benefits and one-time items."""
    width, height, top, bottom, left, right = 640, 300, 24, 70, 56, 16
    ticks = _value_ticks(max((y.total for y in result.years), default=Decimal(0)))
    maximum = ticks[-1]
    plot_h = height - top - bottom
    slot = (width - left - right) / max(1, len(result.years))
    bar_w = min(80, slot * 0.6)
    parts = _axis(height, top, bottom, left, width - right, ticks)
    described = []
    for index, year in enumerate(result.years):
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h
        for label, attr, fill in STACK:
            amount: Decimal = getattr(year, attr)
            if amount <= 0:
                continue
            h = float(amount / maximum) * plot_h
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>Year {}: {} {}</title></rect>',
                    f"{x:.1f}", f"{y:.1f}", f"{bar_w:.1f}", f"{h:.1f}", fill, year.year, label,
                    f"{amount:,.0f}",
                )
            )  # fmt: skip
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">Year {}</text>'
                '<text x="{}" y="{}" text-anchor="middle" class="fw-semibold">{}</text>',
                f"{x + bar_w / 2:.1f}", height - bottom + 16, year.year,
                f"{x + bar_w / 2:.1f}", f"{y - 4:.1f}", _short_money(year.total),
            )
        )  # fmt: skip
        described.append(f"year {year.year} {year.total:,.0f}")
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
    summary = f"{title} in {result.currency}: " + ", ".join(described)
    return mark_safe(  # noqa: S308 - every piece above went through format_html
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(summary)}">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )


def cumulative_chart(series: Sequence[tuple[str, Sequence[Decimal]]], currency: str) -> SafeString:
    """One line per offer: cumulative pay at the end of each year."""
    # Room on the right for each line's last value, so "Year N" and the labels stay inside.
    width, height, top, bottom, left, right = 640, 280, 16, 60, 64, 72
    years = max((len(values) for _, values in series), default=0)
    ticks = _value_ticks(max((max(v, default=Decimal(0)) for _, v in series), default=Decimal(0)))
    maximum = ticks[-1]
    plot_h = height - top - bottom
    step = (width - left - right) / max(1, years - 1) if years > 1 else 0
    parts = _axis(height, top, bottom, left, width - right, ticks)
    for year in range(years):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">Year {}</text>',
                f"{left + step * year:.1f}", height - bottom + 16, year + 1,
            )
        )  # fmt: skip
    described = []
    last_label_ys: list[float] = []
    for index, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [
            (left + step * i, top + plot_h - float(v / maximum) * plot_h)
            for i, v in enumerate(values)
        ]
        parts.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="3" points="{}"/>',
                colour, " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
            )
        )  # fmt: skip
        for (x, y), value in zip(points, values, strict=True):
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {}</title></circle>',
                    f"{x:.1f}", f"{y:.1f}", colour, name, f"{value:,.0f}",
                )
            )  # fmt: skip
        if points:
            (x, y), value = points[-1], values[-1]
            # Lines that end close together get their labels stacked, not overprinted.
            label_y = y + 4
            while any(abs(label_y - other) < 13 for other in last_label_ys):
                label_y += 13
            last_label_ys.append(label_y)
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="{}" class="fw-semibold">{}</text>',
                    f"{x + 8:.1f}", f"{label_y:.1f}", colour, _short_money(value),
                )
            )  # fmt: skip
        lx = left + index * 150
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}">{}</text>',
                lx, height - 20, colour, lx + 14, height - 11, name[:22],
            )
        )  # fmt: skip
        described.append(f"{name}: " + ", ".join(f"{v:,.0f}" for v in values))
    summary = f"Cumulative pay by year in {currency}. " + "; ".join(described)
    return mark_safe(  # noqa: S308 - every piece above went through format_html
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(summary)}">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )

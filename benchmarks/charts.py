"""A market band drawn as SVG on the server: no script, no inline style (the CSP forbids both).

The light bar runs from the lowest to the highest known percentile (10th to 90th when both are
known), the dark bar from the 25th to the 75th, a line marks the median, and each known point is
labelled with its amount. Optional markers (an offer's base, a counter-offer) are drawn as
labelled lines above the band. Colours are presentation attributes, so CSS classes can restyle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from benchmarks.lookup import ResolvedBand
from benchmarks.models import Band
from benchmarks.money import format_money

__all__ = ["band_chart_svg", "describe_band"]

_CHAR_WIDTH = 7  # px per character of the 12px label font, near enough to keep labels inside
_MARKER_ROW = 18
_BAND_HEIGHT = 28
_SIDE = 8


def describe_band(band: ResolvedBand, markers: Sequence[tuple[str, Decimal]] = ()) -> str:
    """The band in words, for the chart's title and for screen readers."""
    try:
        component = Band.Component(band.component).label
    except ValueError:
        component = band.component
    known = [
        f"{_point_name(p, long=True)} {_amount_text(band, p, v)}"
        for p, v in band.percentiles.items()
        if v is not None
    ]
    missing = [_point_name(p, long=True) for p, v in band.percentiles.items() if v is None]
    text = f"{component} band for {band.label}: " + (", ".join(known) or "no known percentiles")
    if missing:
        text += f" ({', '.join(missing)} not known)"
    text += "."
    for label, amount in markers:
        text += f" {label} {format_money(amount, band.currency)}: {band.position(amount).label}."
    return text


def band_chart_svg(
    band: ResolvedBand,
    markers: Sequence[tuple[str, Decimal]] = (),
    width: int = 640,
    height: int | None = None,
) -> SafeString:
    known = {p: v for p, v in band.percentiles.items() if v is not None}
    top = len(markers) * _MARKER_ROW + 6
    band_top, band_bottom = top + 4, top + 4 + _BAND_HEIGHT
    natural_height = band_bottom + 38
    height = height or natural_height
    description = describe_band(band, markers)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart band-chart" role="img" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}"><title>{}</title>',
            width,
            natural_height,
            width,
            height,
            description,
            description,
        )
    ]
    if not known:
        parts.append(
            format_html(
                '<text class="band-empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                width / 2,
                band_bottom - 10,
                "No market data for this band",
            )
        )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped by format_html

    x = _scale(list(known.values()) + [amount for _, amount in markers], width)
    lowest, highest = min(known.values()), max(known.values())
    parts.append(
        format_html(
            '<rect class="band-outer" x="{}" y="{}" width="{}" height="{}" rx="3" fill="#cfe2ff"/>',
            _px(x(lowest)),
            band_top,
            _px(max(x(highest) - x(lowest), 2)),
            _BAND_HEIGHT,
        )
    )
    if 25 in known and 75 in known:
        parts.append(
            format_html(
                '<rect class="band-inner" x="{}" y="{}" width="{}" height="{}" fill="#6ea8fe"/>',
                _px(x(known[25])),
                band_top,
                _px(max(x(known[75]) - x(known[25]), 2)),
                _BAND_HEIGHT,
            )
        )
    if 50 in known:
        parts.append(
            format_html(
                '<line class="band-median" x1="{0}" x2="{0}" y1="{1}" y2="{2}" '
                'stroke="#052c65" stroke-width="3"/>',
                _px(x(known[50])),
                band_top - 3,
                band_bottom + 3,
            )
        )
    # Alternate rows keep neighbouring labels (25th beside the median) from overlapping.
    for point, value in known.items():
        row = 0 if point in (10, 50, 90) else 1
        label = f"{_point_name(point)} {_amount_text(band, point, value)}"
        parts.append(_text("band-amount", x(value), band_bottom + 15 + row * 16, label, width))
    for row, (label, amount) in enumerate(markers):
        y_label = 4 + (row + 1) * _MARKER_ROW - 6
        parts.append(
            format_html(
                '<line class="band-marker" x1="{0}" x2="{0}" y1="{1}" y2="{2}" '
                'stroke="#d63384" stroke-width="2"/>',
                _px(x(amount)),
                y_label + 3,
                band_bottom + 2,
            )
        )
        text = f"{label} {format_money(amount, band.currency)}"
        parts.append(_text("band-marker-label", x(amount), y_label, text, width))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped by format_html


def _scale(amounts: Sequence[Decimal], width: int):
    low, high = min(amounts), max(amounts)
    margin = (high - low) * Decimal("0.04") or (high * Decimal("0.1")) or Decimal(1)
    low, high = low - margin, high + margin
    usable = Decimal(width - 2 * _SIDE)

    def x(amount: Decimal) -> float:
        return float(_SIDE + (amount - low) / (high - low) * usable)

    return x


def _text(css_class: str, x: float, y: float, text: str, width: int) -> SafeString:
    """A label centred on x, but pushed to start or end there when it would run off the chart."""
    half = len(text) * _CHAR_WIDTH / 2
    if x - half < 0:
        anchor = "start"
        x = max(x, 2)
    elif x + half > width:
        anchor = "end"
        x = min(x, width - 2)
    else:
        anchor = "middle"
    return format_html(
        '<text class="{}" x="{}" y="{}" text-anchor="{}">{}</text>',
        css_class,
        _px(x),
        y,
        anchor,
        text,
    )


def _point_name(point: int, long: bool = False) -> str:
    if point == 50:
        return "median" if long else "Median"
    return f"{point}th percentile" if long else f"{point}th"


def _amount_text(band: ResolvedBand, point: int, value: Decimal) -> str:
    money = format_money(value, band.currency)
    # A top-coded point is a lower bound: the statistic only says "at least this much".
    if band.top_coded_from is not None and point >= band.top_coded_from:
        return f"≥ {money}"
    return money


def _px(value: float) -> str:
    return f"{value:.1f}"

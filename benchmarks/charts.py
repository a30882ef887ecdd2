"""A market band drawn as SVG on the server: no script, no inline style (the CSP forbids both).

The light bar runs from the lowest to the highest known percentile (10th to 90th when both are
known), the dark bar from the 25th to the 75th, a line marks the median, and each known point is
labelled with its amount. Optional markers (an offer's base, a counter-offer) are drawn as
labelled lines above the band. Colours are presentation attributes, so CSS classes can restyle them.

A chart drawn for a laptop (640 wide) shrinks with its viewBox on a phone until its text is too
small to read, so the pages get a phone's drawing too (360 wide, larger type, short amounts):
`at_both_widths` puts the two side by side and app.css shows the one that fits the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from benchmarks.lookup import ResolvedBand
from benchmarks.models import Band
from benchmarks.money import CURRENCY_SYMBOLS, format_money

__all__ = [
    "NARROW",
    "WIDE",
    "LadderOffer",
    "LadderRung",
    "at_both_widths",
    "axis_steps",
    "band_chart_svg",
    "chart_classes",
    "describe_band",
    "describe_ladder",
    "describe_range",
    "is_narrow",
    "label_width",
    "ladder_chart_svg",
]

_CHAR_WIDTH = 7  # px per character of the 12px label font, near enough to keep labels inside
_THIN = frozenset(" .,:;'!|()ijlrtfI")  # characters about half as wide as the rest
WIDE, NARROW = 640, 360  # a laptop's drawing and a phone's
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


def at_both_widths(draw: Callable[[int, str], str]) -> SafeString:
    """A laptop's drawing and a phone's, one after the other: ``draw(width, css_class)`` makes
    each, and app.css shows only one (the other is display:none, so it is not read out either)."""
    wide, narrow = draw(WIDE, "chart-only-wide"), draw(NARROW, "chart-only-narrow")
    return mark_safe(wide + narrow)  # noqa: S308 - each drawing escaped its own text


def chart_classes(*names: str, width: int, shown: str = "") -> str:
    """The svg's classes: its own, "chart-narrow" when drawn for a phone (larger type), and which
    screens show it when it is one of a pair."""
    return " ".join(
        ("chart", *names, *(["chart-narrow"] if is_narrow(width) else []), shown)
    ).strip()


def is_narrow(width: int) -> bool:
    """Whether a drawing this wide is a phone's: larger type, short amounts (app.css, "Charts")."""
    return width < 480


def band_chart_svg(
    band: ResolvedBand,
    markers: Sequence[tuple[str, Decimal]] = (),
    width: int | None = None,
    height: int | None = None,
) -> SafeString:
    """The band as SVG: drawn ``width`` wide, or without a width both for a laptop and a phone."""
    if width is None:
        return at_both_widths(lambda w, shown: _band_chart(band, markers, w, height, shown))
    return _band_chart(band, markers, width, height)


def _band_chart(
    band: ResolvedBand,
    markers: Sequence[tuple[str, Decimal]],
    width: int,
    height: int | None,
    shown: str = "",
) -> SafeString:
    known = {p: v for p, v in band.percentiles.items() if v is not None}
    top = len(markers) * _MARKER_ROW + 6
    band_top, band_bottom = top + 4, top + 4 + _BAND_HEIGHT
    x = _scale(list(known.values()) + [amount for _, amount in markers], width) if known else None
    labels = _percentile_labels(band, known, x, width) if x else []
    rows = max([2] + [row + 1 for row, _, _ in labels])
    natural_height = band_bottom + 15 + (rows - 1) * 16 + 7
    height = height or natural_height
    description = describe_band(band, markers)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{}" role="img" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}"><title>{}</title>',
            chart_classes("band-chart", width=width, shown=shown),
            width,
            natural_height,
            width,
            height,
            description,
            description,
        )
    ]
    if x is None:
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

    parts += _band_bars(known, x, band_top, band_bottom)
    for row, value_x, label in labels:
        parts.append(_text("band-amount", value_x, band_bottom + 15 + row * 16, label, width))
    parts += _marker_lines(band, markers, x, band_bottom, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped by format_html


def _band_bars(known: dict[int, Decimal], x, band_top: int, band_bottom: int) -> list[str]:
    """The light bar over every known point, the dark one from the 25th to the 75th, the median."""
    lowest, highest = min(known.values()), max(known.values())
    parts = [
        format_html(
            '<rect class="band-outer" x="{}" y="{}" width="{}" height="{}" rx="3" fill="#cfe2ff"/>',
            _px(x(lowest)),
            band_top,
            _px(max(x(highest) - x(lowest), 2)),
            _BAND_HEIGHT,
        )
    ]
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
    return parts


def _marker_lines(
    band: ResolvedBand, markers: Sequence[tuple[str, Decimal]], x, band_bottom: int, width: int
) -> list[str]:
    """Each marker (the offer's base, a counter) as a labelled line, one row each above the band."""
    money = _short_money if is_narrow(width) else format_money
    parts = []
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
        text = f"{label} {money(amount, band.currency)}"
        parts.append(_text("band-marker-label", x(amount), y_label, text, width))
    return parts


def _percentile_labels(
    band: ResolvedBand, known: dict[int, Decimal], x, width: int
) -> list[tuple[int, float, str]]:
    """Each known point's label and the row it goes in under the band. The 10th, median and 90th
    sit in the first row, the 25th and 75th in the second; a label that would touch one already
    in its row moves down to the first row where it fits."""
    amount_text = _short_amount_text if is_narrow(width) else _amount_text
    placed: list[tuple[int, float, float]] = []  # row, left, right
    labels = []
    for point, value in known.items():
        label = f"{_point_name(point)} {amount_text(band, point, value)}"
        left, right = _extent(x(value), label, width)
        row = 0 if point in (10, 50, 90) else 1
        while any(
            r == row and left < r_right + 6 and r_left < right + 6 for r, r_left, r_right in placed
        ):
            row += 1
        placed.append((row, left, right))
        labels.append((row, x(value), label))
    return labels


def _scale(amounts: Sequence[Decimal], width: int):
    low, high = min(amounts), max(amounts)
    margin = (high - low) * Decimal("0.04") or (high * Decimal("0.1")) or Decimal(1)
    low, high = low - margin, high + margin
    usable = Decimal(width - 2 * _SIDE)

    def x(amount: Decimal) -> float:
        return float(_SIDE + (amount - low) / (high - low) * usable)

    return x


def label_width(text: str, drawing_width: int) -> float:
    """About how wide a label is drawn: 7 units a character in a laptop's drawing (12px type);
    in a phone's (13.5px type), where every unit counts, 9 for most characters, 5 for thin ones."""
    if not is_narrow(drawing_width):
        return len(text) * _CHAR_WIDTH
    return sum(5 if character in _THIN else 9 for character in text)


def _anchor(x: float, text: str, width: int) -> tuple[float, str]:
    """Where a label centred on x goes: pushed to start or end there when it would run off."""
    half = label_width(text, width) / 2
    if x - half < 0:
        return max(x, 2), "start"
    if x + half > width:
        return min(x, width - 2), "end"
    return x, "middle"


def _extent(x: float, text: str, width: int) -> tuple[float, float]:
    """The left and right edges of a label placed by `_anchor`."""
    x, anchor = _anchor(x, text, width)
    length = label_width(text, width)
    left = {"start": x, "middle": x - length / 2, "end": x - length}[anchor]
    return left, left + length


def _text(css_class: str, x: float, y: float, text: str, width: int) -> SafeString:
    """A label centred on x, but pushed to start or end there when it would run off the chart."""
    x, anchor = _anchor(x, text, width)
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


def _short_amount_text(band: ResolvedBand, point: int, value: Decimal) -> str:
    """A phone's label: "$165k", "≥ $239.2k"."""
    money = _short_money(value, band.currency)
    if band.top_coded_from is not None and point >= band.top_coded_from:
        return f"≥ {money}"
    return money


def _px(value: float) -> str:
    return f"{value:.1f}"


# The career ladder ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderOffer:
    """One of the person's offers, drawn as a numbered point on its level's row."""

    number: int
    company: str
    base_salary: Decimal
    elsewhere: bool = False  # at another place than the ladder's: drawn hollow


@dataclass(frozen=True)
class LadderRung:
    level: str
    band: ResolvedBand | None
    offers: tuple[LadderOffer, ...] = ()
    chosen: bool = False

    @property
    def range_text(self) -> str:
        """ "$96,372–$133,307 (25th–75th)": the widest known range around the median."""
        return describe_range(self.band) if self.band else ""

    @property
    def range_amounts(self) -> str:
        return describe_range(self.band, points=False) if self.band else ""

    @property
    def range_points(self) -> str:
        return describe_range(self.band, amounts=False) if self.band else ""


_RUNG_HEIGHT = 58
_RUNG_BAR = (20, 36)  # the bar's top and bottom within its row
_AXIS_HEIGHT = 30
_POINT_RADIUS = 8


def axis_steps(low: Decimal, high: Decimal, most: int = 6) -> list[Decimal]:
    """The round ticks inside ``low``..``high``: multiples of the smallest step of 1, 2, 2.5 or
    5 × a power of ten that gives at most ``most`` of them (at least one)."""
    if high <= low:
        return [low]
    exponent = ((high - low) / most).adjusted()
    for magnitude in (Decimal(10) ** (exponent + n) for n in range(3)):
        for multiple in (1, 2, Decimal("2.5"), 5):
            step = multiple * magnitude
            first = (low / step).to_integral_value(rounding=ROUND_CEILING)
            last = (high / step).to_integral_value(rounding=ROUND_FLOOR)
            if last - first + 1 <= most:
                return [i * step for i in range(int(first), int(last) + 1)] or [low]
    raise ValueError(f"no round step gives at most {most} ticks")


def describe_range(band: ResolvedBand, *, amounts: bool = True, points: bool = True) -> str:
    """The widest known range around the median (10th–90th where both are known): its amounts,
    which percentiles they are, or both: "$96,372–$133,307 (25th–75th)"."""
    low_point, high_point = _low_point(band), _high_point(band)
    if low_point is None or high_point is None:
        return ""
    low = _amount_text(band, low_point, band.percentiles[low_point])
    high = _amount_text(band, high_point, band.percentiles[high_point])
    which = f"{_point_name(low_point)}–{_point_name(high_point)}"
    if amounts and points:
        return f"{low}–{high} ({which})"
    return f"{low}–{high}" if amounts else which


def describe_ladder(title: str, rungs: Sequence[LadderRung]) -> str:
    """The ladder in words, for the chart's title and for screen readers."""
    parts = []
    for rung in rungs:
        band = rung.band
        if band is None or band.median is None:
            parts.append(f"{rung.level}: no band")
            continue
        text = f"{rung.level}: median {_amount_text(band, 50, band.median)}"
        if rung.range_text:
            text += f", {rung.range_text}"
        for offer in rung.offers:
            amount = format_money(offer.base_salary, band.currency)
            text += f"; your offer {offer.number} ({offer.company}) {amount}"
        parts.append(text)
    return f"{title}: " + "; ".join(parts) + "."


def ladder_chart_svg(title: str, rungs: Sequence[LadderRung], width: int = 640) -> SafeString:
    """One row per level, lowest first: the light bar spans the known range (10th–90th where both
    are known), the dark bar the 25th–75th, a line marks the median and a label gives it; the
    person's offers are numbered points on their level's row. Round ticks along the bottom."""
    drawn = [r for r in rungs if r.band is not None and r.band.median is not None]
    amounts = [v for r in drawn for v in r.band.percentiles.values() if v is not None]
    amounts += [o.base_salary for r in drawn for o in r.offers]
    currency = drawn[0].band.currency if drawn else ""
    plot_bottom = len(rungs) * _RUNG_HEIGHT
    height = plot_bottom + _AXIS_HEIGHT
    description = describe_ladder(title, rungs)
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{}" role="img" '
            'viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}"><title>{}</title>',
            chart_classes("ladder-chart", width=width),
            width,
            height,
            width,
            height,
            description,
            description,
        )
    ]
    x = None
    if amounts:
        low, high = _padded(min(amounts), max(amounts))
        x = _linear(low, high, width)
        ticks = axis_steps(low, high, most=4 if is_narrow(width) else 8)
        parts += _ladder_axis(ticks, x, plot_bottom, currency, width)
    for row, rung in enumerate(rungs):
        parts += _rung(rung, row * _RUNG_HEIGHT, x, width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped by format_html


def _padded(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """The drawn range: a little room either side, so end points and their labels fit."""
    margin = (high - low) * Decimal("0.04") or high * Decimal("0.1") or Decimal(1)
    return low - margin, high + margin


def _linear(low: Decimal, high: Decimal, width: int):
    usable = Decimal(width - 2 * _SIDE)

    def x(amount: Decimal) -> float:
        return float(_SIDE + (amount - low) / (high - low) * usable)

    return x


def _ladder_axis(
    ticks: Sequence[Decimal], x, plot_bottom: int, currency: str, width: int
) -> list[str]:
    parts = [
        format_html(
            '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6c757d"/>',
            _SIDE,
            width - _SIDE,
            plot_bottom,
            plot_bottom,
        )
    ]
    for tick in ticks:
        parts.append(
            format_html(
                '<line class="grid" x1="{0}" x2="{0}" y1="0" y2="{1}" stroke="#dee2e6"/>',
                _px(x(tick)),
                plot_bottom + 4,
            )
        )
        label = _short_money(tick, currency)
        parts.append(_text("ladder-tick", x(tick), plot_bottom + 18, label, width))
    return parts


def _rung(rung: LadderRung, top: int, x, width: int) -> list[str]:
    parts = []
    if rung.chosen:
        parts.append(
            format_html(
                '<rect class="ladder-chosen" x="0" y="{}" width="{}" height="{}" rx="4" '
                'fill="#e7f1ff"/>',
                top + 1,
                width,
                _RUNG_HEIGHT - 2,
            )
        )
    css = "ladder-level ladder-level-chosen" if rung.chosen else "ladder-level"
    parts.append(
        format_html('<text class="{}" x="{}" y="{}">{}</text>', css, _SIDE, top + 14, rung.level)
    )
    band = rung.band
    bar_top, bar_bottom = top + _RUNG_BAR[0], top + _RUNG_BAR[1]
    if band is None or band.median is None or x is None:
        parts.append(
            format_html(
                '<text class="ladder-empty" x="{}" y="{}">No band for this level</text>',
                _SIDE,
                bar_bottom - 3,
            )
        )
        return parts
    known = {p: v for p, v in band.percentiles.items() if v is not None}
    low, high = min(known.values()), max(known.values())
    parts.append(
        format_html(
            '<rect class="band-outer" x="{}" y="{}" width="{}" height="{}" rx="3" fill="#cfe2ff"/>',
            _px(x(low)),
            bar_top,
            _px(max(x(high) - x(low), 2)),
            bar_bottom - bar_top,
        )
    )
    if 25 in known and 75 in known:
        parts.append(
            format_html(
                '<rect class="band-inner" x="{}" y="{}" width="{}" height="{}" fill="#6ea8fe"/>',
                _px(x(known[25])),
                bar_top,
                _px(max(x(known[75]) - x(known[25]), 2)),
                bar_bottom - bar_top,
            )
        )
    median_x = x(band.median)
    parts.append(
        format_html(
            '<line class="band-median" x1="{0}" x2="{0}" y1="{1}" y2="{2}" '
            'stroke="#052c65" stroke-width="3"/>',
            _px(median_x),
            bar_top - 3,
            bar_bottom + 3,
        )
    )
    narrow = is_narrow(width)
    amount = (_short_amount_text if narrow else _amount_text)(band, 50, band.median)
    parts.append(_text("ladder-median", median_x, bar_bottom + 15, f"Median {amount}", width))
    middle = (bar_top + bar_bottom) / 2
    # A phone's larger number needs a larger point.
    radius = _POINT_RADIUS + 2 if narrow else _POINT_RADIUS
    for offer, cx, dy in _spread(rung.offers, x, radius):
        parts += _offer_point(offer, cx, middle + dy, band, radius)
    return parts


def _spread(
    offers: Sequence[LadderOffer], x, radius: int = _POINT_RADIUS
) -> list[tuple[LadderOffer, float, float]]:
    """Each offer's point and its vertical offset: points that would overlap on the row are
    fanned out above and below its middle, so every number stays readable."""
    placed = sorted(((o, x(o.base_salary)) for o in offers), key=lambda p: p[1])
    clusters: list[list[tuple[LadderOffer, float]]] = []
    for offer, cx in placed:
        if clusters and cx - clusters[-1][-1][1] < 2 * radius:
            clusters[-1].append((offer, cx))
        else:
            clusters.append([(offer, cx)])
    spread = []
    for cluster in clusters:
        middle = (len(cluster) - 1) / 2
        for index, (offer, cx) in enumerate(cluster):
            dy = max(-radius, min(radius, (index - middle) * radius))
            spread.append((offer, cx, dy))
    return spread


def _offer_point(
    offer: LadderOffer, cx: float, cy: float, band: ResolvedBand, radius: int = _POINT_RADIUS
) -> list[str]:
    css = "ladder-offer ladder-offer-elsewhere" if offer.elsewhere else "ladder-offer"
    fill = "#ffffff" if offer.elsewhere else "#ab296a"
    name = f"Your offer {offer.number}: {offer.company}, {format_money(offer.base_salary, band.currency)}"
    return [
        format_html(
            '<g class="{}"><title>{}</title>'
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#ab296a" stroke-width="2"/>'
            '<text class="ladder-offer-number" x="{}" y="{}" text-anchor="middle">{}</text></g>',
            css,
            name,
            _px(cx),
            _px(cy),
            radius,
            fill,
            _px(cx),
            _px(cy + radius / 2),  # the number's middle on the point's
            offer.number,
        )
    ]


def _low_point(band: ResolvedBand) -> int | None:
    return next((p for p, v in band.percentiles.items() if v is not None and p < 50), None)


def _high_point(band: ResolvedBand) -> int | None:
    return next(
        (p for p, v in reversed(band.percentiles.items()) if v is not None and p > 50), None
    )


def _short_money(amount: Decimal, currency: str) -> str:
    """An axis label: "$150k", "£1.2M", "CHF 90k"."""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    if abs(amount) >= 1_000_000:
        text = f"{amount / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    elif abs(amount) >= 1_000:
        text = f"{amount / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    else:
        text = f"{amount:.0f}"
    return symbol + text

"""A market band drawn as SVG on the server: no script, no inline style (the CSP forbids both).

The light bar runs from the lowest to the highest known percentile (10th to 90th when both are
known), the dark bar from the 25th to the 75th, a line marks the median, and each known point is
labelled with its amount. Optional markers (an offer's base, a counter-offer) are drawn as
labelled lines above the band. Colours are presentation attributes, so CSS classes can restyle them.

Python computes each drawing's geometry (plain dataclasses: bars, labels, ticks, points) and the
markup lives in templates/charts/, rendered by Django's templates, which escape every text.

A chart drawn for a laptop (640 wide) shrinks with its viewBox on a phone until its text is too
small to read, so the pages get a phone's drawing too (360 wide, larger type, short amounts):
`at_both_widths` puts the two side by side and app.css shows the one that fits the screen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import cache as once
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from benchmarks.lookup import ResolvedBand
from benchmarks.models import Band
from benchmarks.money import format_money, short_money

__all__ = [
    "NARROW",
    "WIDE",
    "ChartLabel",
    "LadderOffer",
    "LadderRung",
    "at_both_widths",
    "axis_steps",
    "band_chart_svg",
    "band_drawing",
    "chart_classes",
    "describe_band",
    "describe_ladder",
    "describe_range",
    "is_narrow",
    "kept_drawing",
    "label_width",
    "ladder_chart_svg",
    "ladder_charts_svg",
    "ladder_drawing",
    "render_chart",
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


# How long a drawn chart is kept in the shared cache: it is keyed by everything it is drawn from,
# so it never goes stale; the limit only lets unused drawings make room.
CHART_CACHE_SECONDS = 24 * 60 * 60


@once
def _drawing_code() -> str:
    """A digest of the code and templates that draw charts, so a release that changes how a chart
    looks draws afresh instead of serving yesterday's drawing for the same figures."""
    root = Path(settings.BASE_DIR)
    files = [root / "benchmarks" / "charts.py", root / "benchmarks" / "money.py"]
    files += [root / "offers" / "charts.py", root / "offers" / "timeline_chart.py"]
    files += [root / "benchmarks" / "templatetags" / "charts.py"]
    files += sorted((root / "templates" / "charts").glob("*"))
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _kept(key_text: str, draw: Callable[[], str]) -> SafeString:
    key = f"chart:{hashlib.sha256(f'{_drawing_code()}|{key_text}'.encode()).hexdigest()}"
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - the templates escaped every text


def kept_drawing(kind: str, figures: object, draw: Callable[[], str]) -> SafeString:
    """A chart (one drawing or both widths' pair) kept in the shared cache under a digest of the
    figures it is drawn from (frozen dataclasses and tuples, whose repr holds every amount and
    text): a page that shows the same figures again skips the geometry as well as the templates
    (profiled: the geometry of a market ladder is about a tenth of the explorer's time)."""
    return _kept(f"{kind}|{figures!r}", draw)


def render_chart(template: str, chart: object) -> SafeString:
    """One drawing: its geometry rendered through templates/charts/<template>.

    Running the geometry through the templates is most of a chart's cost, so the drawing is kept
    in the shared cache under a digest of its template and its geometry (frozen dataclasses, whose
    repr holds every coordinate and text): other figures that land on the same geometry share it.
    """
    return _kept(
        f"{template}|{chart!r}",
        lambda: render_to_string(f"charts/{template}", {"chart": chart}).strip(),
    )


@dataclass(frozen=True)
class ChartLabel:
    """A text in a drawing, anchored at x (start, middle or end) on its baseline y."""

    css_class: str
    x: float
    y: int
    anchor: str
    text: str


@dataclass(frozen=True)
class Span:
    """A bar's horizontal extent."""

    left: float
    width: float


@dataclass(frozen=True)
class BandBars:
    """A band drawn between ``top`` and ``bottom``: the light bar over every known point, the
    dark one from the 25th to the 75th (when both are known), the median's line."""

    top: int
    bottom: int
    outer: Span
    inner: Span | None
    median_x: float | None

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def median_top(self) -> int:
        return self.top - 3

    @property
    def median_bottom(self) -> int:
        return self.bottom + 3


@dataclass(frozen=True)
class BandMarker:
    """A marker's line (the offer's base, a counter) from its label down to the band."""

    x: float
    top: int
    bottom: int
    label: ChartLabel


@dataclass(frozen=True)
class BandDrawing:
    classes: str
    width: int
    natural_height: int
    height: int
    description: str
    empty_y: int
    bars: BandBars | None = None
    labels: tuple[ChartLabel, ...] = ()
    markers: tuple[BandMarker, ...] = ()

    @property
    def middle(self) -> float:
        return self.width / 2


def band_chart_svg(
    band: ResolvedBand,
    markers: Sequence[tuple[str, Decimal]] = (),
    width: int | None = None,
    height: int | None = None,
) -> SafeString:
    """The band as SVG: drawn ``width`` wide, or without a width both for a laptop and a phone."""
    markers = tuple(markers)

    def draw() -> str:
        if width is None:
            return at_both_widths(
                lambda w, shown: render_chart(
                    "band.svg", band_drawing(band, markers, w, height, shown)
                )
            )
        return render_chart("band.svg", band_drawing(band, markers, width, height))

    return kept_drawing("band", (band, markers, width, height), draw)


def band_drawing(
    band: ResolvedBand,
    markers: Sequence[tuple[str, Decimal]],
    width: int,
    height: int | None = None,
    shown: str = "",
) -> BandDrawing:
    """Where everything in one drawing of the band goes."""
    known = {p: v for p, v in band.percentiles.items() if v is not None}
    top = len(markers) * _MARKER_ROW + 6
    band_top, band_bottom = top + 4, top + 4 + _BAND_HEIGHT
    x = _scale(list(known.values()) + [amount for _, amount in markers], width) if known else None
    placed = _percentile_labels(band, known, x, band_bottom, width) if x else []
    labels = [label for _, label in placed]
    rows = max([2] + [row + 1 for row, _ in placed])
    natural_height = band_bottom + 15 + (rows - 1) * 16 + 7
    drawing = BandDrawing(
        classes=chart_classes("band-chart", width=width, shown=shown),
        width=width,
        natural_height=natural_height,
        height=height or natural_height,
        description=describe_band(band, markers),
        empty_y=band_bottom - 10,
    )
    if x is None:
        return drawing
    return replace(
        drawing,
        bars=_band_bars(known, x, band_top, band_bottom),
        labels=tuple(labels),
        markers=tuple(_markers(band, markers, x, band_bottom, width)),
    )


def _band_bars(known: dict[int, Decimal], x, top: int, bottom: int) -> BandBars:
    lowest, highest = min(known.values()), max(known.values())
    inner = None
    if 25 in known and 75 in known:
        inner = Span(x(known[25]), max(x(known[75]) - x(known[25]), 2))
    return BandBars(
        top=top,
        bottom=bottom,
        outer=Span(x(lowest), max(x(highest) - x(lowest), 2)),
        inner=inner,
        median_x=x(known[50]) if 50 in known else None,
    )


def _markers(
    band: ResolvedBand, markers: Sequence[tuple[str, Decimal]], x, band_bottom: int, width: int
) -> list[BandMarker]:
    """Each marker (the offer's base, a counter) as a labelled line, one row each above the band."""
    money = short_money if is_narrow(width) else format_money
    drawn = []
    for row, (label, amount) in enumerate(markers):
        y_label = 4 + (row + 1) * _MARKER_ROW - 6
        text = f"{label} {money(amount, band.currency)}"
        drawn.append(
            BandMarker(
                x=x(amount),
                top=y_label + 3,
                bottom=band_bottom + 2,
                label=_label("band-marker-label", x(amount), y_label, text, width),
            )
        )
    return drawn


def _percentile_labels(
    band: ResolvedBand, known: dict[int, Decimal], x, band_bottom: int, width: int
) -> list[tuple[int, ChartLabel]]:
    """Each known point's row and label under the band. The 10th, median and 90th sit in the first row,
    the 25th and 75th in the second; a label that would touch one already in its row moves down
    to the first row where it fits."""
    short = is_narrow(width)
    placed: list[tuple[int, float, float]] = []  # row, left, right
    labels = []
    for point, value in known.items():
        label = f"{_point_name(point)} {_amount_text(band, point, value, short=short)}"
        left, right = _extent(x(value), label, width)
        row = 0 if point in (10, 50, 90) else 1
        while any(
            r == row and left < r_right + 6 and r_left < right + 6 for r, r_left, r_right in placed
        ):
            row += 1
        placed.append((row, left, right))
        y = band_bottom + 15 + row * 16
        labels.append((row, _label("band-amount", x(value), y, label, width)))
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


def _label(css_class: str, x: float, y: int, text: str, width: int) -> ChartLabel:
    """A label centred on x, but pushed to start or end there when it would run off the chart."""
    x, anchor = _anchor(x, text, width)
    return ChartLabel(css_class, x, y, anchor, text)


def _point_name(point: int, long: bool = False) -> str:
    if point == 50:
        return "median" if long else "Median"
    return f"{point}th percentile" if long else f"{point}th"


def _amount_text(band: ResolvedBand, point: int, value: Decimal, *, short: bool = False) -> str:
    """A point's amount as a label: "$165,000", or on a phone "$165k"; "≥ …" when top-coded."""
    money = (short_money if short else format_money)(value, band.currency)
    # A top-coded point is a lower bound: the statistic only says "at least this much".
    if band.top_coded_from is not None and point >= band.top_coded_from:
        return f"≥ {money}"
    return money


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

    @cached_property
    def _range(self) -> tuple[str, str]:
        # Worked out once for the three ways the chart's description and the table say it.
        return _range_texts(self.band) if self.band else ("", "")

    @property
    def range_text(self) -> str:
        """ "$96,372–$133,307 (25th–75th)": the widest known range around the median."""
        span, which = self._range
        return f"{span} ({which})" if which else ""

    @property
    def range_amounts(self) -> str:
        return self._range[0]

    @property
    def range_points(self) -> str:
        return self._range[1]


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
    span, which = _range_texts(band)
    if not which:
        return ""
    if amounts and points:
        return f"{span} ({which})"
    return span if amounts else which


def _range_texts(band: ResolvedBand) -> tuple[str, str]:
    """The widest known range's amounts and which percentiles they are: ("$96,372–$133,307",
    "25th–75th"), or ("", "") without two points either side of the median."""
    low_point, high_point = _low_point(band), _high_point(band)
    if low_point is None or high_point is None:
        return "", ""
    low = _amount_text(band, low_point, band.percentiles[low_point])
    high = _amount_text(band, high_point, band.percentiles[high_point])
    return f"{low}–{high}", f"{_point_name(low_point)}–{_point_name(high_point)}"


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


@dataclass(frozen=True)
class LadderTick:
    x: float
    label: ChartLabel


@dataclass(frozen=True)
class LadderPoint:
    """One of the person's offers on its level's row: a numbered point, named in its title."""

    css_class: str
    name: str
    cx: float
    cy: float
    radius: int
    fill: str
    number: int

    @property
    def number_y(self) -> float:
        return self.cy + self.radius / 2  # the number's middle on the point's


@dataclass(frozen=True)
class LadderRow:
    """A level's row ``top`` units down: its name, and its band with the offers on it."""

    level: str
    top: int
    chosen: bool
    bars: BandBars | None = None
    median_label: ChartLabel | None = None
    points: tuple[LadderPoint, ...] = ()

    @property
    def level_class(self) -> str:
        return "ladder-level ladder-level-chosen" if self.chosen else "ladder-level"

    @property
    def level_y(self) -> int:
        return self.top + 14

    @property
    def highlight_top(self) -> int:
        return self.top + 1

    @property
    def highlight_height(self) -> int:
        return _RUNG_HEIGHT - 2

    @property
    def empty_y(self) -> int:
        return self.top + _RUNG_BAR[1] - 3


@dataclass(frozen=True)
class LadderDrawing:
    classes: str
    width: int
    height: int
    plot_bottom: int
    description: str
    ticks: tuple[LadderTick, ...]
    rungs: tuple[LadderRow, ...]
    side: int = _SIDE

    @property
    def axis_right(self) -> int:
        return self.width - _SIDE

    @property
    def grid_bottom(self) -> int:
        return self.plot_bottom + 4


def ladder_chart_svg(title: str, rungs: Sequence[LadderRung], width: int = 640) -> SafeString:
    """One row per level, lowest first: the light bar spans the known range (10th–90th where both
    are known), the dark bar the 25th–75th, a line marks the median and a label gives it; the
    person's offers are numbered points on their level's row. Round ticks along the bottom."""
    (svg,) = ladder_charts_svg(title, rungs, (width,))
    return svg


def ladder_charts_svg(
    title: str, rungs: Sequence[LadderRung], widths: Sequence[int] = (WIDE, NARROW)
) -> list[SafeString]:
    """The ladder drawn at each of ``widths`` (a laptop's and a phone's), each kept in the shared
    cache as ``ladder_chart_svg`` keeps it. Its figures are written out for the keys once for all
    the widths: eight levels' bands, with every step of how they were found, take longer to write
    out than the kept drawing takes to read."""
    rungs = tuple(rungs)
    figures = f"ladder|{(title, rungs)!r}"
    return [
        _kept(
            f"{figures}|{width}",
            lambda width=width: render_chart("ladder.svg", ladder_drawing(title, rungs, width)),
        )
        for width in widths
    ]


def ladder_drawing(title: str, rungs: Sequence[LadderRung], width: int = 640) -> LadderDrawing:
    """Where everything in one drawing of the ladder goes."""
    drawn = [r for r in rungs if r.band is not None and r.band.median is not None]
    amounts = [v for r in drawn for v in r.band.percentiles.values() if v is not None]
    amounts += [o.base_salary for r in drawn for o in r.offers]
    currency = drawn[0].band.currency if drawn else ""
    plot_bottom = len(rungs) * _RUNG_HEIGHT
    x, ticks = None, []
    if amounts:
        low, high = _padded(min(amounts), max(amounts))
        x = _linear(low, high, width)
        steps = axis_steps(low, high, most=4 if is_narrow(width) else 8)
        ticks = [
            LadderTick(
                x(tick),
                _label(
                    "ladder-tick", x(tick), plot_bottom + 18, short_money(tick, currency), width
                ),
            )
            for tick in steps
        ]
    return LadderDrawing(
        classes=chart_classes("ladder-chart", width=width),
        width=width,
        height=plot_bottom + _AXIS_HEIGHT,
        plot_bottom=plot_bottom,
        description=describe_ladder(title, rungs),
        ticks=tuple(ticks),
        rungs=tuple(_rung(rung, row * _RUNG_HEIGHT, x, width) for row, rung in enumerate(rungs)),
    )


def _padded(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """The drawn range: a little room either side, so end points and their labels fit."""
    margin = (high - low) * Decimal("0.04") or high * Decimal("0.1") or Decimal(1)
    return low - margin, high + margin


def _linear(low: Decimal, high: Decimal, width: int):
    usable = Decimal(width - 2 * _SIDE)

    def x(amount: Decimal) -> float:
        return float(_SIDE + (amount - low) / (high - low) * usable)

    return x


def _rung(rung: LadderRung, top: int, x, width: int) -> LadderRow:
    row = LadderRow(level=rung.level, top=top, chosen=rung.chosen)
    band = rung.band
    if band is None or band.median is None or x is None:
        return row
    known = {p: v for p, v in band.percentiles.items() if v is not None}
    bars = _band_bars(known, x, top + _RUNG_BAR[0], top + _RUNG_BAR[1])
    narrow = is_narrow(width)
    amount = _amount_text(band, 50, band.median, short=narrow)
    median = _label("ladder-median", bars.median_x, bars.bottom + 15, f"Median {amount}", width)
    middle = (bars.top + bars.bottom) / 2
    # A phone's larger number needs a larger point.
    radius = _POINT_RADIUS + 2 if narrow else _POINT_RADIUS
    points = tuple(
        _offer_point(offer, cx, middle + dy, band, radius)
        for offer, cx, dy in _spread(rung.offers, x, radius)
    )
    return replace(row, bars=bars, median_label=median, points=points)


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
) -> LadderPoint:
    amount = format_money(offer.base_salary, band.currency)
    return LadderPoint(
        css_class="ladder-offer ladder-offer-elsewhere" if offer.elsewhere else "ladder-offer",
        name=f"Your offer {offer.number}: {offer.company}, {amount}",
        cx=cx,
        cy=cy,
        radius=radius,
        fill="#ffffff" if offer.elsewhere else "#ab296a",
        number=offer.number,
    )


def _low_point(band: ResolvedBand) -> int | None:
    return next((p for p, v in band.percentiles.items() if v is not None and p < 50), None)


def _high_point(band: ResolvedBand) -> int | None:
    return next(
        (p for p, v in reversed(band.percentiles.items()) if v is not None and p > 50), None
    )

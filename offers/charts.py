"""SVG charts of an offer's pay over time. No inline styles (CSP): classes and presentation
attributes only.

Python places everything (plain dataclasses: bars, ticks, lines, legend); the markup lives in
templates/charts/ (year_columns.svg, year_rows.svg, cumulative.svg), rendered by Django's
templates, which escape every text.

Each chart is drawn twice (see `benchmarks.charts.at_both_widths`): 640 wide for a laptop and
360 wide for a phone, where the year-by-year bars lie on their side, one row per year, so that
ten years still fit with labels large enough to read."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from benchmarks.charts import (
    NARROW,
    WIDE,
    at_both_widths,
    axis_steps,
    chart_classes,
    kept_drawing,
    label_width,
    render_chart,
)
from benchmarks.money import format_money, short_money
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


def value_ticks(value: Decimal, most: int = 5) -> list[Decimal]:
    """Round ticks from 0 to just at or above ``value``: a step of 1, 2, 2.5 or 5 × a power of
    ten, at most ``most`` steps, so the tallest bar or line fills most of the plot."""
    if value <= 0:
        return [Decimal(0), Decimal(1)]
    ticks = axis_steps(Decimal(0), value, most=most)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else value
    while ticks[-1] < value:
        ticks.append(ticks[-1] + step)
    return ticks


def plain_amount(amount: Decimal) -> str:
    """An amount in a chart's titles and description, which name the currency once: "165,000"."""
    return format_money(amount, "")


# The pieces the drawings share ---------------------------------------------------------------


@dataclass(frozen=True)
class AxisTick:
    """A gridline across the plot at ``y``, its amount at the left."""

    y: float
    label: str

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class AmountAxis:
    left: int
    right: int
    ticks: tuple[AxisTick, ...]

    @property
    def label_x(self) -> int:
        return self.left - 6


@dataclass(frozen=True)
class LegendItem:
    """A swatch and its name on the baseline ``y``."""

    x: int
    y: int
    label: str
    fill: str

    @property
    def swatch_y(self) -> int:
        return self.y - 9

    @property
    def text_x(self) -> int:
        return self.x + 14


@dataclass(frozen=True)
class Segment:
    """One component's part of a year's bar, named in its title."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    year: int
    label: str
    amount: str


def amount_axis(
    height: int, top: int, bottom: int, left: int, right: int, ticks: list[Decimal]
) -> AmountAxis:
    plot = height - top - bottom
    maximum = ticks[-1]
    return AmountAxis(
        left=left,
        right=right,
        ticks=tuple(
            AxisTick(top + plot - plot * float(value / maximum), short_money(value))
            for value in ticks
        ),
    )


def legend_items(
    items: Sequence[tuple[str, str]], left: float, top: float, width: int
) -> tuple[list[LegendItem], float]:
    """Swatches and names left to right, a new row when the next would run off the drawing.
    Returns the items and the last row's baseline."""
    line = LINE[width]
    legend, x, y = [], left, top
    for label, fill in items:
        item_width = 14 + label_width(label, width)
        if x > left and x + item_width > width - 4:
            x, y = left, y + line
        legend.append(LegendItem(round(x), round(y), label, fill))
        x += item_width + 16
    return legend, y


def series_colour(index: int) -> str:
    """The line colour of the `index`th offer (from 0) in a chart of several."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def series_legend(
    names: Sequence[str], wide_characters: int, left: float, top: float, width: int
) -> tuple[list[LegendItem], float]:
    """Each offer's name in its line's colour. A laptop's legend starts at ``left`` and keeps
    names to ``wide_characters`` characters; a phone's, one to a row, to the row's width.
    Returns the items and the last row's baseline."""
    room = wide_characters * 7 if width == WIDE else width - 8 - 4 - 14
    items = [(shortened(name, room, width), series_colour(i)) for i, name in enumerate(names)]
    return legend_items(items, left if width == WIDE else 8, top, width)


def line_ticks(highest: Decimal, width: int) -> list[Decimal]:
    """A line chart's amounts up the left: at most five steps on a laptop, four on a phone."""
    return value_ticks(highest, most=5 if width == WIDE else 4)


def free_baseline(y: float, step: float, taken: list[float]) -> float:
    """``y``, or the first of y + step, y + 2 × step … at least ``step`` (either way) from every
    baseline in ``taken``, which it joins: labels stacked apart instead of overprinted."""
    while any(abs(y - other) < abs(step) for other in taken):
        y += step
    taken.append(y)
    return y


def shortened(name: str, room: float, width: int) -> str:
    """The name, or as much of it as fits in ``room`` followed by "…"."""
    if label_width(name, width) <= room:
        return name
    while name and label_width(name + "…", width) > room:
        name = name[:-1]
    return name.rstrip() + "…"


def _segments(
    year, start: float, maximum: Decimal, plot: float, place
) -> tuple[list[Segment], float]:
    """The year's components stacked from ``start``, ``maximum`` filling ``plot`` units:
    ``place(at, length)`` gives a segment's box and where the next starts. Returns the segments
    and where the stack ends."""
    segments, at = [], start
    for label, attr, fill in STACK:
        amount: Decimal = getattr(year, attr)
        if amount <= 0:
            continue
        length = float(amount / maximum) * plot
        x, y, w, h, at = place(at, length)
        segments.append(Segment(x, y, w, h, fill, year.year, label, plain_amount(amount)))
    return segments, at


# Pay by year ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearColumn:
    year: int
    centre: float
    segments: tuple[Segment, ...]
    total: str
    total_y: float


@dataclass(frozen=True)
class YearColumnsDrawing:
    classes: str
    width: int
    height: int
    summary: str
    axis: AmountAxis
    columns: tuple[YearColumn, ...]
    year_y: int
    legend: tuple[LegendItem, ...]


@dataclass(frozen=True)
class VerticalTick:
    x: float
    label: str


@dataclass(frozen=True)
class YearRow:
    year: int
    segments: tuple[Segment, ...]
    text_y: float
    total: str
    total_x: float


@dataclass(frozen=True)
class YearRowsDrawing:
    classes: str
    width: int
    height: int
    summary: str
    ticks: tuple[VerticalTick, ...]
    plot_top: int
    plot_bottom: int
    year_x: int
    rows: tuple[YearRow, ...]
    legend: tuple[LegendItem, ...]

    @property
    def tick_label_y(self) -> int:
        return self.plot_bottom + 16


def year_by_year_chart(result: CompensationResult, title: str = "Pay by year") -> SafeString:
    """Stacked bars: each year's base, bonus, equity, benefits and one-time items."""

    def both() -> str:
        described = [f"year {year.year} {plain_amount(year.total)}" for year in result.years]
        summary = f"{title} in {result.currency}: " + ", ".join(described)
        tallest = max((y.total for y in result.years), default=Decimal(0))

        def draw(width: int, shown: str) -> str:
            if width == WIDE:
                drawing = year_columns(result, value_ticks(tallest), summary, shown)
                return render_chart("year_columns.svg", drawing)
            drawing = year_rows(result, value_ticks(tallest, most=3), summary, shown)
            return render_chart("year_rows.svg", drawing)

        return at_both_widths(draw)

    return kept_drawing("year-by-year", (result, title), both)


def year_columns(
    result: CompensationResult, ticks: list[Decimal], summary: str, shown: str
) -> YearColumnsDrawing:
    """A laptop's drawing: one upright stacked bar per year, its total on top."""
    width, height, top, bottom, left, right = WIDE, 300, 24, 70, 56, 16
    plot_h = height - top - bottom
    slot = (width - left - right) / max(1, len(result.years))
    bar_w = min(80, slot * 0.6)
    columns = []
    for index, year in enumerate(result.years):
        x = left + slot * index + (slot - bar_w) / 2

        def upward(at: float, length: float, x=x) -> tuple:
            return x, at - length, bar_w, length, at - length

        segments, y = _segments(year, top + plot_h, ticks[-1], plot_h, upward)
        columns.append(
            YearColumn(year.year, x + bar_w / 2, tuple(segments), short_money(year.total), y - 4)
        )
    legend_y = height - 22
    legend = [
        LegendItem(left + (i % 3) * 190, legend_y + (i // 3) * 16, label, fill)
        for i, (label, _, fill) in enumerate(STACK)
    ]
    return YearColumnsDrawing(
        classes=chart_classes(width=width, shown=shown),
        width=width,
        height=height,
        summary=summary,
        axis=amount_axis(height, top, bottom, left, width - right, ticks),
        columns=tuple(columns),
        year_y=height - bottom + 16,
        legend=tuple(legend),
    )


def year_rows(
    result: CompensationResult, ticks: list[Decimal], summary: str, shown: str
) -> YearRowsDrawing:
    """A phone's drawing: one stacked bar per year lying on its side, its total at the end, the
    amounts along the bottom and the legend wrapped underneath."""
    # Room on the left for "Year 10" and on the right for a total such as "1.25M".
    width, top, left, right, row_h, bar_h = NARROW, 8, 62, 56, 26, 16
    maximum = ticks[-1]
    plot_w = width - left - right
    plot_bottom = top + row_h * len(result.years)
    rows = []
    for index, year in enumerate(result.years):
        y = top + row_h * index + (row_h - bar_h) / 2

        def sideways(at: float, length: float, y=y) -> tuple:
            return at, y, length, bar_h, at + length

        segments, x = _segments(year, left, maximum, plot_w, sideways)
        text_y = y + bar_h / 2 + 4.5
        rows.append(YearRow(year.year, tuple(segments), text_y, short_money(year.total), x + 4))
    legend, last = legend_items(
        [(label, fill) for label, _, fill in STACK], 8, plot_bottom + 42, width
    )
    return YearRowsDrawing(
        classes=chart_classes(width=width, shown=shown),
        width=width,
        height=round(last + 8),
        summary=summary,
        ticks=tuple(
            VerticalTick(left + plot_w * float(value / maximum), short_money(value))
            for value in ticks
        ),
        plot_top=top,
        plot_bottom=plot_bottom,
        year_x=left - 6,
        rows=tuple(rows),
        legend=tuple(legend),
    )


# Cumulative pay ------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearLabel:
    x: float
    text: str


@dataclass(frozen=True)
class YearLabels:
    """ "Year 1" … under each point, or, where they would touch, the numbers under one "Year"."""

    y: int
    spelled: bool
    word_x: float
    labels: tuple[YearLabel, ...]


@dataclass(frozen=True)
class LinePoint:
    x: float
    y: float
    amount: str


@dataclass(frozen=True)
class LastValue:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class OfferLine:
    name: str
    colour: str
    points: tuple[LinePoint, ...]
    last: LastValue | None

    @property
    def points_attribute(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class CumulativeDrawing:
    classes: str
    width: int
    height: int
    summary: str
    axis: AmountAxis
    years: YearLabels
    lines: tuple[OfferLine, ...]
    legend: tuple[LegendItem, ...]


def cumulative_chart(series: Sequence[tuple[str, Sequence[Decimal]]], currency: str) -> SafeString:
    """One line per offer: cumulative pay at the end of each year."""
    series = tuple((name, tuple(values)) for name, values in series)

    def both() -> str:
        described = [
            f"{name}: " + ", ".join(plain_amount(v) for v in values) for name, values in series
        ]
        summary = f"Cumulative pay by year in {currency}. " + "; ".join(described)
        highest = max((max(v, default=Decimal(0)) for _, v in series), default=Decimal(0))

        def draw(width: int, shown: str) -> str:
            ticks = line_ticks(highest, width)
            return render_chart("cumulative.svg", cumulative(series, ticks, width, summary, shown))

        return at_both_widths(draw)

    return kept_drawing("cumulative", (series, currency), both)


def cumulative(
    series: Sequence[tuple[str, Sequence[Decimal]]],
    ticks: list[Decimal],
    width: int,
    summary: str,
    shown: str,
) -> CumulativeDrawing:
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
    last_label_ys: list[float] = []
    lines = []
    for index, (name, values) in enumerate(series):
        colour = series_colour(index)
        points = [
            LinePoint(left + step * i, top + plot_h - float(v / maximum) * plot_h, plain_amount(v))
            for i, v in enumerate(values)
        ]
        last = None
        if points:
            gap = LINE[width] - 3
            last = _last_value(points[-1], values[-1], last_label_ys, gap)
        lines.append(OfferLine(name, colour, tuple(points), last))
    names = [name for name, _ in series]
    legend, last_row = series_legend(names, 22, left, plot_bottom + 49, width)
    return CumulativeDrawing(
        classes=chart_classes(width=width, shown=shown),
        width=width,
        height=round(last_row + 11),
        summary=summary,
        axis=amount_axis(plot_bottom, top, 0, left, width - right, ticks),
        years=_year_labels(years, left, step, plot_bottom + LINE[width], width),
        lines=tuple(lines),
        legend=tuple(legend),
    )


def _year_labels(years: int, left: float, step: float, y: int, width: int) -> YearLabels:
    """ "Year 1" … under each point; where "Year 10" would touch "Year 9", the years are
    numbered under one "Year" at the start of the row."""
    spelled = years <= 1 or step >= label_width(f"Year {years}", width) + 4
    labels = tuple(
        YearLabel(left + step * year, f"Year {year + 1}" if spelled else str(year + 1))
        for year in range(years)
    )
    return YearLabels(y=y, spelled=spelled, word_x=left - 10, labels=labels)


def _last_value(point: LinePoint, value: Decimal, taken: list[float], gap: float) -> LastValue:
    """The line's last value beside its end. Lines that end close together get their labels
    stacked ``gap`` apart, not overprinted: ``taken`` holds the baselines used so far."""
    return LastValue(point.x + 8, free_baseline(point.y + 4, gap, taken), short_money(value))

"""The leaving timeline as an SVG line chart: for each offer, the net a person keeps if they leave
after each month (after tax where the timeline has rates), with a marker at the month chosen.

Drawn like the other offer charts (offers/charts.py): Python places everything in plain
dataclasses, templates/charts/timeline.svg holds the markup, and it is drawn twice, 640 wide for
a laptop and 360 wide for a phone, app.css showing the one that fits.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from benchmarks.charts import (
    WIDE,
    at_both_widths,
    chart_classes,
    kept_drawing,
    label_width,
    render_chart,
)
from benchmarks.money import short_money
from offers.charts import (
    LINE,
    AmountAxis,
    LegendItem,
    amount_axis,
    free_baseline,
    line_ticks,
    plain_amount,
    series_colour,
    series_legend,
)
from offers.timeline import Timeline

MONTH_STEPS = (6, 12, 24)  # ticks every 6 months where the labels fit, else every 12 (or 24)
MARKER_COLOUR = "#6c757d"
SWATCH_ROOM = 14  # an 8-unit swatch and a gap before the amount beside the chosen month


@dataclass(frozen=True)
class MonthTick:
    x: float
    label: str


@dataclass(frozen=True)
class MarkedValue:
    """A line's dot at the chosen month and its amount beside it."""

    x: float
    y: float
    colour: str
    text_x: float
    text_y: float
    anchor: str
    text: str
    name: str
    swatch_x: float
    plate_width: float  # a light box behind swatch and amount, so lines under them stay apart
    plate_height: int

    @property
    def swatch_y(self) -> float:
        return self.text_y - 8

    @property
    def plate_x(self) -> float:
        return self.swatch_x - 3

    @property
    def plate_y(self) -> float:
        return self.text_y - self.plate_height + 4


@dataclass(frozen=True)
class MonthMarker:
    """A dashed line up the plot at the chosen month, named at its top."""

    x: float
    top: int
    bottom: int
    label_x: float
    label_y: int
    anchor: str
    label: str
    values: tuple[MarkedValue, ...]


@dataclass(frozen=True)
class TimelineLine:
    name: str
    colour: str
    points: str  # the polyline's "x,y x,y …", one point a month


@dataclass(frozen=True)
class TimelineDrawing:
    classes: str
    width: int
    height: int
    title: str
    description: str
    axis: AmountAxis
    plot_top: int
    plot_bottom: int
    ticks: tuple[MonthTick, ...]
    tick_y: int
    caption_x: float
    caption_y: int
    lines: tuple[TimelineLine, ...]
    marker: MonthMarker | None
    legend: tuple[LegendItem, ...]

    @property
    def label(self) -> str:
        return f"{self.title}. {self.description}"

    @property
    def marker_colour(self) -> str:
        return MARKER_COLOUR


@dataclass(frozen=True)
class _Plotted:
    """What one offer's line is drawn from: its name, whether after tax, a value per month."""

    name: str
    after_tax: bool
    values: tuple[Decimal, ...]


def timeline_chart(
    series: Sequence[tuple[str, Timeline]], *, marked_month: int | None, currency: str
) -> SafeString:
    """A line per offer of the net if leaving after each month: after tax for a timeline with tax
    rates (an estimate), else before tax, as the title and legend say. Offers in one currency."""
    plotted = tuple(
        _Plotted(
            name,
            timeline.taxed,
            tuple(
                m.net_after_tax if timeline.taxed and m.net_after_tax is not None else m.net
                for m in timeline.months
            ),
        )
        for name, timeline in series
    )

    def both() -> str:
        title = _title(plotted)
        description = _description(plotted, marked_month, currency)
        highest = max((max(p.values, default=Decimal(0)) for p in plotted), default=Decimal(0))

        def draw(width: int, shown: str) -> str:
            ticks = line_ticks(highest, width)
            drawing = timeline_drawing(
                plotted, marked_month, ticks, width, title, description, shown
            )
            return render_chart("timeline.svg", drawing)

        return at_both_widths(draw)

    return kept_drawing("leaving-timeline", (plotted, marked_month, currency), both)


def _title(plotted: Sequence[_Plotted]) -> str:
    taxed = {p.after_tax for p in plotted}
    if taxed == {True}:
        return "Net if you leave after each month, after tax (an estimate)"
    if taxed == {False} or not taxed:
        return "Net if you leave after each month, before tax"
    return "Net if you leave after each month, after tax where tax rates are given"


def _legend_name(line: _Plotted, mixed: bool) -> str:
    if not mixed:
        return line.name
    return f"{line.name} ({'after' if line.after_tax else 'before'} tax)"


def _description(plotted: Sequence[_Plotted], marked_month: int | None, currency: str) -> str:
    """Every 12th month of each line (and its last), then the chosen month, in words."""
    mixed = len({p.after_tax for p in plotted}) > 1
    parts = []
    for line in plotted:
        months = sorted({*range(0, len(line.values), 12), len(line.values) - 1} - {-1})
        at = ", ".join(f"month {m} {plain_amount(line.values[m])}" for m in months)
        parts.append(f"{_legend_name(line, mixed)}: {at}")
    text = f"In {currency}. " + "; ".join(parts) + "."
    marked = [p for p in plotted if marked_month is not None and 0 <= marked_month < len(p.values)]
    if marked:
        values = ", ".join(f"{p.name} {plain_amount(p.values[marked_month])}" for p in marked)
        text += f" Leaving after {marked_month} months: {values}."
    return text


def _month_step(last: int, plot_width: float, width: int) -> int:
    """Every 6 months where "120" and its neighbours stay apart, else 12, else 24."""
    room = label_width(str(last), width) + 10
    for step in MONTH_STEPS:
        if plot_width * step / max(1, last) >= room:
            return step
    return MONTH_STEPS[-1]


def timeline_drawing(
    plotted: Sequence[_Plotted],
    marked_month: int | None,
    ticks: list[Decimal],
    width: int,
    title: str,
    description: str,
    shown: str,
) -> TimelineDrawing:
    """One drawing: amounts up the left, months along the bottom, a line per offer, the marker
    with each line's value at the chosen month, and the legend."""
    if width == WIDE:
        top, plot_h, left, right = 30, 210, 64, 24
    else:
        top, plot_h, left, right = 30, 190, 44, 14
    plot_bottom = top + plot_h
    plot_w = width - left - right
    last = max((len(p.values) - 1 for p in plotted), default=0)
    maximum = ticks[-1]

    def x_of(month: int) -> float:
        return left + plot_w * month / last if last else left + plot_w / 2

    def y_of(value: Decimal) -> float:
        return top + plot_h - float(value / maximum) * plot_h

    lines = tuple(
        TimelineLine(
            name=line.name,
            colour=series_colour(index),
            points=" ".join(
                f"{x_of(month):.1f},{y_of(value):.1f}" for month, value in enumerate(line.values)
            ),
        )
        for index, line in enumerate(plotted)
    )
    step = _month_step(last, plot_w, width)
    month_ticks = tuple(MonthTick(x_of(m), str(m)) for m in range(0, last + 1, step))
    line_h = LINE[width]
    tick_y = plot_bottom + line_h
    caption_y = tick_y + line_h
    mixed = len({p.after_tax for p in plotted}) > 1
    # A laptop's legend keeps names to 32 characters: room for " (before tax)".
    names = [_legend_name(line, mixed) for line in plotted]
    legend, last_row = series_legend(names, 32, left, caption_y + line_h + 8, width)
    return TimelineDrawing(
        classes=chart_classes("timeline-chart", width=width, shown=shown),
        width=width,
        height=round(last_row + 11),
        title=title,
        description=description,
        axis=amount_axis(plot_bottom, top, 0, left, width - right, ticks),
        plot_top=top,
        plot_bottom=plot_bottom,
        ticks=month_ticks,
        tick_y=tick_y,
        caption_x=left + plot_w / 2,
        caption_y=caption_y,
        lines=lines,
        marker=_marker(plotted, marked_month, x_of, y_of, top, left, plot_bottom, width),
        legend=tuple(legend),
    )


def _marker(plotted, marked_month, x_of, y_of, top, left, plot_bottom, width) -> MonthMarker | None:
    """The chosen month's line and each offer's value there; None when no line reaches it."""
    if marked_month is None:
        return None
    reached = [
        (index, line) for index, line in enumerate(plotted) if 0 <= marked_month < len(line.values)
    ]
    if not reached:
        return None
    x = x_of(marked_month)
    label = f"Leave after {marked_month} month{'s' if marked_month != 1 else ''}"
    label_x, anchor = _inside(x, label_width(label, width), width)
    gap = LINE[width] - 3
    taken: list[float] = []
    values = []
    # Net mostly grows month by month, so above and to the left of a dot is where its line is
    # not: each amount goes there, the lowest first, a label that would touch one below it
    # moving up. Near the left edge there is no room, so the amounts go to the right instead.
    for index, line in sorted(reached, key=lambda pair: pair[1].values[marked_month]):
        value = line.values[marked_month]
        y = y_of(value)
        text = short_money(value)
        text_y = free_baseline(y - 5, -gap, taken)
        # A swatch of the line's colour before the amount says whose it is (app.css sets every
        # chart text's colour, so the amount itself cannot be coloured).
        length = label_width(text, width)
        if x - 8 - length - SWATCH_ROOM >= left:
            text_x, text_anchor, swatch_x = x - 8, "end", x - 8 - length - SWATCH_ROOM
        else:
            text_x, text_anchor, swatch_x = x + 8 + SWATCH_ROOM, "start", x + 8
        values.append(
            MarkedValue(
                x=x,
                y=y,
                colour=series_colour(index),
                text_x=text_x,
                text_y=text_y,
                anchor=text_anchor,
                text=text,
                name=line.name,
                swatch_x=swatch_x,
                plate_width=SWATCH_ROOM + length + 6,
                plate_height=gap,
            )
        )
    return MonthMarker(
        x=x,
        top=top - 8,
        bottom=plot_bottom,
        label_x=label_x,
        label_y=top - 14,
        anchor=anchor,
        label=label,
        values=tuple(values),
    )


def _inside(x: float, length: float, width: int) -> tuple[float, str]:
    """A label centred on x, or pushed to start or end there when it would run off."""
    if x - length / 2 < 2:
        return max(x, 2), "start"
    if x + length / 2 > width - 2:
        return min(x, width - 2), "end"
    return x, "middle"

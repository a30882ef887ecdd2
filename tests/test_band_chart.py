"""The band chart (server-side SVG) and the money formatting it and the pages share."""

import datetime
import re
from decimal import Decimal

import pytest

from benchmarks.charts import (
    LadderOffer,
    LadderRung,
    axis_steps,
    band_chart_svg,
    band_drawing,
    describe_band,
    describe_ladder,
    describe_range,
    label_width,
    ladder_chart_svg,
)
from benchmarks.lookup import Confidence, ResolvedBand

D = Decimal


def make_band(**overrides) -> ResolvedBand:
    values = {
        "percentiles": {
            10: D("120000"),
            25: D("140000"),
            50: D("165000"),
            75: D("185000"),
            90: D("210000"),
        },
        "currency": "USD",
        "component": "base",
        "confidence": Confidence.DERIVED,
        "steps": (),
        "effective_date": datetime.date(2025, 5, 1),
        "top_coded_from": None,
        "label": "Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA",
    }
    return ResolvedBand(**(values | overrides))


def test_chart_shows_every_percentile_with_its_amount():
    svg = band_chart_svg(make_band())

    for text in ("10th $120,000", "25th $140,000", "Median $165,000", "75th $185,000"):
        assert text in svg
    assert "90th $210,000" in svg
    assert 'class="band-outer"' in svg
    assert 'class="band-inner"' in svg
    assert 'class="band-median"' in svg


def test_chart_is_an_accessible_image_without_inline_style_or_script():
    svg = band_chart_svg(make_band(), markers=[("Your base", D("175000"))])

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Base salary band for Technical Product Manager · Senior" in svg
    assert 'aria-label="Base salary band for Technical Product Manager' in svg
    assert "style=" not in svg
    assert "<script" not in svg
    assert " on" not in re.sub(r'"[^"]*"', '""', svg)  # no event-handler attributes


def test_marker_is_drawn_and_described():
    svg = band_chart_svg(make_band(), markers=[("Your base", D("175000"))])

    assert 'class="band-marker"' in svg
    assert "Your base $175,000" in svg
    # 50 + 25 × 10,000 / 20,000 = 62.5, labelled by its whole part
    assert "Your base $175,000: 62nd percentile." in svg


def drawings(svg: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", svg, flags=re.S)


def test_several_markers_stack_in_their_own_rows():
    svg = band_chart_svg(
        make_band(), markers=[("Your base", D("175000")), ("Counter", D("190000"))]
    )

    for drawing in drawings(svg):
        ys = re.findall(r'<text class="band-marker-label" x="[\d.]+" y="(\d+)"', drawing)
        assert len(ys) == 2
        assert ys[0] != ys[1]


def test_missing_points_are_left_out_and_said_to_be_unknown():
    band = make_band(
        percentiles={10: None, 25: D("130000"), 50: D("155000"), 75: D("180000"), 90: None}
    )

    wide, narrow = drawings(band_chart_svg(band))

    assert re.findall(r"<text [^>]*>([^<]*)</text>", wide) == [
        "25th $130,000",
        "Median $155,000",
        "75th $180,000",
    ]
    assert re.findall(r"<text [^>]*>([^<]*)</text>", narrow) == [
        "25th $130k",
        "Median $155k",
        "75th $180k",
    ]
    assert "10th percentile, 90th percentile not known" in wide


def test_only_a_median_draws_no_inner_bar():
    band = make_band(percentiles={10: None, 25: None, 50: D("155000"), 75: None, 90: None})

    svg = band_chart_svg(band)

    assert 'class="band-inner"' not in svg
    assert "Median $155,000" in svg


def test_a_band_with_no_points_says_so():
    band = make_band(percentiles=dict.fromkeys((10, 25, 50, 75, 90)))

    assert "No market data for this band" in band_chart_svg(band)


def test_top_coded_points_are_shown_as_lower_bounds():
    band = make_band(
        percentiles={
            10: D("150000"),
            25: D("180000"),
            50: D("215000"),
            75: D("239200"),
            90: D("239200"),
        },
        top_coded_from=75,
    )

    svg = band_chart_svg(band)

    assert "75th ≥ $239,200" in svg
    assert "Median $215,000" in svg


def test_labels_are_escaped():
    band = make_band(label="<b>Role</b>")

    svg = band_chart_svg(band, markers=[('<script>"x"', D("150000"))])

    assert "<b>" not in svg
    assert "<script>" not in svg
    assert "&lt;b&gt;Role&lt;/b&gt;" in svg


def test_without_a_width_the_band_is_drawn_for_a_laptop_and_for_a_phone():
    wide, narrow = drawings(band_chart_svg(make_band(), markers=[("Your base", D("175000"))]))

    assert 'class="chart band-chart chart-only-wide"' in wide and 'viewBox="0 0 640 ' in wide
    assert 'class="chart band-chart chart-narrow chart-only-narrow"' in narrow
    assert 'viewBox="0 0 360 ' in narrow
    # Both carry the whole description (aria-label and title), as only one is ever shown.
    assert wide.count("Your base $175,000: 62nd percentile.") == 2
    assert narrow.count("Your base $175,000: 62nd percentile.") == 2
    # The phone's labels are short: "Your base $175k", "Median $165k".
    assert ">Your base $175k</text>" in narrow and ">Median $165k</text>" in narrow
    # A width asks for one drawing only, classed as before (plus its narrowness).
    assert drawings(band_chart_svg(make_band(), width=640))[0].startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart band-chart" role="img"'
    )
    assert len(drawings(band_chart_svg(make_band(), width=360))) == 1


def test_label_widths_are_estimated_for_each_drawing():
    # A laptop's: 7 a character. A phone's: 9, and 5 for thin ones (here "i" and the space).
    assert label_width("Median $165,000", 640) == 15 * 7
    assert label_width("Median $165k", 360) == 10 * 9 + 2 * 5


def label_boxes(drawing: str, width: int) -> list[tuple[float, float, float, str]]:
    """(left, right, baseline, text) of every label, by the chart's own estimate of its size."""
    boxes = []
    for x, y, anchor, text in re.findall(
        r'<text class="band-[a-z-]+" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)">([^<]+)</text>',
        drawing,
    ):
        length = label_width(text, width)
        left = float(x) - {"start": 0, "middle": length / 2, "end": length}[anchor]
        boxes.append((left, left + length, float(y), text))
    return boxes


@pytest.mark.parametrize(
    "percentiles",
    [
        # The usual band.
        {10: "120000", 25: "140000", 50: "165000", 75: "185000", 90: "210000"},
        # The 10th and 25th, and the 75th and 90th, almost on top of each other.
        {10: "139000", 25: "140000", 50: "165000", 75: "185000", 90: "186000"},
        # The median close to the 10th and 25th.
        {10: "150000", 25: "158000", 50: "160000", 75: "180000", 90: "200000"},
    ],
)
def test_percentile_labels_stay_inside_and_never_touch(percentiles):
    band = make_band(percentiles={p: D(v) for p, v in percentiles.items()})
    wide, narrow = drawings(band_chart_svg(band))

    for drawing, width in ((wide, 640), (narrow, 360)):
        boxes = label_boxes(drawing, width)
        assert len(boxes) == 5
        height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', drawing).group(1))
        for left, right, y, text in boxes:
            assert left >= 0 and right <= width, (width, text)
            assert y < height, (width, text)
            for other in boxes:
                if other[3] != text and other[2] == y:  # the same row
                    assert right <= other[0] or other[1] <= left, (width, text, other[3])


def test_crowded_labels_move_down_a_row():
    # Drawn from 148,000 to 202,000 (4% of the 50,000 range either side) over 640 − 16 = 624 units:
    # the 10th (150,000) at 8 + 2,000 / 54,000 × 624 = 31.1 starts there ("10th $150,000", 13 × 7 =
    # 91 wide: 31.1–122.1); the median (160,000) at 146.7 would span 94.2–199.2, over the 10th in
    # the first row and over the 25th (158,000 at 123.6: 78.1–169.1) in the second, so it goes to
    # the third: baseline band_bottom + 15 + 2 × 16 = 38 + 47 = 85, the drawing 38 + 15 + 32 + 7 =
    # 92 tall. On a phone (344 units) the same happens: "Median $160k" is 10 × 9 + 2 × 5 = 100
    # wide (i and the space are thin), 34.4–134.4, over "10th $150k" (20.7–102.7) and "25th $158k"
    # (30.7–112.7).
    band = make_band(
        percentiles={
            10: D("150000"),
            25: D("158000"),
            50: D("160000"),
            75: D("180000"),
            90: D("200000"),
        }
    )
    wide, narrow = drawings(band_chart_svg(band))

    assert re.search(r'y="85" text-anchor="middle">Median \$160,000<', wide)
    assert re.search(r'y="85" text-anchor="middle">Median \$160k<', narrow)
    assert 'viewBox="0 0 640 92"' in wide and 'viewBox="0 0 360 92"' in narrow
    # A band whose labels fit keeps its two rows: 38 + 15 + 16 + 7 = 76.
    assert 'viewBox="0 0 640 76"' in band_chart_svg(make_band(), width=640)


def test_chart_amounts_use_the_bands_currency():
    band = make_band(currency="GBP", label="TPM · Senior · London")

    assert "Median £165,000" in band_chart_svg(band)
    assert describe_band(band).startswith("Base salary band for TPM · Senior · London: 10th")


# The career ladder -------------------------------------------------------------------------


def rung(level: str, p25=None, p50=None, p75=None, p10=None, p90=None, **extra) -> LadderRung:
    if p50 is None:
        return LadderRung(level=level, band=None, **extra)
    points = {10: p10, 25: p25, 50: p50, 75: p75, 90: p90}
    band = make_band(percentiles={p: D(v) if v else None for p, v in points.items()})
    return LadderRung(level=level, band=band, **extra)


LADDER = [
    rung("Entry", "96000", "108000", "120000"),
    rung("Senior", "156000", "186000", "216000", chosen=True),
    rung("Director", "262000", "307000", "341000", p10="236000"),
    rung("VP"),
]


@pytest.mark.parametrize(
    ("low", "high", "most", "ticks"),
    [
        # 86,000–451,000 in at most 8 ticks: 50,000 apart.
        ("86000", "451000", 8, ["100000", "150000", "200000", "250000", "300000", "350000", "400000", "450000"]),
        # ... in at most 4: 100,000 apart.
        ("86000", "451000", 4, ["100000", "200000", "300000", "400000"]),
        # 2.5 × a power of ten is a round step too.
        ("0", "100000", 5, ["0", "25000", "50000", "75000", "100000"]),
        ("95000", "130000", 8, ["95000", "100000", "105000", "110000", "115000", "120000", "125000", "130000"]),
        ("150000", "150000", 6, ["150000"]),
    ],
)  # fmt: skip
def test_axis_steps_are_round_and_few(low, high, most, ticks):
    assert axis_steps(D(low), D(high), most=most) == [D(t) for t in ticks]


def test_ladder_draws_one_row_per_level_in_order_with_its_median():
    svg = ladder_chart_svg("Base salary by level: TPM · Seattle", LADDER)

    levels = re.findall(r'<text class="ladder-level[^"]*" x="[\d.]+" y="(\d+)">([^<]+)</text>', svg)
    assert [name for _, name in levels] == ["Entry", "Senior", "Director", "VP"]
    assert [int(y) for y, _ in levels] == sorted(int(y) for y, _ in levels)
    for label in ("Median $108,000", "Median $186,000", "Median $307,000"):
        assert label in svg
    assert svg.count('class="band-outer"') == 3
    assert svg.count('class="band-inner"') == 3
    assert svg.count('class="band-median"') == 3
    assert "No band for this level" in svg
    assert svg.count('class="ladder-chosen"') == 1
    assert 'class="ladder-level ladder-level-chosen"' in svg


def test_ladder_axis_has_round_labelled_steps_and_fewer_on_a_phone():
    wide = ladder_chart_svg("Ladder", LADDER)
    narrow = ladder_chart_svg("Ladder", LADDER, width=360)

    ticks = re.findall(r'<text class="ladder-tick"[^>]*>([^<]+)</text>', wide)
    assert ticks == ["$100k", "$150k", "$200k", "$250k", "$300k", "$350k"]
    assert re.findall(r'<text class="ladder-tick"[^>]*>([^<]+)</text>', narrow) == [
        "$100k",
        "$200k",
        "$300k",
    ]
    assert 'viewBox="0 0 360 ' in narrow
    # The phone's drawing has larger type (app.css) and short medians: "Median $186k".
    assert 'class="chart ladder-chart chart-narrow"' in narrow
    assert ">Median $186k</text>" in narrow and ">Median $186,000</text>" in wide


def test_ladder_labels_stay_inside_the_drawing():
    for width in (640, 360):
        svg = ladder_chart_svg("Ladder", LADDER, width=width)
        for x, anchor, text in re.findall(
            r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">([^<]+)</text>', svg
        ):
            half = label_width(text, width) / 2
            left = {"start": 0, "middle": half, "end": 2 * half}[anchor]
            assert float(x) - left >= 0, (width, text)
            assert float(x) - left + 2 * half <= width, (width, text)


def test_ladder_marks_offers_as_numbered_points():
    rungs = [
        rung("Entry", "96000", "108000", "120000"),
        rung(
            "Senior", "156000", "186000", "216000",
            offers=(
                LadderOffer(1, "Acme", D("175000")),
                LadderOffer(2, "Basin", D("176000"), elsewhere=True),
            ),
        ),
    ]  # fmt: skip

    svg = ladder_chart_svg("Ladder", rungs)

    assert '<g class="ladder-offer"><title>Your offer 1: Acme, $175,000</title>' in svg
    assert '<g class="ladder-offer ladder-offer-elsewhere"><title>Your offer 2: Basin' in svg
    # Two points closer than their size are fanned out, so both numbers can be read.
    ys = re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)
    assert len(set(ys)) == 2
    assert "your offer 1 (Acme) $175,000" in describe_ladder("Ladder", rungs)


def test_ladder_is_an_accessible_image_without_inline_style_or_script():
    svg = ladder_chart_svg("Base salary by level: <TPM>", LADDER)

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart ladder-chart"')
    assert 'role="img"' in svg
    assert "<title>Base salary by level: &lt;TPM&gt;: Entry: median $108,000" in svg
    assert "Director: median $307,000, $236,000–$341,000 (10th–75th)" in svg
    assert "VP: no band." in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_ladder_range_is_the_widest_known_around_the_median():
    director = LADDER[2]

    assert director.range_text == "$236,000–$341,000 (10th–75th)"
    assert director.range_amounts == "$236,000–$341,000"
    assert director.range_points == "10th–75th"
    assert LADDER[0].range_text == "$96,000–$120,000 (25th–75th)"
    assert rung("Chief", p50="400000").range_text == ""
    assert describe_range(LADDER[1].band, points=False) == "$156,000–$216,000"


def test_the_band_geometry_is_plain_data_before_it_is_drawn():
    # 120,000 … 210,000 with 4% of the 90,000 range (3,600) either side: 116,400 … 213,600 drawn
    # over 640 − 16 = 624 units from x = 8. The 10th sits at 8 + 3,600 / 97,200 × 624 = 31.1,
    # the light bar is 90,000 / 97,200 × 624 = 577.8 wide, the median at 8 + 48,600 / 97,200 ×
    # 624 = 320; the bars run from 6 + 4 = 10 to 10 + 28 = 38, the labels' first row at 38 + 15.
    drawing = band_drawing(make_band(), (), 640)

    assert round(drawing.bars.outer.left, 1) == 31.1
    assert round(drawing.bars.outer.width, 1) == 577.8
    assert drawing.bars.median_x == 320
    assert (drawing.bars.top, drawing.bars.bottom) == (10, 38)
    median = next(label for label in drawing.labels if label.text == "Median $165,000")
    assert (median.x, median.y, median.anchor) == (320, 53, "middle")
    assert drawing.markers == ()

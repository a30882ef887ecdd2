"""The offer charts' axes: round steps that the tallest value nearly fills, labels inside, and a
phone's drawing beside a laptop's."""

import itertools
import re
from decimal import Decimal as D
from types import SimpleNamespace

from offers.charts import cumulative_chart, value_ticks, year_by_year_chart, year_rows


def test_axis_steps_are_round_and_the_top_is_just_above_the_largest_value():
    # 1,044,800 over at most 5 steps: 200,000 would need 6, so 250,000: 0 … 1,250,000.
    assert value_ticks(D("1044800")) == [
        D(0),
        D(250000),
        D(500000),
        D(750000),
        D(1000000),
        D(1250000),
    ]
    # 283,700: 50,000 would need 6 steps; 100,000 needs 3, topping out at 300,000 (not 500,000).
    assert value_ticks(D("283700")) == [D(0), D(100000), D(200000), D(300000)]
    assert value_ticks(D("2000000"))[-1] == D("2000000")


def drawings(svg) -> list[str]:
    """The laptop's drawing and the phone's."""
    return re.findall(r"<svg.*?</svg>", str(svg), flags=re.S)


def texts(drawing: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]+)</text>", drawing)


TWO_OFFERS = [
    ("Northwind", [D(243700), D(477400), D(761100), D(1044800)]),
    ("Brightpath", [D(230000), D(470000), D(750000), D(1040000)]),
]


def test_every_line_ends_with_its_value_and_year_labels_stay_inside():
    wide, narrow = drawings(cumulative_chart(TWO_OFFERS, "USD"))

    for drawing, width, gap in ((wide, 640, 13), (narrow, 360, 15)):
        # The last values, labelled; two lines ending close together get stacked labels.
        labels = re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" fill="#[0-9a-f]+" class="fw-semibold">([^<]+)</text>',
            drawing,
        )
        assert [text for _, _, text in labels] == ["1.04M", "1.04M"]
        assert abs(float(labels[0][1]) - float(labels[1][1])) >= gap
        # "1.04M" at 8 units past the last point fits: 5 characters of at most 9 units.
        assert float(labels[0][0]) + 5 * 9 <= width
        year_4 = re.search(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">Year 4</text>', drawing
        )
        assert float(year_4.group(1)) + 28 < width  # half of "Year 4" fits inside the drawing
    # 1,044,800: at most 5 steps of 250,000 on a laptop (0 … 1.25M), at most 4 of 500,000 on a
    # phone (0, 500k, 1M, then 1.5M to reach above 1,044,800).
    assert ">1.25M<" in wide and ">2M<" not in wide
    assert [t for t in texts(narrow) if t in ("0", "500k", "1M", "1.5M", "1.25M")] == [
        "0",
        "500k",
        "1M",
        "1.5M",
    ]


def test_each_drawing_says_which_screen_it_is_for_and_describes_the_whole_chart():
    wide, narrow = drawings(cumulative_chart(TWO_OFFERS, "USD"))

    assert wide.startswith('<svg class="chart chart-only-wide" viewBox="0 0 640 280"')
    assert narrow.startswith('<svg class="chart chart-narrow chart-only-narrow" viewBox="0 0 360 ')
    for drawing in (wide, narrow):
        assert 'aria-label="Cumulative pay by year in USD. Northwind: 243,700, 477,400' in drawing


def test_a_long_horizon_numbers_the_years_on_a_phone():
    # Ten years over 360 − 48 − 60 = 252 units are 252 / 9 = 28 apart: less than the 5 × 9 + 2 × 5
    # = 55 that "Year 10" needs (r and the space are thin) and 4 between, so the years are 1 … 10
    # under one "Year". A laptop's 640 − 64 − 72 = 504 / 9 = 56 apart is more than 7 × 7 + 4 = 53.
    ten_years = [("Acme", [D(100000) * n for n in range(1, 11)])]
    wide, narrow = drawings(cumulative_chart(ten_years, "USD"))

    assert "Year 10" in texts(wide)
    year_row = [t for t in texts(narrow) if t == "Year" or t.isdigit()]
    assert year_row == ["0", "Year", *[str(n) for n in range(1, 11)]]  # "0" is the amount axis


def test_legends_wrap_instead_of_running_into_each_other():
    # Four 22-character names take 14 + 22 × 9 = 212 units each on a phone: one to a row inside
    # 360 (two would need 8 + 212 + 16 + 212 = 448), so four rows 18 apart.
    names = [f"{letter * 22}" for letter in "ABCD"]
    series = [(name, [D(100000), D(200000)]) for name in names]
    narrow = drawings(cumulative_chart(series, "USD"))[1]

    rows = re.findall(r'<rect x="8" y="([\d.]+)" width="10" height="10"', narrow)
    assert len(rows) == 4
    assert [float(b) - float(a) for a, b in itertools.pairwise(rows)] == [18, 18, 18]
    height = float(re.search(r'viewBox="0 0 360 ([\d.]+)"', narrow).group(1))
    assert float(rows[-1]) + 10 <= height


def test_a_phone_gets_a_row_per_year_with_its_total():
    # Years of 100,000 base + 50,000 equity and, in year 1, a 30,000 sign-on: 180,000 then 150,000.
    years = [
        SimpleNamespace(year=1, base=D(100000), bonus=D(0), equity=D(50000), benefits=D(0),
                        one_time_total=D(30000), total=D(180000)),
        SimpleNamespace(year=2, base=D(100000), bonus=D(0), equity=D(50000), benefits=D(0),
                        one_time_total=D(0), total=D(150000)),
    ]  # fmt: skip
    result = SimpleNamespace(years=years, currency="USD")
    wide, narrow = drawings(year_by_year_chart(result))

    assert 'viewBox="0 0 640 300"' in wide
    assert [t for t in texts(narrow) if t.startswith("Year")] == ["Year 1", "Year 2"]
    assert "180k" in texts(narrow) and "150k" in texts(narrow)
    # At most 3 steps on a phone: 0, 100k, 200k (the top just above 180,000).
    assert [t for t in texts(narrow) if t in ("0", "50k", "100k", "200k")] == ["0", "100k", "200k"]
    # Bars lie on their side: 242 units (360 − 62 − 56) for 200,000, so base 100,000 is 121 wide
    # from x = 62, equity 60.5 after it, the sign-on 36.3 after that; the total follows at 4 past.
    assert '<rect x="62.0" y="13.0" width="121.0" height="16.0" fill="#0d6efd">' in narrow
    assert '<rect x="183.0" y="13.0" width="60.5" height="16.0" fill="#198754">' in narrow
    assert '<rect x="243.5" y="13.0" width="36.3" height="16.0" fill="#fd7e14">' in narrow
    assert '<text x="283.8" y="25.5" class="fw-semibold">180k</text>' in narrow
    # The legend wraps: Base, Bonus, Equity, Benefits on one row, the one-time items below.
    legend = re.findall(r'<rect x="(\d+)" y="(\d+)" width="10" height="10"', narrow)
    assert [y for _, y in legend][:4] == [legend[0][1]] * 4
    assert int(legend[4][1]) - int(legend[0][1]) == 18


def test_a_long_name_is_shortened_to_what_its_legend_has_room_for():
    # A laptop's legend keeps 22 characters: 21 and "…". A phone's row has 360 − 26 = 334 units:
    # 36 capitals of 9 and the "…" (9) take 333, 37 would take 342.
    wide, narrow = drawings(cumulative_chart([("A" * 40, [D(1), D(2)])], "USD"))

    assert ">" + "A" * 21 + "…</text>" in wide
    assert ">" + "A" * 36 + "…</text>" in narrow
    # A name that fits is left whole.
    assert ">Northwind</text>" in drawings(cumulative_chart(TWO_OFFERS, "USD"))[1]


def test_a_years_total_reads_to_a_tenth_of_a_thousand_as_every_chart_label_does():
    # 90,000 + 9,000 + 123,456 + 5,000 = 227,456, which is 227.456k: "227.5k" to one decimal.
    year = SimpleNamespace(year=1, base=D(90000), bonus=D(9000), equity=D(123456),
                           benefits=D(5000), one_time_total=D(0), total=D(227456))  # fmt: skip
    wide, narrow = drawings(year_by_year_chart(SimpleNamespace(years=[year], currency="GBP")))

    assert 'class="fw-semibold">227.5k</text>' in wide
    assert 'class="fw-semibold">227.5k</text>' in narrow
    assert "<title>Year 1: Equity 123,456</title>" in wide


def test_the_geometry_is_plain_data_before_it_is_drawn():
    # The phone's row for 100,000 base + 50,000 equity, on an axis of 0, 100k, 200k: the plot is
    # 360 − 62 − 56 = 242 wide, so base is 242 × 100,000 / 200,000 = 121 from x = 62, equity
    # 60.5 after it, and the total "150k" starts 4 past the bar's end: 62 + 181.5 + 4 = 247.5.
    year = SimpleNamespace(year=1, base=D(100000), bonus=D(0), equity=D(50000), benefits=D(0),
                           one_time_total=D(0), total=D(150000))  # fmt: skip
    result = SimpleNamespace(years=[year], currency="USD")
    drawing = year_rows(result, [D(0), D(100000), D(200000)], "Pay by year", "")

    (row,) = drawing.rows
    assert [(s.label, s.x, s.width) for s in row.segments] == [
        ("Base", 62, 121),
        ("Equity", 183, 60.5),
    ]
    assert (row.total, row.total_x) == ("150k", 247.5)
    assert [t.label for t in drawing.ticks] == ["0", "100k", "200k"]

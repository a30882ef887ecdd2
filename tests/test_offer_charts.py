"""The offer charts' axes: round steps that the tallest value nearly fills, labels inside."""

import re
from decimal import Decimal as D

from offers.charts import _short_money, _value_ticks, cumulative_chart


def test_axis_steps_are_round_and_the_top_is_just_above_the_largest_value():
    # 1,044,800 over at most 5 steps: 200,000 would need 6, so 250,000: 0 … 1,250,000.
    assert _value_ticks(D("1044800")) == [
        D(0),
        D(250000),
        D(500000),
        D(750000),
        D(1000000),
        D(1250000),
    ]
    # 283,700: 50,000 would need 6 steps; 100,000 needs 3, topping out at 300,000 (not 500,000).
    assert _value_ticks(D("283700")) == [D(0), D(100000), D(200000), D(300000)]
    assert _value_ticks(D("2000000"))[-1] == D("2000000")


def test_millions_read_exactly():
    assert [_short_money(D(v)) for v in (1250000, 1000000, 1500000, 750000)] == [
        "1.25M",
        "1M",
        "1.5M",
        "750k",
    ]


def test_every_line_ends_with_its_value_and_year_labels_stay_inside():
    svg = str(
        cumulative_chart(
            [
                ("Northwind", [D(243700), D(477400), D(761100), D(1044800)]),
                ("Brightpath", [D(230000), D(470000), D(750000), D(1040000)]),
            ],
            "USD",
        )
    )
    # The last values, labelled; two lines ending close together get labels 13 px apart.
    labels = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" fill="#[0-9a-f]+" class="fw-semibold">([^<]+)</text>', svg
    )
    assert [text for _, _, text in labels] == ["1.04M", "1.04M"]
    assert abs(float(labels[0][1]) - float(labels[1][1])) >= 13
    year_4 = re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">Year 4</text>', svg)
    assert float(year_4.group(1)) + 25 < 640  # half of "Year 4" fits inside the 640-wide drawing
    assert ">1.25M<" in svg and ">2M<" not in svg

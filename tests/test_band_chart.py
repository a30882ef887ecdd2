"""The band chart (server-side SVG) and the money formatting it and the pages share."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from benchmarks.charts import band_chart_svg, describe_band
from benchmarks.lookup import Confidence, ResolvedBand
from benchmarks.money import format_money

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


def test_several_markers_stack_in_their_own_rows():
    svg = band_chart_svg(
        make_band(), markers=[("Your base", D("175000")), ("Counter", D("190000"))]
    )

    ys = re.findall(r'<text class="band-marker-label" x="[\d.]+" y="(\d+)"', svg)
    assert len(ys) == 2
    assert ys[0] != ys[1]


def test_missing_points_are_left_out_and_said_to_be_unknown():
    band = make_band(
        percentiles={10: None, 25: D("130000"), 50: D("155000"), 75: D("180000"), 90: None}
    )

    svg = band_chart_svg(band)

    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert labels == ["25th $130,000", "Median $155,000", "75th $180,000"]
    assert "10th percentile, 90th percentile not known" in svg


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


def test_chart_amounts_use_the_bands_currency():
    band = make_band(currency="GBP", label="TPM · Senior · London")

    assert "Median £165,000" in band_chart_svg(band)
    assert describe_band(band).startswith("Base salary band for TPM · Senior · London: 10th")


# Money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("165000", "USD", "$165,000"),
        ("120000", "GBP", "£120,000"),
        ("95000", "EUR", "€95,000"),
        ("1000", "CHF", "CHF 1,000"),
        ("999.5", "USD", "$1,000"),  # whole units, half up
        ("0", "USD", "$0"),
        ("-2500", "USD", "-$2,500"),
        ("1234567.49", "JPY", "JPY 1,234,567"),
    ],
)
def test_format_money(amount, currency, expected):
    assert format_money(D(amount), currency) == expected


def test_format_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(165000.0, "USD")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(D("165000"), "£165,000"), (None, "—"), ("", "—"), (1200, "£1,200"), ("n/a", "n/a")],
)
def test_money_filter(amount, expected):
    template = Template("{% load money %}{{ amount|money:currency }}")

    assert template.render(Context({"amount": amount, "currency": "GBP"})) == expected

"""A chart is drawn once for the figures it shows: the same figures are served the kept drawing
from the shared cache, and any change to them draws afresh."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from benchmarks import charts
from tests.test_band_chart import make_band

D = Decimal


@pytest.fixture
def drawings(monkeypatch):
    """Each template run, by name: what the cache saves."""
    cache.clear()
    ran: list[str] = []
    render = charts.render_to_string

    def counting(name, context):
        ran.append(name)
        return render(name, context)

    monkeypatch.setattr(charts, "render_to_string", counting)
    return ran


def test_the_same_figures_are_drawn_once(drawings):
    first = charts.band_chart_svg(make_band(), width=640)
    again = charts.band_chart_svg(make_band(), width=640)

    assert again == first
    assert drawings == ["charts/band.svg"]
    assert "$165,000" in first  # the median, as drawn the first time


def test_other_figures_or_another_width_are_drawn_afresh(drawings):
    charts.band_chart_svg(make_band(), width=640)
    higher = make_band(percentiles={10: D("120000"), 25: D("140000"), 50: D("166000"),
                                    75: D("185000"), 90: D("210000")})  # fmt: skip
    moved = charts.band_chart_svg(higher, width=640)
    charts.band_chart_svg(make_band(), width=360)
    charts.band_chart_svg(make_band(), [("Your base", D("150000"))], width=640)

    assert len(drawings) == 4
    assert "$166,000" in moved and "$165,000" not in moved


@pytest.fixture
def geometries(monkeypatch):
    """Each band drawing's geometry computed, by width: what the figure-keyed cache saves."""
    cache.clear()
    widths: list[int] = []
    drawing = charts.band_drawing

    def counting(band, markers, width, *args, **kwargs):
        widths.append(width)
        return drawing(band, markers, width, *args, **kwargs)

    monkeypatch.setattr(charts, "band_drawing", counting)
    return widths


def test_the_same_figures_skip_the_geometry_too(geometries):
    first = charts.band_chart_svg(make_band(), [("Your base", D("150000"))])
    again = charts.band_chart_svg(make_band(), [("Your base", D("150000"))])

    assert again == first
    assert geometries == [640, 360]  # both widths, drawn once
    assert "Your base" in first and "$150,000" in first


def test_a_changed_figure_is_drawn_again(geometries):
    charts.band_chart_svg(make_band(), [("Your base", D("150000"))])
    moved = charts.band_chart_svg(make_band(), [("Your base", D("151000"))])

    assert geometries == [640, 360, 640, 360]
    assert "$151,000" in moved

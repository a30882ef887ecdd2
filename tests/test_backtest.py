"""The back-test: official cells hidden and derived the way the lookup derives a band.

The hand-built release below, medians unless said (O = Software Developers 15-1252, whose own
factors are never used; R = Project Management Specialists 13-1082, the TPM role's occupation):

    metro/nonmetro   U.S.      Seattle    Spokane    E. WA nonmetro
    O                100,000   125,000    95,000     100,000
    R                 80,000    96,000    76,000      72,000
    factor R@A÷R@US            1.2000     0.9500      0.9000
    derived O                 120,000    95,000      90,000
    error                       4.00%     0.00%      10.00%

    metro errors 0, 4, 10: median 4.00%; 90th at rank 0.9 × 2 = 1.8, 4 + 0.8 × 6 = 8.80%.
    Seattle's 25th and 75th: O U.S. 80,000 and 120,000; R U.S. 64,000 and 96,000, R Seattle
    80,000 (1.25) and 115,200 (1.20) -> derived 100,000 and 144,000; official 100,000 (0.00%)
    and 150,000 (4.00%).

    state: Washington R 84,000 (1.05) -> O 105,000; official 112,000: 7,000 ÷ 112,000 = 6.25%.
    Oregon's O median is top-coded: not hidden (no exact figure to compare with).
    industry: Software Publishers R 100,000 ÷ R all industries 80,000 = 1.25 -> O 125,000;
    official 130,000: 5,000 ÷ 130,000 = 3.85%.
    The major group 15-0000 is never a target, though its cells are there.
"""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from benchmarks.backtest import OfficialCell, backtest, derive, quantile
from benchmarks.lookup import BandQuery, Confidence, band_for
from benchmarks.models import BacktestFigure
from tests.factories import (
    BandFactory,
    IndustryFactory,
    LocationFactory,
    OccupationFactory,
    seattle_senior_tpm_market,
)

SOC_O, SOC_R, SOC_GROUP = "15-1252", "13-1082", "15-0000"


def cell(soc, place, kind, median, industry=None, top_coded_from=None, **points):
    return OfficialCell(
        soc_code=soc,
        place=place,
        place_kind=kind,
        industry=industry,
        points={10: None, 25: None, 50: D(median), 75: None, 90: None}
        | {int(k[1:]): D(v) for k, v in points.items()},
        top_coded_from=top_coded_from,
    )


US, SEATTLE, SPOKANE, EAST_WA, WA, OR = 1, 2, 3, 4, 5, 6
PUBLISHERS = 7

CELLS = [
    cell(SOC_O, US, "nation", 100_000, p25=80_000, p75=120_000),
    cell(SOC_R, US, "nation", 80_000, p25=64_000, p75=96_000),
    cell(SOC_O, SEATTLE, "metro", 125_000, p25=100_000, p75=150_000),
    cell(SOC_R, SEATTLE, "metro", 96_000, p25=80_000, p75=115_200),
    cell(SOC_O, SPOKANE, "metro", 95_000),
    cell(SOC_R, SPOKANE, "metro", 76_000),
    cell(SOC_O, EAST_WA, "nonmetro", 100_000),
    cell(SOC_R, EAST_WA, "nonmetro", 72_000),
    cell(SOC_O, WA, "state", 112_000),
    cell(SOC_R, WA, "state", 84_000),
    cell(SOC_O, OR, "state", 239_200, top_coded_from=50),
    cell(SOC_R, OR, "state", 90_000),
    cell(SOC_O, US, "nation", 130_000, industry=PUBLISHERS),
    cell(SOC_R, US, "nation", 100_000, industry=PUBLISHERS),
    cell(SOC_GROUP, US, "nation", 90_000),
    cell(SOC_GROUP, SEATTLE, "metro", 120_000),
]


# The pure back-test ------------------------------------------------------------------------


def test_metro_errors_per_percentile() -> None:
    metro = backtest(CELLS, [SOC_R])["metro"]  # SOC_GROUP@Seattle is not a target

    assert metro.hidden_cells == 3
    assert metro.derivations == 3
    assert (metro.errors[50].median, metro.errors[50].p90) == (D("4.00"), D("8.80"))
    assert (metro.errors[25].derivations, metro.errors[25].median) == (1, D("0.00"))
    assert (metro.errors[75].derivations, metro.errors[75].median) == (1, D("4.00"))


def test_state_and_industry_errors() -> None:
    results = backtest(CELLS, [SOC_R])

    assert results["state"].hidden_cells == 1  # Oregon's top-coded median is left out
    assert (results["state"].errors[50].median, results["state"].errors[50].p90) == (
        D("6.25"),
        D("6.25"),
    )
    assert results["industry"].errors[50].median == D("3.85")
    assert results["industry"].derivations == 1


def test_an_occupation_is_never_derived_from_itself() -> None:
    # With SOC_R as the only reference, SOC_R's own cells have no other occupation to stand on.
    only_r = [c for c in CELLS if c.soc_code == SOC_R]
    assert backtest(only_r, [SOC_R]) == {}


def test_derive_keeps_percentiles_in_order() -> None:
    # A 25th factor of 1.5 would put the 25th (90,000 × 1.5) above the median (100,000 × 1.0).
    points = {10: None, 25: D(90_000), 50: D(100_000), 75: None, 90: None}
    factor = {10: D(1), 25: D("1.5"), 50: D(1), 75: D(1), 90: D(1)}
    assert derive(points, factor)[50] == D(135_000)


def test_quantile_interpolates() -> None:
    values = [D(0), D(4), D(10)]
    assert quantile(values, D("0.5")) == D(4)
    assert quantile(values, D("0.9")) == D("8.8")
    assert quantile([D(1), D(2)], D("0.5")) == D("1.5")


# The command and the lookup ----------------------------------------------------------------


@pytest.fixture
def release(db):
    """CELLS as bands of the official release, with the Seattle TPM market of the factories."""
    market = seattle_senior_tpm_market()
    occupations = {
        SOC_O: OccupationFactory(soc_code=SOC_O, title="Software Developers"),
        SOC_R: market["role"].occupation,
        SOC_GROUP: OccupationFactory(
            soc_code=SOC_GROUP, title="Computer and Mathematical Occupations"
        ),
    }
    places = {
        US: market["nation"],
        SEATTLE: market["seattle"],
        SPOKANE: LocationFactory(name="Spokane-Spokane Valley, WA", kind="metro"),
        EAST_WA: LocationFactory(name="Eastern Washington nonmetropolitan area", kind="nonmetro"),
        WA: LocationFactory(name="Washington", kind="state"),
        OR: LocationFactory(name="Oregon", kind="state"),
    }
    publishers = IndustryFactory()
    for c in CELLS:
        BandFactory(
            occupation=occupations[c.soc_code],
            location=places[c.place],
            industry=publishers if c.industry else None,
            top_coded_from=c.top_coded_from,
            **{f"p{p}": v for p, v in c.points.items()},
        )
    return market


def figures() -> dict[str, tuple]:
    return {
        f.kind: (f.cells, f.median_error, f.p90_error, f.computed_on)
        for f in BacktestFigure.objects.all()
    }


def test_backtest_bands_stores_one_figure_per_kind_and_runs_twice(release) -> None:
    out = StringIO()
    call_command("backtest_bands", "--markdown", stdout=out)

    today = timezone.localdate()
    expected = {
        "metro": (3, D("4.00"), D("8.80"), today),
        "state": (1, D("6.25"), D("6.25"), today),
        "industry": (1, D("3.85"), D("3.85"), today),
    }
    assert figures() == expected
    text = out.getvalue()
    assert (
        "| metro and nonmetro areas | 3 | 3 | 4.00% | 8.80% | 0.00% / 0.00% | 4.00% / 4.00% |"
        in text
    )
    assert "states" in text and "national industries" in text

    BacktestFigure.objects.filter(kind="state").update(median_error=D("99.00"))
    call_command("backtest_bands", stdout=StringIO())
    assert figures() == expected
    assert BacktestFigure.objects.count() == 3


def test_a_derived_band_carries_the_stored_metro_figure(release) -> None:
    call_command("backtest_bands", stdout=StringIO())

    # The guide's U.S. Senior TPM band × the official Seattle factor of the TPM's occupation.
    band = band_for(
        BandQuery(
            role=release["role"],
            level=release["level"],
            location=release["seattle"],
            as_of=date(2025, 6, 1),
        )
    )

    assert band.confidence == Confidence.DERIVED
    assert band.typical_error == D("4.00")
    assert band.error_p90 == D("8.80")
    assert "typically land within ±4% of official figures" in band.summary


def test_without_official_data_nothing_is_stored(db) -> None:
    out = StringIO()
    call_command("backtest_bands", stdout=out)
    assert "No official bands" in out.getvalue()
    assert not BacktestFigure.objects.exists()


def test_plain_table_has_a_line_per_kind(release) -> None:
    out = StringIO()
    call_command("backtest_bands", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("kind")
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "metro and nonmetro areas",
        "states",
        "national industries",
    ]

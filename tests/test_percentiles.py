"""Placing an amount in a percentile band: hand-computed cases plus monotonicity properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.percentiles import (
    PERCENTILE_POINTS,
    BandPosition,
    ordinal,
    place_in_band,
    scale_points,
)

D = Decimal
BAND = {10: D("80000"), 25: D("90000"), 50: D("110000"), 75: D("130000"), 90: D("150000")}


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # 25 + 25 * (100,000 - 90,000) / (110,000 - 90,000) = 37.5
        ("100000", "37.5"),
        # 75 + 15 * (145,000 - 130,000) / (150,000 - 130,000) = 86.25 -> 86.3 (half up)
        ("145000", "86.3"),
        # 10 + 15 * (85,000 - 80,000) / (90,000 - 80,000) = 17.5
        ("85000", "17.5"),
        # 50 + 25 * (120,000 - 110,000) / 20,000 = 62.5
        ("120000", "62.5"),
        ("110000", "50"),
        ("80000", "10"),
        ("150000", "90"),
    ],
)
def test_interpolates_between_points(amount: str, expected: str) -> None:
    pos = place_in_band(D(amount), BAND)
    assert pos.percentile == D(expected)
    assert pos.is_known
    assert pos.below is None
    assert pos.above is None


def test_percentile_is_rounded_to_one_decimal() -> None:
    assert place_in_band(D("145000"), BAND).percentile.as_tuple().exponent == -1


@pytest.mark.parametrize(
    ("amount", "label"),
    [
        ("100000", "37th percentile"),
        ("120000", "62nd percentile"),
        ("145000", "86th percentile"),
        ("110000", "at the 50th percentile"),
        ("80000", "at the 10th percentile"),
        ("150000", "at the 90th percentile"),
        ("79999", "below the 10th percentile"),
        ("150001", "above the 90th percentile"),
    ],
)
def test_labels(amount: str, label: str) -> None:
    assert place_in_band(D(amount), BAND).label == label


def test_below_and_above_never_extrapolate() -> None:
    assert place_in_band(D("79999"), BAND) == BandPosition(
        None, 10, None, "below the 10th percentile"
    )
    assert place_in_band(D("150001"), BAND) == BandPosition(
        None, None, 90, "above the 90th percentile"
    )
    assert not place_in_band(D("1"), BAND).is_known


def test_missing_points_are_skipped() -> None:
    band = {10: None, 25: D("90000"), 50: D("110000"), 75: D("130000"), 90: None}
    low = place_in_band(D("85000"), band)
    assert low.below == 25
    assert low.label == "below the 25th percentile"
    high = place_in_band(D("140000"), band)
    assert high.above == 75
    assert high.label == "above the 75th percentile"
    assert place_in_band(D("130000"), band).percentile == D("75")


def test_missing_middle_point_interpolates_across_the_gap() -> None:
    band = {10: D("80000"), 25: D("90000"), 50: None, 75: D("140000"), 90: D("150000")}
    # 25 + 50 * (115,000 - 90,000) / (140,000 - 90,000) = 50
    pos = place_in_band(D("115000"), band)
    assert pos.percentile == D("50")
    assert pos.label == "50th percentile"  # interpolated, not an actual band point


def test_no_known_points() -> None:
    pos = place_in_band(D("100000"), dict.fromkeys(PERCENTILE_POINTS))
    assert pos.percentile is None
    assert pos.below is None
    assert pos.above is None
    assert not pos.is_known


def test_single_known_point() -> None:
    band = {50: D("100000")}
    assert place_in_band(D("100000"), band).percentile == D("50")
    assert place_in_band(D("99999"), band).below == 50
    assert place_in_band(D("100001"), band).above == 50


def test_flat_run_takes_the_midpoint() -> None:
    band = {10: D("80000"), 25: D("100000"), 50: D("100000"), 75: D("120000"), 90: D("130000")}
    pos = place_in_band(D("100000"), band)
    assert pos.percentile == D("37.5")
    assert pos.label == "at the 25th to 50th percentile"
    # Just either side of the flat run stays monotonic around the midpoint.
    assert place_in_band(D("99999"), band).percentile < D("37.5")
    assert place_in_band(D("100001"), band).percentile > D("37.5")


def test_decreasing_band_is_rejected() -> None:
    with pytest.raises(ValueError, match="decrease"):
        place_in_band(D("1"), {25: D("100"), 50: D("90")})


def test_float_amount_is_rejected() -> None:
    with pytest.raises(TypeError):
        place_in_band(100000.0, BAND)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (50, "50th"),
        (62, "62nd"),
        (90, "90th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_scale_points_rounds_half_up_and_keeps_missing() -> None:
    band = {10: D("80000"), 25: None, 50: D("100001"), 75: D("100003")}
    # 100,001 * 1.25 = 125,001.25 -> 125,001; 100,003 * 1.25 = 125,003.75 -> 125,004
    assert scale_points(band, D("1.25")) == {
        10: D("100000"),
        25: None,
        50: D("125001"),
        75: D("125004"),
    }
    assert scale_points({50: D("5")}, D("0.5")) == {50: D("3")}  # 2.5 -> 3, not banker's 2


def test_scale_points_rejects_negative_factor() -> None:
    with pytest.raises(ValueError):
        scale_points(BAND, D("-1"))


# --------------------------------------------------------------------------- properties

money = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)


@st.composite
def bands(draw: st.DrawFn) -> dict[int, Decimal | None]:
    """Non-decreasing bands over the standard points, some points possibly missing."""
    values = sorted(draw(st.lists(money, min_size=5, max_size=5)))
    present = draw(st.lists(st.booleans(), min_size=5, max_size=5))
    return {
        p: v if keep else None
        for p, v, keep in zip(PERCENTILE_POINTS, values, present, strict=True)
    }


def _rank(pos: BandPosition) -> Decimal:
    """Order positions on one line: below < any known percentile < above."""
    if pos.below is not None:
        return D(-1)
    if pos.above is not None:
        return D(101)
    assert pos.percentile is not None
    return pos.percentile


@given(bands(), money, money)
def test_percentile_is_monotonic_in_amount(band: dict[int, Decimal | None], a: Decimal, b: Decimal):
    if not any(v is not None for v in band.values()):
        return
    lo, hi = sorted((a, b))
    assert _rank(place_in_band(lo, band)) <= _rank(place_in_band(hi, band))


@given(bands(), money)
def test_known_percentile_stays_within_known_points(band: dict[int, Decimal | None], a: Decimal):
    known = [p for p, v in band.items() if v is not None]
    pos = place_in_band(a, band)
    if not known:
        assert not pos.is_known
        return
    # Exactly one outcome holds.
    assert [pos.percentile is not None, pos.below is not None, pos.above is not None].count(
        True
    ) == 1
    if pos.is_known:
        assert min(known) <= pos.percentile <= max(known)
    if pos.below is not None:
        assert pos.below == min(known)
    if pos.above is not None:
        assert pos.above == max(known)

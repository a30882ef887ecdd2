"""Compare's after-tax view from each offer's yearly estimate (figures by hand)."""

from decimal import Decimal

import pytest

from offers.comparison import compare_after_tax

D = Decimal


def test_take_home_totals_cumulative_and_crossover():
    # A: 200,000 a year taxed 60,000 → 140,000 a year; cumulative 140,000, 280,000.
    # B: 180,000 taxed 50,000 → 130,000, then 230,000 taxed 75,000 → 155,000; cumulative
    # 130,000, 285,000: B overtakes A in year 2 and leads over 2 years by 5,000.
    result = compare_after_tax(
        ["A", "B"],
        "USD",
        [[D("200000"), D("200000")], [D("180000"), D("230000")]],
        [[D("60000"), D("60000")], [D("50000"), D("75000")]],
    )
    first, average, total = result.totals
    assert (first.values, first.stronger_name, first.lead) == (
        (D("140000"), D("130000")), "A", D("10000"))  # fmt: skip
    # Averages: 280,000 / 2 = 140,000 and 285,000 / 2 = 142,500.
    assert average.values == (D("140000.00"), D("142500.00"))
    assert (total.values, total.stronger_name, total.lead) == (
        (D("280000"), D("285000")), "B", D("5000"))  # fmt: skip
    assert [row.values for row in result.cumulative] == [
        (D("140000"), D("130000")), (D("280000"), D("285000"))]  # fmt: skip
    (crossover,) = result.crossovers
    assert (crossover.year, crossover.overtaking_name, crossover.overtaken_name) == (2, "B", "A")
    # Paying more tax is not "stronger": the tax row names no offer.
    gross, tax, take_home = result.year_one
    assert tax.stronger is None and gross.stronger_name == "A"
    assert take_home.values == (D("140000"), D("130000"))


def test_refuses_different_horizons_and_a_single_offer():
    with pytest.raises(ValueError, match="same number of years"):
        compare_after_tax(["A", "B"], "USD", [[D(1)], [D(1), D(2)]], [[D(0)], [D(0), D(0)]])
    with pytest.raises(ValueError, match="between 2 and 4"):
        compare_after_tax(["A"], "USD", [[D(1)]], [[D(0)]])


def test_risk_adjusted_take_home_is_less_the_discount_and_names_no_stronger_offer():
    # B's private equity is discounted by 24,000 in year 1: tax stays on what vests (50,000),
    # so B keeps 180,000 - 50,000 - 24,000 = 106,000 against A's 140,000.
    result = compare_after_tax(
        ["A", "B"],
        "USD",
        [[D("200000")], [D("180000")]],
        [[D("60000")], [D("50000")]],
        [[D("0")], [D("24000")]],
    )
    _, _, discount, take_home = result.year_one
    assert discount.values == (D("0"), D("24000")) and discount.stronger is None
    assert take_home.values == (D("140000"), D("106000"))
    assert (result.over_horizon.stronger_name, result.over_horizon.lead) == ("A", D("34000"))
    # Without discounts there is no discount row.
    plain = compare_after_tax(["A", "B"], "USD", [[D("1")], [D("1")]], [[D("0")], [D("0")]])
    assert [row.key for row in plain.year_one] == ["gross_year1", "tax_year1", "take_home_year1"]

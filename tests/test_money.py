"""Money as the pages, charts and sheets write it: one module, every form, half up."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template

from benchmarks.money import (
    format_money,
    format_money_exact,
    grouped_amount,
    short_money,
    whole_units,
)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("165000", "USD", "$165,000"),
        ("120000", "GBP", "£120,000"),
        ("95000", "EUR", "€95,000"),
        ("1000", "CHF", "CHF 1,000"),
        ("999.5", "USD", "$1,000"),  # whole units, half up
        ("999.49", "EUR", "€999"),
        ("0", "USD", "$0"),
        ("-0.4", "USD", "$0"),  # rounds to nothing: no minus sign on a zero
        ("-2500", "USD", "-$2,500"),
        ("-2500.5", "GBP", "-£2,501"),  # half up is away from zero
        ("1234567.49", "JPY", "JPY 1,234,567"),
        ("1234567.5", "JPY", "JPY 1,234,568"),
        ("5000", "", "5,000"),  # no currency known: the amount alone
    ],
)
def test_format_money(amount, currency, expected):
    assert format_money(D(amount), currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("30000.5", "USD", "$30,000.50"),
        ("30000.505", "EUR", "€30,000.51"),  # half a cent rounds up
        ("30000.504", "GBP", "£30,000.50"),
        ("165000", "USD", "$165,000.00"),
        ("-12.345", "USD", "-$12.35"),
        ("1234567.49", "JPY", "JPY 1,234,567"),  # the yen has no minor unit
        ("1234567.5", "JPY", "JPY 1,234,568"),
        ("1000.125", "KWD", "KWD 1,000.125"),  # three decimals for the dinar
    ],
)
def test_format_money_exact_writes_the_currencys_minor_unit(amount, currency, expected):
    assert format_money_exact(D(amount), currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("165000", "USD", "$165k"),
        ("239150", "USD", "$239.2k"),  # 239.15k to one decimal, half up
        ("239149", "GBP", "£239.1k"),
        ("95000", "EUR", "€95k"),
        ("1250000", "USD", "$1.25M"),
        ("1000000", "USD", "$1M"),
        ("1234567", "JPY", "JPY 1.23M"),
        ("90000", "CHF", "CHF 90k"),
        ("950", "USD", "$950"),
        ("999.5", "USD", "$1k"),  # rounds to 1,000, so it reads in thousands
        ("999950", "USD", "$1M"),  # 999.95k rounds to 1,000.0k, which is 1M
        ("-1500", "USD", "-$1.5k"),
        ("0", "USD", "$0"),
    ],
)
def test_short_money_for_chart_labels(amount, currency, expected):
    assert short_money(D(amount), currency) == expected


def test_short_money_without_a_currency_is_the_number_alone():
    # The offer charts name their currency once, in the title.
    assert [short_money(D(v)) for v in (1250000, 1000000, 1500000, 750000)] == [
        "1.25M",
        "1M",
        "1.5M",
        "750k",
    ]


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("165000.00", "165000"), ("999.5", "1000"), ("-2500.5", "-2501"), ("-0.2", "0")],
)
def test_whole_units_are_a_sheets_cell(amount, expected):
    assert whole_units(D(amount)) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("135980", "135,980"),
        ("135980.00", "135,980"),
        ("135980.5", "135,980.50"),
        ("-12.345", "-12.35"),
    ],
)
def test_grouped_amount_shows_cents_only_when_there_are_any(amount, expected):
    assert grouped_amount(D(amount)) == expected


@pytest.mark.parametrize("formatter", [format_money, format_money_exact, short_money])
def test_money_refuses_floats(formatter):
    with pytest.raises(TypeError):
        formatter(165000.0, "USD")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(D("165000"), "£165,000"), (None, "—"), ("", "—"), (1200, "£1,200"), ("n/a", "n/a")],
)
def test_money_filter(amount, expected):
    template = Template("{% load money %}{{ amount|money:currency }}")

    assert template.render(Context({"amount": amount, "currency": "GBP"})) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(D("2.5"), "$2.50"), (D("0.355"), "$0.36"), ("4", "$4.00"), (None, "—"), ("n/a", "n/a")],
)
def test_money_exact_filter_keeps_the_cents_of_a_price(amount, expected):
    template = Template("{% load money %}{{ amount|money_exact:currency }}")

    assert template.render(Context({"amount": amount, "currency": "USD"})) == expected

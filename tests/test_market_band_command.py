"""manage.py market_band: the band the app would show, as text or JSON, and clear refusals."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import (
    BacktestFigureFactory,
    ExchangeRateFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
)

pytestmark = pytest.mark.django_db

TPM = ["--role", "Technical Product Manager", "--level", "Senior"]


def market_band(*args: str) -> str:
    out = StringIO()
    call_command("market_band", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def measured(market):
    """The Seattle TPM market with the release's metro back-test figure (±4.00%, ±8.80%)."""
    BacktestFigureFactory()
    return market


def test_json_gives_the_derived_band_with_its_steps_and_error(measured) -> None:
    band = json.loads(market_band(*TPM, "--location", "Seattle", "--as-of", "2025-06-01", "--json"))

    # The guide's 130,000 · 155,000 · 180,000 × the Seattle factor 1.2.
    assert band["percentiles"] == {
        "10": None,
        "25": "156000",
        "50": "186000",
        "75": "216000",
        "90": None,
    }
    assert (band["currency"], band["confidence"], band["component"]) == ("USD", "derived", "base")
    assert (band["typical_error"], band["error_p90"]) == ("4.00", "8.80")
    assert band["location"] == "Seattle-Tacoma-Bellevue, WA"
    assert "typically land within ±4%" in band["summary"]
    first, factor = band["steps"]
    assert first["source"] == "TPM salary guide, 2024"
    assert factor["factor"] == "1.2000" and factor["is_assumption"] is False
    assert factor["effective_date"] == "2025-05-01"


def test_text_is_readable(measured) -> None:
    text = market_band(*TPM, "--location", "42660", "--as-of", "2025-06-01")

    assert text.startswith("Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA")
    assert "median: 186,000 USD" in text
    assert "10th: —" in text
    assert "Confidence: derived" in text
    assert "Typical error: ±4.00% (back-tested); 9 in 10 within ±8.80%" in text
    assert "2. × 1.2000 Seattle-Tacoma-Bellevue, WA differential" in text


def test_names_match_ignoring_case_and_in_part(measured) -> None:
    args = ["--role", "technical product manager", "--level", "SENIOR", "--location", "seattle"]
    band = json.loads(market_band(*args, "--as-of", "2025-06-01", "--json"))
    assert band["percentiles"]["50"] == "186000"


def test_converts_to_the_asked_currency(measured) -> None:
    ExchangeRateFactory(currency="GBP", units_per_usd="0.800000", date=date(2025, 5, 1))
    band = json.loads(
        market_band(
            *TPM, "--location", "Seattle", "--as-of", "2025-06-01", "--currency", "gbp", "--json"
        )
    )
    assert (band["currency"], band["percentiles"]["50"]) == ("GBP", "148800")  # 186,000 × 0.8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "TPM", "--level", "Senior", "--location", "Seattle"], "No role named 'TPM'"),
        (
            ["--role", "Technical Product Manager", "--level", "Boss", "--location", "Seattle"],
            "No level named 'Boss'",
        ),
        ([*TPM, "--location", "Atlantis"], "No place matches 'Atlantis'"),
        ([*TPM, "--location", "Seattle", "--industry", "Mining"], "No industry matches 'Mining'"),
        ([*TPM, "--location", "Seattle", "--size", "Huge"], "No company size named 'Huge'"),
        ([*TPM, "--location", "Seattle", "--as-of", "2025-02-30"], "is not a date (YYYY-MM-DD)"),
        ([*TPM, "--location", "Seattle", "--currency", "dollars"], "is not a currency code"),
    ],
)
def test_unknown_names_and_bad_values_are_refused(measured, args, message) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        market_band(*args)


def test_an_ambiguous_place_lists_the_matches(measured) -> None:
    for state in ("IL", "MA", "MO"):
        LocationFactory(name=f"Springfield, {state}", kind="metro")

    with pytest.raises(CommandError) as refused:
        market_band(*TPM, "--location", "springfield")

    assert "more than one place" in str(refused.value)
    assert "Springfield, IL; Springfield, MA; Springfield, MO" in str(refused.value)


def test_an_exact_name_wins_over_longer_names_containing_it(measured) -> None:
    IndustryFactory(name="Software Publishers", naics_code="513200")
    IndustryFactory(name="Software Publishers and Resellers", naics_code="513299")
    band = json.loads(
        market_band(
            *TPM,
            "--location",
            "Seattle",
            "--industry",
            "Software Publishers",
            "--as-of",
            "2025-06-01",
            "--json",
        )
    )
    assert band["industry"] == "Software Publishers"


def test_no_exchange_rate_says_so(measured) -> None:
    with pytest.raises(CommandError, match="no exchange rate for EUR on or before 2025-06-01"):
        market_band(*TPM, "--location", "Seattle", "--as-of", "2025-06-01", "--currency", "EUR")


def test_a_date_before_any_band_says_so(measured) -> None:
    with pytest.raises(CommandError, match="dated after 2023-01-01"):
        market_band(*TPM, "--location", "Seattle", "--as-of", "2023-01-01")


def test_a_level_without_data_says_so(measured) -> None:
    LevelFactory(name="Entry", rank=10)
    with pytest.raises(CommandError, match="No band for Technical Product Manager, Entry"):
        market_band(
            "--role", "Technical Product Manager", "--level", "Entry", "--location", "Seattle"
        )

"""The database refuses insane market data whatever writes it; forms say why in words."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from benchmarks.models import Industry
from benchmarks.resources import band_value_errors
from tests.factories import (
    BandFactory,
    ExchangeRateFactory,
    FactorFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BandFactory(**fields)


@pytest.mark.parametrize(
    "amounts",
    [
        {"p10": D("95000"), "p25": D("90000")},  # 10th above 25th
        {"p25": D("120000")},  # 25th above the median of 110,000
        {"p75": D("100000")},  # 75th below the median
        {"p90": D("120000")},  # 90th below the 75th of 130,000
    ],
)
def test_percentiles_out_of_order_are_refused(amounts) -> None:
    refused(**amounts)


def test_negative_and_zero_amounts_are_refused() -> None:
    refused(p10=D("-1"))
    refused(p10=None, p25=None, p50=D("0"))


def test_missing_outer_percentiles_are_allowed() -> None:
    band = BandFactory(p10=None, p90=None)
    assert band.pk


def test_one_band_per_cell_even_with_empty_role_and_industry() -> None:
    band = BandFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        BandFactory(occupation=band.occupation, location=band.location, source=band.source)
    # Another industry, role or effective date is another cell.
    BandFactory(
        occupation=band.occupation,
        location=band.location,
        source=band.source,
        industry=IndustryFactory(),
    )
    BandFactory(
        occupation=band.occupation,
        location=band.location,
        source=band.source,
        effective_date=datetime.date(2026, 5, 1),
    )


def test_a_level_needs_a_role() -> None:
    refused(level=LevelFactory())
    assert BandFactory(role=RoleFactory(), level=LevelFactory()).pk


def test_top_coding_names_a_percentile_point() -> None:
    refused(top_coded_from=60)
    assert BandFactory(top_coded_from=90).pk


def test_currency_is_an_iso_code() -> None:
    refused(currency="usd")


def test_factors_point_at_what_their_kind_says() -> None:
    location = LocationFactory(name="Seattle", kind="metro", bls_area_code="42660")
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorFactory(kind="industry", location=location)
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorFactory(kind="location", location=location, value=D("0"))
    factor = FactorFactory(kind="location", location=location)
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorFactory(kind="location", location=location, source=factor.source)


def test_one_exchange_rate_per_currency_and_day() -> None:
    rate = ExchangeRateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRateFactory(source=rate.source)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRateFactory(date=datetime.date(2025, 12, 1), units_per_usd=D("0"))


def test_area_codes_and_naics_codes_are_unique() -> None:
    LocationFactory(name="Seattle", kind="metro", bls_area_code="42660")
    with pytest.raises(IntegrityError), transaction.atomic():
        LocationFactory(name="Seattle again", kind="metro", bls_area_code="42660")
    # Places without a BLS code (London, Berlin) do not clash with each other.
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    LocationFactory(name="Berlin", kind="city", country="DE", currency="EUR")
    IndustryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Industry.objects.create(name="Again", naics_code="513200")


# --------------------------------------------------------------------------- in words


def test_band_value_errors_name_the_fields_and_amounts() -> None:
    errors = band_value_errors(
        {"p10": D("80000"), "p25": D("95000"), "p50": D("90000"), "p75": None, "p90": D("-1")}
    )
    assert errors == {
        "p25": "The 25th percentile (95,000) is above the median (90,000).",
        "p90": "The 90th percentile (-1) cannot be negative.",
    }


def test_band_value_errors_skip_missing_points_and_accept_a_sane_band() -> None:
    assert band_value_errors({"p10": None, "p25": D("1"), "p50": D("2"), "p75": None}) == {}
    assert band_value_errors({"p10": D("3"), "p25": None, "p50": D("2")}) == {
        "p10": "The 10th percentile (3) is above the median (2)."
    }
    assert band_value_errors({"p50": None})["p50"] == "The median is required."
    assert band_value_errors({"p50": D("0")})["p50"] == "The median must be above zero."
    assert "needs a role" in band_value_errors({"p50": D("1"), "role": None, "level": 3})["level"]
    assert "USD" in band_value_errors({"p50": D("1"), "currency": "usd"})["currency"]

"""A person enters the reference package and reads its numbers on screen."""

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import (
    ExchangeRateFactory,
    LocationFactory,
    UserFactory,
    seattle_senior_tpm_market,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_enter_a_senior_tpm_package_and_check_the_numbers(page):
    seattle_senior_tpm_market()
    user = UserFactory()
    sign_in(page, user)

    page.get_by_role("link", name="Add your first offer").click()
    page.get_by_label("Company*").fill("Northwind")
    page.get_by_label("Role*").select_option(label="Technical Product Manager")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_label("Location*").select_option(label="Seattle-Tacoma-Bellevue, WA")
    page.get_by_label("Base salary (yearly)*").fill("165000")
    page.get_by_label("Bonus type*").select_option(label="Percent of base")
    page.get_by_label("Target bonus (% of base)").fill("15")
    page.get_by_label("Sign-on bonus, year 1*").fill("30000")
    page.get_by_label("Equity*").select_option(label="RSUs (restricted stock units)")
    page.get_by_label("Grant value").fill("200000")
    page.get_by_label("Vesting schedule*").select_option(value="back_loaded_5_15_40_40")
    page.get_by_label("Retirement: matched share of salary (%)*").fill("6")
    page.get_by_label("Retirement: match rate (%)*").fill("50")

    # The live preview updates as the person types, before anything is saved.
    preview = page.locator("#offer-preview")
    expect(preview.get_by_test_id("first-year-total")).to_have_text("$234,700")
    expect(preview.get_by_test_id("average-yearly-total")).to_have_text("$244,700")
    expect(preview).to_contain_text("32nd percentile")

    page.get_by_role("button", name="Save offer").click()
    # Saving, then a first look at the offer (its bands and charts computed afresh): on a machine
    # busy with the rest of the suite that can take longer than an expectation's usual 5 s.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northwind", timeout=20_000)
    totals = page.get_by_test_id("year-total")
    expect(totals).to_have_text(["$234,700", "$224,700", "$274,700", "$274,700"])
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.console_errors == [], page.console_errors


def test_the_currency_follows_the_place_unless_chosen(page):
    market = seattle_senior_tpm_market()
    LocationFactory(name="London", kind="city", country="GB", currency="GBP")
    LocationFactory(name="Berlin", kind="city", country="DE", currency="EUR")
    # The menu offers a currency only once it has a rate.
    pound = ExchangeRateFactory(currency="GBP")
    ExchangeRateFactory(currency="EUR", source=pound.source)
    sign_in(page, UserFactory())
    page.goto("/offers/new/")
    place, currency = page.get_by_label("Location*"), page.get_by_label("Currency*")
    expect(currency).to_have_value("USD")

    place.select_option(label="London")
    expect(currency).to_have_value("GBP")
    place.select_option(label="Berlin")
    expect(currency).to_have_value("EUR")
    place.select_option(label=market["seattle"].name)
    expect(currency).to_have_value("USD")

    currency.select_option("EUR")  # the person's own choice now stands
    place.select_option(label="London")
    expect(currency).to_have_value("EUR")
    assert page.console_errors == [], page.console_errors

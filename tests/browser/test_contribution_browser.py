"""On a phone and a laptop: a person adds an offer to this site's market data from the offer's
page, reads what it counts toward, and withdraws it, without leaving the page."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from benchmarks.models import Contribution
from tests.browser.signing_in import sign_in_with_a_session
from tests.factories import OfferFactory, UserFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_the_offer_then_withdraw_it(page, live_server, width, screenshot):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    offer = OfferFactory(
        owner=user,
        company="Northwind",
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        received_on=datetime.date.today(),
    )
    sign_in_with_a_session(page, live_server, user)
    section = page.get_by_test_id("contribution")

    def shoot(what: str) -> None:
        """The whole page, and the section alone (to read it at full size)."""
        whole = screenshot(what)
        section.screenshot(path=whole.with_name(whole.stem + "-section.png"))

    page.goto(reverse("offers:detail", args=[offer.pk]) + "#contribution")

    expect(section.get_by_role("heading", name="This site's market data")).to_be_visible()
    expect(section).to_contain_text("without my name or the company's")
    add = section.get_by_role("button", name="Add this offer")
    expect(add).to_be_visible()
    section.scroll_into_view_if_needed()
    shoot("before")

    add.click()
    month = datetime.date.today().strftime("%B %Y")
    expect(section.get_by_test_id("contribution-state")).to_have_text(
        f"Contributed in {month}; counts toward Technical Product Manager Senior, "
        "Seattle-Tacoma-Bellevue, WA bands, and those of its country."
    )
    expect(section.get_by_role("status")).to_have_text(
        "Added this offer to this site's market data. You can withdraw it at any time."
    )
    withdraw = section.get_by_role("button", name="Withdraw")
    expect(withdraw).to_be_focused()  # the swap keeps the person's place
    assert Contribution.objects.count() == 1
    box = withdraw.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    shoot("contributed")

    withdraw.click()
    expect(section.get_by_role("button", name="Add this offer")).to_be_visible()
    expect(section.get_by_role("status")).to_have_text(
        "Withdrew this offer from this site's market data."
    )
    assert Contribution.objects.count() == 0
    shoot("withdrawn")
    assert page.console_errors == [], page.console_errors

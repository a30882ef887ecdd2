import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import (
    LocationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

D = Decimal


@pytest.fixture
def signed_in_page(page, client, live_server):
    """The browser carries the session of a user signed in through Django's test client."""
    user = UserFactory()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.fixture
def market(market):
    # A state too, so the place menu has more than one group.
    LocationFactory(name="Washington", kind="state", bls_area_code="53")
    return market


def test_band_updates_in_place_as_choices_change(signed_in_page, market):
    page = signed_in_page
    page.goto("/market/")
    expect(page.get_by_role("heading", name="Market data", level=1)).to_be_visible()
    # Survives only if the page is never reloaded.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Role").select_option(label="Technical Product Manager")
    expect(page.locator("#band-result")).to_contain_text("Choose a role and a place")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")

    result = page.locator("#band-result")
    expect(result).to_contain_text("$186,000")  # 155,000 × 1.2
    expect(result).to_contain_text("location factor for Seattle-Tacoma-Bellevue, WA")
    expect(result.get_by_test_id("confidence")).to_have_text("Derived")
    expect(
        page.get_by_role("img", name=re.compile(r"^Base salary band for Technical"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"/market/\?.*location=\d+"))
    assert page.evaluate("window.stillTheSamePage") is True

    # A place with no band and no factor says so, still without a reload.
    page.get_by_label("Level").select_option(label="All levels")
    expect(result).to_contain_text("There is no market band yet")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []


def test_explorer_fits_a_phone_and_works_from_the_keyboard(signed_in_page, market):
    page = signed_in_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/market/")

    page.get_by_label("Role").focus()
    page.get_by_label("Role").select_option(label="Technical Product Manager")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Level")).to_be_focused()
    page.get_by_label("Level").select_option(label="Senior")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Location")).to_be_focused()
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")

    expect(page.locator("#band-result")).to_contain_text("$186,000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.console_errors == []


def test_a_shared_link_opens_with_the_band_shown(signed_in_page, market):
    page = signed_in_page
    page.goto("/market/")
    page.get_by_label("Role").select_option(label="Technical Product Manager")
    page.get_by_label("Level").select_option(label="Senior")
    page.get_by_label("Location").select_option(label="Seattle-Tacoma-Bellevue, WA")
    expect(page.locator("#band-result")).to_contain_text("$186,000")

    page.reload()

    expect(page.locator("#band-result")).to_contain_text("$186,000")
    expect(page.get_by_label("Location")).to_have_value(re.compile(r"\d+"))
    assert page.console_errors == []

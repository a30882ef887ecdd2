"""The share links page on a phone and a laptop: a link made from a comparison lists its offers
in the comparison's order, and revoking it says so."""

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import UserFactory, seattle_senior_tpm_market
from tests.test_compare_views import contoso, northwind

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_link_made_from_a_comparison_keeps_its_order_and_can_be_revoked(
    page, live_server, width, screenshot
):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    first, second = contoso(user, market), northwind(user, market)
    sign_in(page, user)
    page.goto(f"/offers/shares/?offers={second.pk}&offers={first.pk}&currency=USD")
    expect(page.get_by_label("Northwind")).to_be_checked()
    expect(page.get_by_label("Contoso")).to_be_checked()
    page.get_by_role("button", name="Create link").click()
    row = page.get_by_test_id("share-link")
    expect(row).to_contain_text("active")
    expect(row).to_contain_text("Northwind")
    text = row.inner_text()
    assert text.index("Northwind") < text.index("Contoso")  # the comparison's column order
    screenshot("share-links")
    # The link's box, Copy and Revoke fit the card, a phone's included.
    card, link = row.bounding_box(), row.get_by_role("textbox", name="Link").bounding_box()
    assert link["x"] + link["width"] <= card["x"] + card["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked the link: it no longer shows anything.")).to_be_visible()
    assert page.console_errors == []

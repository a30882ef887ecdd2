"""A browser looking at a person's page again is answered 304 and shows the copy it kept, whose
forms still work; after a change it gets the new page (offers/conditional_pages.py)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from offers.models import Offer
from tests.browser.signing_in import sign_in
from tests.factories import OfferFactory, UserFactory, seattle_senior_tpm_market

pytestmark = pytest.mark.django_db(transaction=True)


def look(page, url) -> tuple[bool, int]:
    """Go to `url`: whether the browser sent an ETag back, and the bytes of body it got (none
    for a 304, after which the browser shows its kept copy; Playwright reports that as 200)."""
    with page.expect_event("requestfinished", lambda r: r.url.endswith(url)) as finished:
        page.goto(url)
    request = finished.value
    sent_etag = request.all_headers().get("if-none-match") is not None
    return sent_etag, request.sizes()["responseBodySize"]


def test_a_repeat_look_is_a_304_and_the_kept_page_still_works(page, width, screenshot):
    market = seattle_senior_tpm_market()
    user = UserFactory()
    offer = OfferFactory(
        owner=user,
        company="Northwind",
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        base_salary=Decimal("165000"),
    )
    sign_in(page, user)
    url = offer.get_absolute_url()
    sent_etag, size = look(page, url)
    assert not sent_etag and size > 0
    assert look(page, url) == (True, 0)  # a 304: no body, the kept copy is shown
    expect(page.get_by_role("heading", name="Northwind")).to_be_visible()
    screenshot("offer detail after a 304")

    # The kept copy's form token works: duplicating the offer from it is saved.
    page.get_by_role("button", name="Duplicate for a what-if").click()
    expect(page.get_by_text("Northwind (copy)").first).to_be_visible()
    assert Offer.objects.filter(owner=user).count() == 2

    # A change is seen on the next look: the page is sent afresh.
    Offer.objects.filter(pk=offer.pk).update(company="Contoso")
    sent_etag, size = look(page, url)
    assert sent_etag and size > 0  # asked with the old ETag, sent afresh
    expect(page.get_by_role("heading", name="Contoso")).to_be_visible()

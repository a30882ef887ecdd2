"""The negotiation page on a phone and a laptop: reasons that say exactly what was done and can be
read, the counter after the company's answer, and an email box that keeps the size it was given."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WIDTHS
from tests.browser.signing_in import sign_in
from tests.factories import RoundFactory, UserFactory, seattle_senior_tpm_market
from tests.test_compare_views import northwind

pytestmark = pytest.mark.django_db(transaction=True)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_reasons_say_what_was_done_and_read_under_their_row_on_a_phone(page, width, screenshot):
    user = UserFactory()
    offer = northwind(user, seattle_senior_tpm_market(), base_salary=Decimal("150000"))
    sign_in(page, user)
    page.goto(f"/offers/{offer.pk}/negotiate/")

    base = page.locator('[data-line="base"]')
    reason = base.get_by_test_id("reason")
    # Seattle's 60th: 186,000 + 30,000 × 10/25 = 198,000; today's 150,000 × 1.25 = 187,500,
    # rounded up to 188,000; 150,000 is under the band's 25th (156,000).
    expect(reason).to_have_text(
        "The band's 60th percentile is $198,000 (this offer: below the 25th percentile); one "
        "round asks at most +25% of today's base, $150,000, rounded up to the next $1,000: "
        "$188,000."
    )
    expect(base.locator("td.money").nth(1)).to_have_text("$188,000")

    label, why = box(base.locator("th")), box(reason)
    viewport = WIDTHS[width]
    if width == "phone":
        # Under its row, across most of the screen, and no sideways scrolling.
        assert why["y"] >= label["y"] + label["height"] - 1
        assert why["width"] >= 0.8 * viewport
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    else:
        # Its own column, on the same line as the component.
        assert why["x"] > label["x"] + label["width"]
        assert abs(why["y"] + why["height"] / 2 - (label["y"] + label["height"] / 2)) < 20
    # Every reason is whole: none is cut off inside its cell.
    for cell in page.get_by_test_id("reason").all():
        assert cell.evaluate("c => c.scrollWidth <= c.clientWidth")
    screenshot("targets")
    assert page.console_errors == []


def test_after_their_answer_the_counter_meets_them_halfway(page, width, screenshot):
    user = UserFactory()
    offer = northwind(user, seattle_senior_tpm_market())
    RoundFactory(offer=offer, number=1, label="Original offer", who="company")
    ask = RoundFactory(offer=offer, number=2, label="Our counter", who="candidate")
    ask.snapshot = ask.snapshot | {"base_salary": "210000.00"}
    ask.save()
    answer = RoundFactory(offer=offer, number=3, label="Their answer", who="company")
    answer.snapshot = answer.snapshot | {"base_salary": "185000.00"}
    answer.save()
    sign_in(page, user)
    page.goto(f"/offers/{offer.pk}/rounds/")
    expect(page.get_by_test_id("next-counter")).to_contain_text("Northwind answered your counter.")
    # What changed in each round fits inside its card, "By" column included.
    for table in page.locator("table.round-changes").all():
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    expect(page.locator('[data-field="base_salary"]').first).to_contain_text("-$25,000")
    screenshot("rounds")
    page.get_by_role("link", name="Prepare your next counter").click()

    expect(page.get_by_test_id("standing")).to_contain_text(
        "answered in round 3 (Their answer) to your counter of round 2 (Our counter)"
    )
    base = page.locator('[data-line="base"]')
    expect(base.locator("td.money").first).to_have_text("$185,000")
    expect(base.locator("td.money").nth(1)).to_have_text("$198,000")
    expect(base.get_by_test_id("reason")).to_have_text(
        "They answered $185,000 to your ask of $210,000; meeting halfway is $197,500, "
        "rounded up to $198,000."
    )
    # 198,000 + 15% 29,700 + 30,000 + 10,000 + 3% 5,940 = 273,640.
    expect(page.get_by_test_id("counter-first-year")).to_have_text("$273,640")
    expect(page.locator("#email-draft")).to_have_value(
        re.compile(r"Base salary: \$198,000 \(currently \$185,000\)")
    )
    expect(page.locator("#email-draft")).to_have_value(re.compile("Thank you for coming back"))
    screenshot("after-answer")

    # Sending it makes round 4; until they answer again, the page says where their answer goes.
    page.get_by_role("button", name="Save as my counter (a new round)").click()
    expect(page.get_by_text("Saved round 4: Our counter.")).to_be_visible()
    expect(page.get_by_test_id("next-counter")).to_have_count(0)
    page.get_by_role("link", name="Negotiate").click()
    expect(page.get_by_test_id("awaiting-answer")).to_contain_text(
        "Your last counter is waiting for Northwind's answer."
    )
    screenshot("awaiting-answer")
    assert page.console_errors == []


def test_a_resized_email_box_keeps_its_size_when_a_target_changes(page, width, screenshot):
    user = UserFactory()
    offer = northwind(user, seattle_senior_tpm_market())
    sign_in(page, user)
    page.goto(f"/offers/{offer.pk}/negotiate/")
    email = page.locator("#email-draft")
    email.scroll_into_view_if_needed()
    before = box(email)
    # Drag the box's resize grip (its bottom right corner) 120 px down, as a person would.
    page.mouse.move(before["x"] + before["width"] - 3, before["y"] + before["height"] - 3)
    page.mouse.down()
    page.mouse.move(
        before["x"] + before["width"] - 3, before["y"] + before["height"] + 117, steps=5
    )
    page.mouse.up()
    resized = box(email)["height"]
    assert resized >= before["height"] + 100

    page.get_by_label("Base salary*").fill("190000")
    # 190,000 + 28,500 + 30,000 + 10,000 + 5,700 = 264,200.
    expect(page.get_by_test_id("counter-first-year")).to_have_text("$264,200")
    expect(email).to_have_value(re.compile(r"Base salary: \$190,000 \(currently \$165,000\)"))
    assert abs(box(email)["height"] - resized) < 2
    page.get_by_label("Sign-on bonus (one-time)*").fill("40000")
    expect(page.get_by_test_id("counter-first-year")).to_have_text("$274,200")
    expect(email).to_have_value(re.compile(r"Sign-on bonus \(one-time\): \$40,000"))
    assert abs(box(email)["height"] - resized) < 2
    screenshot("email-resized")
    assert page.console_errors == []

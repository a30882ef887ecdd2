import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_user_signs_up_signs_out_and_signs_in_again(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Know what an offer is worth")
    page.get_by_role("link", name="Create a free account").click()

    page.get_by_label("Email address*").fill("lin@example.com")
    page.get_by_label("Password*", exact=True).fill("a-long-unusual-pass")
    page.get_by_label("Password confirmation*").fill("a-long-unusual-pass")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1))
    page.get_by_role("button", name="Confirm and sign in").click()
    expect(page.get_by_text("Welcome to OfferBench")).to_be_visible()

    page.get_by_role("button", name="lin").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You are signed out")).to_be_visible()

    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address*").fill("lin@example.com")
    page.get_by_label("Password*", exact=True).fill("a-long-unusual-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My offers")).to_be_visible()
    # No CSP violation or script error on the way.
    assert page.console_errors == []


def test_navigation_works_at_phone_width(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_a_weak_password_is_refused_under_the_password_field(page, width, screenshot):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address*").fill("ada@example.com")
    page.get_by_label("Password*", exact=True).fill("12345678")
    page.get_by_label("Password confirmation*").fill("12345678")
    page.get_by_role("button", name="Create account").click()

    password = page.get_by_label("Password*", exact=True)
    confirmation = page.get_by_label("Password confirmation*")
    message = page.get_by_text("This password is too common.")
    expect(message).to_be_visible()
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(confirmation).not_to_have_attribute("aria-invalid", "true")
    screenshot("weak-password")
    # The message stands between the password box and the confirmation, on any width.
    top = message.bounding_box()["y"]
    assert password.bounding_box()["y"] < top < confirmation.bounding_box()["y"]
    assert page.console_errors == []

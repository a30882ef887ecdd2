"""Signing a person in for a browser test: through the sign-in form, as a person does, or by
handing the browser a session (when the test is about another page)."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD


def sign_in(page, user) -> None:
    """Through the sign-in form, landing on My offers."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address*").fill(user.email)
    page.get_by_label("Password*").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My offers")).to_be_visible()


def sign_in_with_a_session(page, live_server, user) -> None:
    """A session made on the server, its cookie given to the browser: no page is visited."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )

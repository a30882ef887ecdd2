"""When the database is down, pages answer the clean 503 page, not a 500; other errors stay 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

SESSION_LOAD = "django.contrib.sessions.backends.db.SessionStore.load"


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("the database system is shutting down"),
        InterfaceError("connection already closed"),
    ],
)
def test_an_unreachable_database_answers_503(user_client, error):
    # The first query of a signed-in page reads the session.
    with mock.patch(SESSION_LOAD, side_effect=error):
        response = user_client.get(reverse("offers:list"))
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content
    assert response["Retry-After"] == "5"
    assert b"Traceback" not in response.content


def test_a_form_posted_during_the_outage_answers_503(user_client):
    with mock.patch("offers.views.OfferForm.is_valid", side_effect=OperationalError("gone")):
        response = user_client.post(reverse("offers:create"), {"company": "Northwind"})
    assert response.status_code == 503


def test_other_errors_are_still_server_errors(user_client):
    user_client.raise_request_exception = False
    with mock.patch(SESSION_LOAD, side_effect=RuntimeError("a bug")):
        response = user_client.get(reverse("offers:list"))
    assert response.status_code == 500


def test_an_outage_after_the_view_answers_503_too(user_client):
    # Saving the session happens after the view, outside the middleware's reach.
    user_client.raise_request_exception = False
    after_the_view = "django.contrib.sessions.middleware.SessionMiddleware.process_response"
    with mock.patch(after_the_view, side_effect=OperationalError("server closed the connection")):
        response = user_client.get(reverse("offers:list"))
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content
    assert response["Retry-After"] == "5"


def test_other_errors_after_the_view_are_still_server_errors(user_client):
    user_client.raise_request_exception = False
    after_the_view = "django.contrib.sessions.middleware.SessionMiddleware.process_response"
    with mock.patch(after_the_view, side_effect=RuntimeError("a bug")):
        response = user_client.get(reverse("offers:list"))
    assert response.status_code == 500

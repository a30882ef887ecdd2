import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_landing_page_says_what_the_app_does(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"year by year" in response.content
    assert reverse("accounts:signup").encode() in response.content


def test_signed_in_visitor_goes_from_landing_to_offers(user_client):
    response = user_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:list")


def test_sign_up_creates_account_and_signs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "Ada@Example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ada@example.com"
    assert client.get(reverse("offers:list")).status_code == 200


def test_sign_up_rejects_weak_password_next_to_the_field(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "ada@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "password2" in response.context["form"].errors
    assert (
        b'aria-describedby="id_password2_error' in response.content
        or b"invalid-feedback" in response.content
    )


def test_sign_up_rejects_an_address_already_used_in_another_case(client):
    UserFactory(email="ada@example.com")
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "ADA@example.com",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email address already exists."
    ]
    assert User.objects.count() == 1


def test_sign_in_with_email_any_case(client):
    UserFactory(email="grace@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "GRACE@example.com", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:list")


def test_wrong_password_is_refused_with_a_message(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert b"correct email address and password" in response.content


def test_sign_out_needs_post(user_client):
    page = user_client.get(reverse("accounts:logout"))
    assert page.status_code == 200  # a button to sign out, not a 405
    assert b'method="post"' in page.content
    assert user_client.get(reverse("offers:list")).status_code == 200  # still signed in
    response = user_client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert b"You are signed out" in response.content
    assert user_client.get(reverse("offers:list")).status_code == 302


def test_sign_out_with_a_query_string_ends_on_the_signed_out_page(user_client):
    assert user_client.get(reverse("accounts:logout") + "?from=menu").status_code == 200
    response = user_client.post(reverse("accounts:logout") + "?from=menu", follow=True)
    assert response.status_code == 200
    assert b"You are signed out" in response.content
    assert user_client.get(reverse("offers:list")).status_code == 302


def test_the_error_page_does_not_promise_that_nothing_was_lost():
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "Nothing you entered was lost" not in page
    assert "may not have been saved" in page


def test_pages_need_sign_in(client):
    response = client.get(reverse("offers:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_change(user_client, user):
    response = user_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "another-long-pass-9",
            "new_password2": "another-long-pass-9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-pass-9")


def test_password_reset_answers_the_same_for_unknown_addresses(client, user):
    known = client.post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_password_reset_link_works_once(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-42")
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


def test_password_reset_link_expires(client, user, settings):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.get(link, follow=True).context["validlink"] is False


def test_five_failures_lock_further_attempts_with_a_429(client, user):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert b"Traceback" not in response.content


def test_lockout_is_per_username_and_address(client, user, other_user):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": other_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_lockout_lifts_after_the_cool_off(client, user, settings):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302

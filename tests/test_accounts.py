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


NEW_ACCOUNT = {"password1": "a-long-unusual-pass", "password2": "a-long-unusual-pass"}


def mailed_link(message) -> str:
    return re.search(r"https?://[^/]+(/\S+)", message.body).group(1)


def test_sign_up_mails_a_link_that_opens_the_account_signed_in(client):
    response = client.post(reverse("accounts:signup"), {"email": "Ada@Example.com"} | NEW_ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_sent")
    assert b"Check your email" in client.get(response["Location"]).content
    user = User.objects.get()
    assert user.email == "ada@example.com"
    assert not user.is_active  # nobody signs in as an address before its mailbox says so
    assert mail.outbox[0].to == ["ada@example.com"]
    link = mailed_link(mail.outbox[0])
    assert b"Confirm and sign in" in client.get(link).content
    welcome = client.post(link, follow=True)
    assert welcome.redirect_chain[-1][0] == reverse("offers:list")
    assert b"Welcome to OfferBench" in welcome.content
    user.refresh_from_db()
    assert user.is_active and user.check_password("a-long-unusual-pass")
    assert client.get(link).context["validlink"] is False  # the link works once
    client.post(reverse("accounts:logout"))
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": "ada@example.com", "password": "a-long-unusual-pass"},
    )
    assert signed_in.status_code == 302


def test_a_reset_link_does_not_confirm_a_sign_up(client):
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"} | NEW_ACCOUNT)
    user = User.objects.get()
    uid = mailed_link(mail.outbox[0]).split("/")[-3]
    from django.contrib.auth.tokens import default_token_generator

    forged = reverse(
        "accounts:signup_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    assert client.post(forged).status_code == 200
    user.refresh_from_db()
    assert not user.is_active


def test_sign_up_rejects_weak_password_next_to_the_field(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "ada@example.com", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    # The weakness is the password's: its message stands under "Password", not the confirmation.
    errors = response.context["form"].errors
    assert "password1" in errors and "password2" not in errors
    assert "This password is too common." in errors["password1"]
    assert b"This password is too common." in response.content


def test_sign_up_answers_an_existing_address_as_a_new_one_and_mails_its_owner(client):
    owner = UserFactory(email="ada@example.com")
    new = client.post(reverse("accounts:signup"), {"email": "lin@example.com"} | NEW_ACCOUNT)
    existing = client.post(reverse("accounts:signup"), {"email": "ADA@example.com"} | NEW_ACCOUNT)
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"] == reverse("accounts:signup_sent")
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(TEST_PASSWORD)
    notice = mail.outbox[-1]
    assert notice.to == ["ada@example.com"]
    assert "already has one" in notice.body
    assert reverse("accounts:password_reset") in notice.body


def test_an_unconfirmed_sign_up_can_be_started_again(client):
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"} | NEW_ACCOUNT)
    first_link = mailed_link(mail.outbox[0])
    again = {"password1": "another-unusual-pass", "password2": "another-unusual-pass"}
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"} | again)
    assert client.get(first_link).context["validlink"] is False
    client.post(mailed_link(mail.outbox[1]))
    assert User.objects.get().check_password("another-unusual-pass")


def test_sign_up_and_reset_mail_are_limited_per_address(client):
    UserFactory(email="ada@example.com")
    for _ in range(2):
        client.post(reverse("accounts:password_reset"), {"email": "ada@example.com"})
    client.post(reverse("accounts:signup"), {"email": "ada@example.com"} | NEW_ACCOUNT)
    assert len(mail.outbox) == 3
    refused = client.post(reverse("accounts:password_reset"), {"email": "ADA@example.com"})
    assert refused.status_code == 429
    assert b"Too many emails" in refused.content
    assert (
        client.post(
            reverse("accounts:signup"), {"email": "ada@example.com"} | NEW_ACCOUNT
        ).status_code
        == 429
    )
    assert len(mail.outbox) == 3
    other = client.post(reverse("accounts:password_reset"), {"email": "lin@example.com"})
    assert other.status_code == 302


def test_reset_mail_is_limited_per_client(client):
    for n in range(20):
        client.post(reverse("accounts:password_reset"), {"email": f"person{n}@example.com"})
    refused = client.post(reverse("accounts:password_reset"), {"email": "one-more@example.com"})
    assert refused.status_code == 429
    elsewhere = client.post(
        reverse("accounts:password_reset"),
        {"email": "one-more@example.com"},
        REMOTE_ADDR="198.51.100.8",
    )
    assert elsewhere.status_code == 302


def test_reset_mail_leaves_after_the_answer_for_known_and_unknown_addresses(
    client, user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "core.tasks.ThreadBackend"}}
    for email in (user.email, "nobody@example.com"):
        with django_capture_on_commit_callbacks() as after_the_answer:
            response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302
        assert len(after_the_answer) == 1  # the same one task, whoever owns the address
    assert mail.outbox == []  # nothing was sent while the request was answered


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

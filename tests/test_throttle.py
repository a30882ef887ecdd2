"""Sign-in and password limits: one account and one client address each have a ceiling."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from accounts.models import User
from accounts.throttle import sign_in_email
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/"
ADMIN_SIGN_IN = "/admin/login/"


def sign_in(client, email, password, address="198.51.100.1", path=SIGN_IN, **headers):
    return client.post(
        path, {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def lock(client, email, path=SIGN_IN, **kwargs):
    # The fifth wrong password is already answered with the 429 page.
    statuses = [sign_in(client, email, "wrong", path=path, **kwargs).status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]


@pytest.fixture
def victim(db):
    return UserFactory(email="victim@example.test", is_staff=True)


def test_the_lockout_reads_an_address_as_sign_in_does():
    assert sign_in_email(" VictIm@Example.TEST ") == "victim@example.test"
    assert sign_in_email("ｖictim@example.test") == "victim@example.test"  # fullwidth v


@pytest.mark.parametrize(
    "spelling", ["victIm@example.test", "VICTIM@EXAMPLE.TEST", " victim@example.test "]
)
def test_another_spelling_neither_signs_in_nor_clears_the_lock(client, victim, spelling):
    lock(client, "victim@example.test")
    assert sign_in(client, spelling, TEST_PASSWORD).status_code == 429
    assert sign_in(client, "victim@example.test", TEST_PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == "victim@example.test"


@pytest.mark.parametrize("spelling", ["victIm@example.test", "ｖictim@example.test"])
def test_the_admin_sign_in_shares_the_lock_in_every_spelling(client, victim, spelling):
    lock(client, "VICTIM@example.test", path=ADMIN_SIGN_IN)
    assert sign_in(client, spelling, TEST_PASSWORD, path=ADMIN_SIGN_IN).status_code == 429
    assert sign_in(client, "victim@example.test", TEST_PASSWORD).status_code == 429


def test_one_account_is_locked_after_20_failures_from_any_addresses(client, victim):
    for n in range(20):
        assert sign_in(client, "Victim@example.test", "wrong", f"203.0.113.{n}").status_code == 200
    assert sign_in(client, victim.email, TEST_PASSWORD, "192.0.2.50").status_code == 429


def test_failures_spread_over_accounts_do_not_lock_one(client, victim):
    for n in range(19):
        sign_in(client, victim.email, "wrong", f"203.0.113.{n}")
    assert sign_in(client, victim.email, TEST_PASSWORD, "192.0.2.50").status_code == 302


class CountingHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_an_address_gets_20_sign_in_attempts_a_minute_before_any_hashing(client, settings):
    settings.PASSWORD_HASHERS = ["tests.test_throttle.CountingHasher"]
    for n in range(20):
        assert sign_in(client, f"random{n}@example.test", "guess").status_code == 200
    CountingHasher.calls = 0
    refused = sign_in(client, "random-next@example.test", "guess")
    assert refused.status_code == 429
    assert b"Too many sign-in attempts" in refused.content
    assert CountingHasher.calls == 0
    assert sign_in(client, "random-next@example.test", "guess", "198.51.100.2").status_code == 200


# Behind one proxy: the proxy (10.0.0.1) appends the address it saw to X-Forwarded-For.
PROXY = "10.0.0.1"


def test_behind_a_proxy_clients_are_told_apart(client, settings, victim):
    settings.PROXY_COUNT = 1
    lock(client, victim.email, address=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    blocked = sign_in(
        client, victim.email, TEST_PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert blocked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    real_user = sign_in(
        client, victim.email, TEST_PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="192.0.2.7"
    )
    assert real_user.status_code == 302


def test_behind_a_proxy_what_a_client_writes_itself_is_ignored(client, settings, victim):
    settings.PROXY_COUNT = 1
    for n in range(5):
        spoofed = f"192.0.2.{n}, 203.0.113.9"  # the client's claim, then what the proxy saw
        sign_in(client, victim.email, "wrong", PROXY, HTTP_X_FORWARDED_FOR=spoofed)
    again = sign_in(
        client, victim.email, TEST_PASSWORD, PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9"
    )
    assert again.status_code == 429


def test_a_direct_client_cannot_choose_its_address(client, settings, victim):
    settings.PROXY_COUNT = 0
    for n in range(5):
        sign_in(client, victim.email, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    again = sign_in(client, victim.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert again.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


def change_password(client, old):
    return client.post(
        reverse("accounts:password_change"),
        {
            "old_password": old,
            "new_password1": "fresh-long-pass-77",
            "new_password2": "fresh-long-pass-77",
        },
    )


def test_five_wrong_current_passwords_pause_password_change(client, user):
    client.force_login(user)
    for _ in range(5):
        assert change_password(client, "wrong").status_code == 200
    refused = change_password(client, TEST_PASSWORD)
    assert refused.status_code == 429
    assert b"Too many wrong passwords" in refused.content
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_five_wrong_passwords_pause_account_deletion_and_password_change(client, user):
    client.force_login(user)
    for _ in range(5):
        assert client.post(reverse("accounts:delete"), {"password": "wrong"}).status_code == 200
    refused = client.post(reverse("accounts:delete"), {"password": TEST_PASSWORD})
    assert refused.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
    assert change_password(client, TEST_PASSWORD).status_code == 429


def test_the_limit_on_password_checks_is_per_account(client, user, other_user):
    client.force_login(user)
    for _ in range(5):
        change_password(client, "wrong")
    client.force_login(other_user)
    assert change_password(client, TEST_PASSWORD).status_code == 302


def test_the_limits_switch_off_with_the_lockout(client, user, settings):
    settings.AXES_ENABLED = False
    client.force_login(user)
    for _ in range(6):
        change_password(client, "wrong")
    assert change_password(client, TEST_PASSWORD).status_code == 302

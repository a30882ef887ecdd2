"""Counters that refuse a request once a client or an account has tried too often.

They live in django.core.cache: with REDIS_URL they are shared by every worker and host, with the
local-memory cache each worker counts on its own. Sign-in failures are also counted by django-axes
(per account and address, in the database); these add what axes cannot: a count per account from
every address, and limits checked before any password is hashed.
"""

import hashlib
import ipaddress
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    def key(self, who: str | None) -> str:
        # Requests without a known address share one count: they can't hide behind it.
        who = who or "unknown"
        return f"throttle:{self.name}:{hashlib.sha256(who.encode()).hexdigest()}"


# Any sign-in (the site's and the admin's) from one address, checked before the hasher runs.
SIGN_IN_PER_ADDRESS = Limit("sign-in-address", 20, 60)
# Wrong passwords for one account from every address together (axes counts per address).
SIGN_IN_FAILURES_PER_ACCOUNT = Limit("sign-in-account", 20, 15 * 60)
# Wrong current passwords typed while signed in (password change, account deletion).
PASSWORD_CHECK_FAILURES_PER_ACCOUNT = Limit("password-check", 5, 15 * 60)
# Mail sent on request: password reset links and "someone tried to sign up" notices.
MAIL_PER_ADDRESS = Limit("mail-address", 3, 60 * 60)
MAIL_PER_CLIENT = Limit("mail-client", 20, 60 * 60)


def sign_in_email(value: str | None) -> str | None:
    """The spelling of an email address that every sign-in counter uses.

    Sign-in matches addresses case-insensitively after Unicode compatibility normalisation and
    stripping; casefold() is at least as broad, so every spelling that signs in to an account
    is counted against that account.
    """
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username axes records and locks, spelled as sign-in reads it."""
    if credentials:
        return sign_in_email(credentials.get("username"))
    return sign_in_email(getattr(request, "POST", {}).get("username"))


def _an_address(text: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip())) if text else None
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address, for axes (AXES_CLIENT_IP_CALLABLE) and every limit here.

    Behind N proxies, each appends the address it saw to X-Forwarded-For, so the client is the
    Nth entry from the right; whatever a client wrote further left is its own claim, ignored.
    With no proxy (N = 0) the header is the client's claim too, and only REMOTE_ADDR counts.
    """
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and (address := _an_address(forwarded[-proxies])):
            return address
    # None when there is no address at all (a sign-in made in code): axes stores it as empty.
    return _an_address(request.META.get("REMOTE_ADDR"))


def is_exceeded(limit: Limit, who: str) -> bool:
    if not settings.AXES_ENABLED:  # one switch for every brute-force limit (README)
        return False
    return (cache.get(limit.key(who)) or 0) >= limit.count


def count(limit: Limit, who: str) -> None:
    key = limit.key(who)
    # The window starts with the first attempt; add() is a no-op when it is already open.
    cache.add(key, 0, limit.seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, limit.seconds)


def allow(limit: Limit, who: str) -> bool:
    """Count one attempt and say whether it is within the limit."""
    if is_exceeded(limit, who):
        return False
    count(limit, who)
    return True

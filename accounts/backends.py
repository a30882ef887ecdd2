"""Refuse sign-ins over the rate limits before django-axes and the password hasher run."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from accounts import throttle


class SignInRateLimitBackend:
    """First in AUTHENTICATION_BACKENDS: authenticates nobody, only refuses.

    A refusal sets the flag django-axes answers with the 429 page (AXES_LOCKOUT_CALLABLE), and
    axes records no failure for it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not settings.AXES_ENABLED:
            return None
        account = throttle.sign_in_email(username)
        if not throttle.allow(throttle.SIGN_IN_PER_ADDRESS, throttle.client_address(request)) or (
            account and throttle.is_exceeded(throttle.SIGN_IN_FAILURES_PER_ACCOUNT, account)
        ):
            request.axes_locked_out = True
            raise PermissionDenied
        return None


@receiver(user_login_failed)
def count_failure_for_the_account(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "axes_locked_out", False):
        return
    account = throttle.sign_in_email(credentials.get("username"))
    if account:
        throttle.count(throttle.SIGN_IN_FAILURES_PER_ACCOUNT, account)

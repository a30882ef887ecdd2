"""Writes the account pages orchestrate: signing up."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from accounts.mail import send_sign_up_confirmation, send_sign_up_notice
from accounts.models import User


def sign_up(*, email: str, password: str, display_name: str, domain: str, use_https: bool) -> None:
    """Start an account, or tell the owner of an existing one; the caller cannot tell which.

    A new account stays inactive until the link mailed to its address is opened, so an address
    is only ever claimed by whoever reads its mail. An account that was never confirmed is
    started again with the new password.
    """
    mail = {"domain": domain, "use_https": use_https}
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and (existing.is_active or existing.last_login is not None):
        make_password(password)  # the hashing a new account costs: both answers take as long
        send_sign_up_notice.enqueue(user_id=existing.pk, **mail)
        return
    user = existing or User(email=email)
    user.display_name = display_name
    user.is_active = False
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address signed up a moment ago: that one's link counts
        return
    send_sign_up_confirmation.enqueue(user_id=user.pk, **mail)

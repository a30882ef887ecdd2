"""Mail sent to an address: reset links, sign-up confirmations and sign-up notices.

Each is a task (Django's tasks framework, TASKS in settings), so the page answers at once and in
the same time whether or not an account uses the address.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User


class SignUpConfirmationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a sign-up link never works as a reset link, nor the other way round. The
    # token changes once the account signs in (last login), so a link works once.
    key_salt = "accounts.mail.SignUpConfirmationTokenGenerator"


sign_up_confirmation_token = SignUpConfirmationTokenGenerator()


def _site_url(domain: str, use_https: bool, path: str) -> str:
    return f"{'https' if use_https else 'http'}://{domain}{path}"


@task
def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


@task
def send_sign_up_confirmation(*, user_id: int, domain: str, use_https: bool) -> None:
    user = User.objects.filter(pk=user_id, is_active=False).first()
    if user is None:
        return
    path = reverse(
        "accounts:signup_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": sign_up_confirmation_token.make_token(user),
        },
    )
    body = render_to_string(
        "registration/signup_confirm_email.txt",
        {"email": user.email, "link": _site_url(domain, use_https, path)},
    )
    send_mail("Confirm your OfferBench account", body, None, [user.email])


@task
def send_sign_up_notice(*, user_id: int, domain: str, use_https: bool) -> None:
    """Someone signed up with the address of an existing account: tell its owner, no one else."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    body = render_to_string(
        "registration/signup_existing_email.txt",
        {
            "email": user.email,
            "sign_in": _site_url(domain, use_https, reverse("accounts:login")),
            "reset": _site_url(domain, use_https, reverse("accounts:password_reset")),
        },
    )
    send_mail("Someone tried to sign up with your address", body, None, [user.email])

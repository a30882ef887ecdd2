import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import FormView

from accounts import throttle
from accounts.forms import DeleteAccountForm, HouseholdForm, SignUpForm
from accounts.mail import send_password_reset, sign_up_confirmation_token
from accounts.models import User
from accounts.personal_data import personal_data
from accounts.services import sign_up


def _mail_allowed(request: HttpRequest, email: str) -> bool:
    """Mail on request is limited per client and per address, counted whoever owns it."""
    return throttle.allow(
        throttle.MAIL_PER_CLIENT, throttle.client_address(request)
    ) and throttle.allow(throttle.MAIL_PER_ADDRESS, throttle.sign_in_email(email))


def mail_paused(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", {"mail_limit": True}, status=429)


def _mail_site(request: HttpRequest) -> dict:
    return {"domain": get_current_site(request).domain, "use_https": request.is_secure()}


class SignUpView(FormView):
    """New and existing addresses get the same answer: "check your email"."""

    form_class = SignUpForm
    template_name = "registration/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("offers:list")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not _mail_allowed(self.request, email):
            return mail_paused(self.request)
        sign_up(
            email=email,
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data.get("display_name", ""),
            **_mail_site(self.request),
        )
        return redirect("accounts:signup_sent")


@require_GET
def sign_up_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


def _unconfirmed_account(uidb64: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=False)
    except (ValueError, OverflowError, User.DoesNotExist):
        return None
    return user if sign_up_confirmation_token.check_token(user, token) else None


@require_http_methods(["GET", "POST"])
def confirm_sign_up(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the sign-up mail: a button (a mail scanner's GET confirms nothing)."""
    user = _unconfirmed_account(uidb64, token)
    if request.method == "POST" and user is not None:
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to OfferBench. Add your first offer to begin.")
        return redirect("offers:list")
    return render(request, "registration/signup_confirm.html", {"validlink": user is not None})


class PasswordResetView(auth_views.PasswordResetView):
    """The reset mail is sent off the request path, so known and unknown addresses answer alike."""

    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not _mail_allowed(self.request, email):
            return mail_paused(self.request)
        send_password_reset.enqueue(email=email, **_mail_site(self.request))
        return redirect(self.get_success_url())


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The person's account, where they also say whom after-tax estimates are for."""
    form = HouseholdForm(request.POST if request.method == "POST" else None, instance=request.user)
    if form.is_bound and form.is_valid():
        # Only the household: the rest of the row may have changed since this request read it.
        form.save(commit=False).save(update_fields=list(form.Meta.fields))
        messages.success(request, "Saved: after-tax estimates now use your household.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"household_form": form})


@login_required
@require_GET
def download_data(request: HttpRequest) -> HttpResponse:
    body = json.dumps(personal_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"offerbench-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _password_checks_paused(request: HttpRequest) -> bool:
    return throttle.is_exceeded(throttle.PASSWORD_CHECK_FAILURES_PER_ACCOUNT, str(request.user.pk))


def _count_wrong_password(request: HttpRequest) -> None:
    throttle.count(throttle.PASSWORD_CHECK_FAILURES_PER_ACCOUNT, str(request.user.pk))


def password_checks_paused(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", {"password_check": True}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with wrong current passwords limited per account like sign-in."""

    success_url = reverse_lazy("accounts:password_change_done")

    def post(self, request, *args, **kwargs):
        if _password_checks_paused(request):
            return password_checks_paused(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:
            _count_wrong_password(self.request)
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST; a GET (a bookmark, a link with a query string) shows the button."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.get_context_data(**kwargs))


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _password_checks_paused(request):
        return password_checks_paused(request)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and "password" in form.errors:
        _count_wrong_password(request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        # Offers, versions and share links go with the account (on_delete=CASCADE), its sign-in
        # records with it (accounts/personal_data.py); any other session of this user finds no
        # user behind it and is signed out.
        user.delete()
        messages.success(request, "Your account and all of its data were deleted.")
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "429.html", status=429)

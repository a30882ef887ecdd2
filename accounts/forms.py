from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts.models import User
from offers.take_home import MAX_DEPENDANTS


class SignUpForm(UserCreationForm):
    # Not the model's field: whether an address has an account is told only to its mailbox
    # (accounts/services.py), so the form never checks it is free.
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    field_order = ["email", "display_name", "password1", "password2"]

    class Meta:
        model = User
        fields = ["display_name"]
        labels = {"display_name": "Name (optional)"}
        help_texts = {"display_name": "How OfferBench greets you. Leave empty to use your email."}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.instance.email = email  # so the password may not resemble it
        return email

    def validate_password_for_user(self, user, **kwargs):
        # A weak password is the password's fault: say so under it, not under its confirmation.
        kwargs.setdefault("password_field_name", "password1")
        super().validate_password_for_user(user, **kwargs)


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password


class HouseholdForm(forms.ModelForm):
    """Whom after-tax estimates are made for; labels, help and bounds come from the model."""

    class Meta:
        model = User
        fields = ["filing_status", "dependants"]
        widgets = {"dependants": forms.NumberInput(attrs={"max": MAX_DEPENDANTS})}
        error_messages = {
            "dependants": {
                "max_value": f"At most {MAX_DEPENDANTS} dependants. Nothing was saved.",
                "min_value": "Dependants cannot be fewer than 0. Nothing was saved.",
                "invalid": f"Enter a whole number of dependants, from 0 to {MAX_DEPENDANTS}. Nothing was saved.",
                "required": "Enter a number of dependants (0 if none). Nothing was saved.",
            },
            "filing_status": {
                "invalid_choice": "Choose one of the filing statuses listed. Nothing was saved.",
                "required": "Choose a filing status. Nothing was saved.",
            },
        }

import re
from collections.abc import Iterable
from decimal import Context, Decimal, localcontext
from functools import cached_property, partial
from html import escape

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from benchmarks.exchange_rates import CURRENCY_NAMES, currencies_on_file
from benchmarks.forms import LocationChoiceField, MarketChoiceField, use_market_rows
from benchmarks.models import Location
from benchmarks.widgets import SearchableSelect
from offers.comparison import MAX_OFFERS, USD, grant_value
from offers.compensation import (
    DEFAULT_EXERCISE_WINDOW_DAYS,
    ESPP_MAX_PERCENT,
    ESPP_OFFERING_MONTHS,
    OPTION_KINDS,
    TermsError,
    VestingPercentagesError,
    custom_schedule,
)
from offers.models import (
    AMOUNT_LIMITS,
    CUSTOM_SCHEDULE,
    MAX_OFFERS_PER_PERSON,
    MAX_PERKS,
    MAX_YEARLY_CASH,
    MONEY_FIELDS,
    ROUND_FIELDS,
    SHARE_PRICE_FIELDS,
    Offer,
    Round,
    ShareLink,
)
from offers.negotiation import CounterTargets
from offers.terms import offer_terms, offer_with_targets, parse_percentages


def currency_menu(codes: Iterable[str]) -> list[tuple[str, str]]:
    """USD first, then the other `codes` by code, each named: ("EUR", "EUR — Euro")."""
    others = sorted(set(codes) - {USD, ""})
    return [(code, _currency_label(code)) for code in (USD, *others)]


def _currency_label(code: str) -> str:
    name = CURRENCY_NAMES.get(code)
    return f"{code} — {name}" if name else code


def currency_choices(*, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """USD and every currency with an exchange rate on file (so any two can be compared), plus
    `keep`: a currency an offer was saved in stays a choice for it."""
    return currency_menu([*currencies_on_file(timezone.localdate()), *keep])


class CurrencyField(forms.ChoiceField):
    """A currency menu that reads the rates on file only when it is drawn, or when a currency
    other than USD or one it keeps is chosen (the live preview keeps the offer's own)."""

    def __init__(self, **kwargs):
        super().__init__(choices=currency_choices, initial=USD, **kwargs)
        self.kept: set[str] = {USD}

    def keep(self, currency: str) -> None:
        self.kept = {USD, currency} - {""}
        self.choices = partial(currency_choices, keep=self.kept)

    def valid_value(self, value) -> bool:
        return value in self.kept or super().valid_value(value)


# Characters that silently reorder the text around them (U+202A–U+202E embeddings and
# overrides, U+2066–U+2069 isolates, U+200E/U+200F marks): a name holding one can read as
# another on the page, so names a person types refuse them.
TEXT_DIRECTION_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f"]
)
TEXT_DIRECTION_MESSAGE = (
    "Remove the invisible text-direction character (often pasted along with a name)."
)
PERKS_TEXT_CHARACTERS = MAX_PERKS * 100


def has_text_direction_control(text: str) -> bool:
    return not TEXT_DIRECTION_CONTROLS.isdisjoint(text)


def no_text_direction_controls(value: str) -> None:
    if has_text_direction_control(value):
        raise forms.ValidationError(TEXT_DIRECTION_MESSAGE, code="text_direction")


# An amount as people write it: an optional sign and currency symbol, digits (thousands grouped
# by commas, or not at all), optional decimals, and an optional k (thousand) or m (million).
AMOUNT_PATTERN = re.compile(
    r"""
    (?P<sign>-)?\s*
    [$€£¥₹]?\s*
    (?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)
    (?:\.(?P<fraction>[0-9]+))?
    \s*(?P<suffix>[km])?
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
MAX_AMOUNT_CHARACTERS = 40
SUFFIX_FACTORS = {"": Decimal(1), "k": Decimal(1000), "m": Decimal(1000000)}
AMOUNT_MESSAGE = (
    "Write the amount in digits, e.g. 165000, 165,000, $165,000, 165000.50, "
    "165k or 1.2m (commas only between thousands)."
)


def parse_amount(text: str) -> Decimal:
    """'165k' → 165000, '$165,000' → 165000, '1.2m' → 1200000, exactly; ValueError for anything
    else ('165kk', '12,5', '1e5'), so no amount is ever read as another one."""
    text = text.strip()
    if len(text) > MAX_AMOUNT_CHARACTERS:
        raise ValueError("That is longer than any amount: check for extra digits.")
    match = AMOUNT_PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(AMOUNT_MESSAGE)
    digits = match["whole"].replace(",", "") + (
        f".{match['fraction']}" if match["fraction"] else ""
    )
    # Enough precision that every amount short enough to read multiplies exactly.
    with localcontext(Context(prec=MAX_AMOUNT_CHARACTERS + 10)):
        value = Decimal(digits) * SUFFIX_FACTORS[(match["suffix"] or "").lower()]
        # "0.165m" is 165000, not 165000.000: only the decimals the amount needs are kept.
        integral = value == value.to_integral_value()
        value = value.quantize(Decimal(1)) if integral else value.normalize()
    return -value if match["sign"] else value


def written_amount(value: Decimal) -> str:
    """An amount as the form shows it, in a way parse_amount reads back exactly: 165000.00 →
    "165,000", 30000.5 → "30,000.50", 12.3456 → "12.3456"."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,}"
    places = max(2, -value.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


class MoneyInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return written_amount(value)
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """Every amount of the offer form: typed as people write amounts (see parse_amount), kept as
    an exact Decimal; the model field's bounds and the database's constraints still apply."""

    widget = MoneyInput

    default_error_messages = {"invalid": AMOUNT_MESSAGE, "required": "Enter an amount."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return parse_amount(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        # A number input would refuse "165k" before the form sees it; a text input with the
        # decimal keypad keeps phones' number pad.
        return super().widget_attrs(widget) | {"inputmode": "decimal", "autocomplete": "off"}


def parse_perks(text: str) -> list[dict]:
    """'Gym: 600' per line → [{"name": "Gym", "amount": "600"}]; ValueError if unreadable."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if len(lines) > MAX_PERKS:
        raise ValueError(f"List at most {MAX_PERKS} perks (this has {len(lines):,}).")
    perks = []
    for number, line in lines:
        name, sep, amount = line.rpartition(":")
        if not sep or not name.strip():
            raise ValueError(
                f'Line {number}: write "name: yearly amount", e.g. "Commuter pass: 1200".'
            )
        if has_text_direction_control(name):
            raise ValueError(
                f"Line {number}: {TEXT_DIRECTION_MESSAGE[0].lower()}{TEXT_DIRECTION_MESSAGE[1:]}"
            )
        try:
            value = parse_amount(amount)
        except ValueError:
            raise ValueError(
                f'Line {number}: "{amount.strip()[:40]}" is not an amount; write it in digits, '
                'e.g. "Gym: 1,200" or "Gym: 1.2k".'
            ) from None
        if value < 0 or value > MAX_YEARLY_CASH:
            raise ValueError(f"Line {number}: the amount must be between 0 and 10,000,000.")
        perks.append({"name": name.strip()[:60], "amount": str(value)})
    return perks


# The offer form's field for each term the engine can name in an error.
ENGINE_FIELDS = {
    "yearly_percentages": "custom_vesting_percentages",
    "value_discount_percent": "illiquidity_discount_percent",
    "exercise_window_days": "exercise_window_days",
    "early_exercise": "early_exercise",
    "election_83b": "election_83b",
    "espp_contribution_percent": "espp_contribution_percent",
    "espp_discount_percent": "espp_discount_percent",
    "espp_offering_months": "espp_offering_months",
}
ELECTION_83B_MESSAGE = (
    "An 83(b) election is made when buying unvested shares: tick “Early exercise allowed” too, "
    "or untick this."
)


def vesting_percentages_message(error: VestingPercentagesError) -> str:
    """The engine's refusal of a custom schedule, in the offer form's words."""
    if error.out_of_range:
        return "Each year's percentage must be between 0 and 100."
    return f"The yearly percentages add up to {error.total.normalize():f}, not 100."


def too_many_offers_message() -> str:
    return (
        f"You have {MAX_OFFERS_PER_PERSON} offers, the most one account can keep: "
        "delete one you no longer weigh to add another."
    )


def form_row(*names: str, checkbox: str | tuple[str, ...] = "") -> Div:
    """Fields side by side in equal columns on a wide screen, one under another on a phone; the
    `checkbox` (or checkboxes) among them is lowered to line up with the boxes beside it."""
    width = f"col-md-{12 // len(names)}"
    lowered = {checkbox} if isinstance(checkbox, str) else set(checkbox)
    return Div(
        *(Div(name, css_class=f"{width} pt-md-4" if name in lowered else width) for name in names),
        css_class="row",
    )


def options_only(*fields, css_class: str = "") -> Div:
    """Fields that apply only to stock options: static/js/app.js hides them unless the equity
    chosen is options (without the script they stay in view)."""
    return Div(*fields, css_class=css_class, data_options_only="")


class OfferForm(forms.ModelForm):
    currency = CurrencyField()
    location = LocationChoiceField(queryset=Location.objects.none())
    other_perks_text = forms.CharField(
        label="Other perks",
        required=False,
        max_length=PERKS_TEXT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            f'One per line, "name: yearly amount", e.g. "Commuter pass: 1200"; up to {MAX_PERKS}.'
        ),
    )

    class Meta:
        model = Offer
        field_classes = {
            **dict.fromkeys((*MONEY_FIELDS, *SHARE_PRICE_FIELDS), MoneyField),
            "role": MarketChoiceField,
            "level": MarketChoiceField,
            "industry": MarketChoiceField,
            "company_size": MarketChoiceField,
        }
        fields = [
            "company", "job_title", "role", "level", "location", "industry", "company_size",
            "currency", "status", "received_on", "decision_deadline", "start_date",
            "base_salary", "yearly_raise_percent", "bonus_type", "bonus_percent", "bonus_fixed",
            "sign_on_year1", "sign_on_year2", "clawback_months", "sign_on_clawback",
            "relocation", "equity_kind", "equity_grant_value", "equity_shares", "share_price",
            "strike_price", "exercise_window_days", "early_exercise", "election_83b",
            "vesting_schedule", "custom_vesting_percentages", "custom_vesting_cliff",
            "vesting_start_date", "refresher_value", "share_price_change_percent",
            "is_private_company", "illiquidity_discount_percent",
            "espp_contribution_percent", "espp_discount_percent", "espp_lookback",
            "espp_offering_months", "retirement_match_percent", "retirement_match_rate_percent", "retirement_match_cap",
            "health_contribution", "learning_budget", "wellness_budget", "home_office_budget",
            "paid_days_off", "remote_policy", "notes",
        ]  # fmt: skip
        date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        widgets = {
            "received_on": date_widget,
            "decision_deadline": date_widget,
            "start_date": date_widget,
            "vesting_start_date": date_widget,
            "notes": forms.Textarea(attrs={"rows": 3}),
            # Found by typing as well as from the menu (the place menu has its search built in).
            "role": SearchableSelect(menu="roles"),
            "industry": SearchableSelect(menu="industries"),
        }

    # Saving counts the person's offers; the live preview saves nothing (OfferPreviewForm).
    counts_offers = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The menu needs names and kinds; the chosen place's country and currency feed the
        # band lookup, and its state code the community cells' places (cell_places), which
        # would otherwise load them with a query of their own.
        self.fields["location"].queryset = Location.objects.order_by("name").only(
            "id", "name", "kind", "country", "currency", "state_code"
        )
        self.fields["location"].empty_label = "Choose a place"
        self.fields["role"].empty_label = "Choose a role"
        self.fields["level"].empty_label = "Not stated"
        self.fields["industry"].empty_label = "Not stated"
        self.fields["company_size"].empty_label = "Not stated"
        for name, message in (
            ("company", "Enter the company's name."),
            ("role", "Choose a role."),
            ("location", "Choose a place."),
        ):
            self.fields[name].error_messages["required"] = message
        self.fields["sign_on_clawback"].required = False
        # Sent without them (an older page, a script), an offer has no ESPP, or the usual terms.
        for name in (
            "exercise_window_days",
            "espp_contribution_percent",
            "espp_discount_percent",
            "espp_offering_months",
        ):
            self.fields[name].required = False
        # Which kinds are options, for the script that shows their terms only for them.
        self.fields["equity_kind"].widget.attrs["data-option-kinds"] = " ".join(
            sorted(kind.value for kind in OPTION_KINDS)
        )
        self.fields["company"].validators.append(no_text_direction_controls)
        self.fields["job_title"].validators.append(no_text_direction_controls)
        use_market_rows(self)
        self.fields["currency"].keep(self.instance.currency)
        if self.instance and self.instance.other_perks:
            self.fields["other_perks_text"].initial = "\n".join(
                f"{p['name']}: {p['amount']}" for p in self.instance.other_perks
            )

    def fields_with_errors(self) -> list[forms.BoundField]:
        """The fields the live preview names, in the form's order."""
        return [field for field in self if field.errors]

    @cached_property
    def helper(self) -> FormHelper:
        """The form's layout, built only when the form is drawn (the live preview never is)."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Fieldset(
                "Context",
                form_row("company", "job_title"),
                form_row("role", "level"),
                "location",
                form_row("industry", "company_size"),
                form_row("currency", "status"),
                form_row("received_on", "decision_deadline", "start_date"),
            ),
            Fieldset(
                "Cash",
                form_row("base_salary", "yearly_raise_percent"),
                form_row("bonus_type", "bonus_percent", "bonus_fixed"),
                form_row("sign_on_year1", "sign_on_year2"),
                form_row("clawback_months", "sign_on_clawback"),
                "relocation",
            ),
            Fieldset(
                "Equity",
                "equity_kind",
                form_row("equity_grant_value", "equity_shares"),
                Div(
                    Div("share_price", css_class="col-md-6"),
                    options_only("strike_price", css_class="col-md-6"),
                    css_class="row",
                ),
                options_only(
                    form_row(
                        "exercise_window_days",
                        "early_exercise",
                        "election_83b",
                        checkbox=("early_exercise", "election_83b"),
                    ),
                ),
                "vesting_schedule",
                form_row(
                    "custom_vesting_percentages",
                    "custom_vesting_cliff",
                    checkbox="custom_vesting_cliff",
                ),
                form_row("vesting_start_date", "refresher_value"),
                "share_price_change_percent",
                form_row(
                    "is_private_company",
                    "illiquidity_discount_percent",
                    checkbox="is_private_company",
                ),
            ),
            Fieldset(
                "ESPP",
                form_row("espp_contribution_percent", "espp_discount_percent"),
                form_row("espp_offering_months", "espp_lookback", checkbox="espp_lookback"),
            ),
            Fieldset(
                "Benefits",
                form_row(
                    "retirement_match_percent",
                    "retirement_match_rate_percent",
                    "retirement_match_cap",
                ),
                form_row("health_contribution", "learning_budget"),
                form_row("wellness_budget", "home_office_budget"),
                "other_perks_text",
                form_row("paid_days_off", "remote_policy"),
            ),
            Fieldset("Notes", "notes"),
            HTML(""),
        )
        return helper

    def _check_amount(self, field: str, maximum: Decimal) -> None:
        value = self.cleaned_data.get(field)
        if value is not None and value > maximum:
            self.add_error(
                field, f"That looks too large — check for extra zeros (at most {maximum:,.0f})."
            )

    def clean_base_salary(self):
        base = self.cleaned_data["base_salary"]
        if base is not None and base <= 0:
            raise forms.ValidationError("Enter the yearly base salary (more than 0).")
        return base

    def clean_sign_on_clawback(self):
        # A form sent without it (an older page, a script) keeps the contract's usual reading.
        return self.cleaned_data.get("sign_on_clawback") or Offer.SignOnClawback.FULL

    def clean_exercise_window_days(self):
        # Sent without it (an offer without options, an older page): the usual 90 days.
        window = self.cleaned_data.get("exercise_window_days")
        return DEFAULT_EXERCISE_WINDOW_DAYS if window is None else window

    def clean_espp_contribution_percent(self):
        contribution = self.cleaned_data.get("espp_contribution_percent")
        return Decimal("0") if contribution is None else contribution

    def clean_espp_discount_percent(self):
        discount = self.cleaned_data.get("espp_discount_percent")
        return ESPP_MAX_PERCENT if discount is None else discount

    def clean_espp_offering_months(self):
        months = self.cleaned_data.get("espp_offering_months")
        return ESPP_OFFERING_MONTHS[0] if months is None else months

    def clean_other_perks_text(self):
        try:
            return parse_perks(self.cleaned_data.get("other_perks_text", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        for field, limit in AMOUNT_LIMITS.items():
            self._check_amount(field, limit)

        bonus_type = data.get("bonus_type")
        if bonus_type == Offer.BonusType.PERCENT:
            if data.get("bonus_percent") is None:
                self.add_error("bonus_percent", "Enter the target bonus as a percentage of base.")
            data["bonus_fixed"] = None
        elif bonus_type == Offer.BonusType.FIXED:
            if data.get("bonus_fixed") is None:
                self.add_error("bonus_fixed", "Enter the yearly bonus amount.")
            data["bonus_percent"] = None
        else:
            data["bonus_percent"] = data["bonus_fixed"] = None

        self._clean_equity(data)

        received, deadline = data.get("received_on"), data.get("decision_deadline")
        if received and deadline and deadline < received:
            self.add_error(
                "decision_deadline", "The deadline can't be before the day you received the offer."
            )
        start, vesting_start = data.get("start_date"), data.get("vesting_start_date")
        if start and vesting_start and vesting_start < start:
            self.add_error("vesting_start_date", "Vesting can't start before your start date.")
        if vesting_start and not start and data.get("equity_kind") != Offer.EquityKind.NONE:
            self.add_error(
                "start_date", "Give your start date so a later vesting start can be placed."
            )

        if (
            self.counts_offers
            and self.instance._state.adding
            and not Offer.objects.has_room_for_one_more(self.instance.owner_id)
        ):
            self.add_error(None, too_many_offers_message())

        if not self.errors:
            # The engine has the last word: anything it refuses is shown, never a 500, beside
            # the field it names when the form has one.
            try:
                offer_terms(self._unsaved_offer(data))
            except TermsError as error:
                field = ENGINE_FIELDS.get(error.field)
                if field is None:
                    raise forms.ValidationError(str(error)) from None
                self.add_error(field, str(error))
            except ValueError as error:
                raise forms.ValidationError(str(error)) from None
        return data

    def _clean_equity(self, data) -> None:
        kind = data.get("equity_kind")
        options = kind in OPTION_KINDS
        if data.get("strike_price") is not None and not options:
            self.add_error(
                "strike_price", "A strike price applies only to stock options (ISO or NSO)."
            )
        if not options:
            # Terms of options only: kept off any other equity, as the database requires.
            data["early_exercise"] = data["election_83b"] = False
        elif data.get("election_83b") and not data.get("early_exercise"):
            self.add_error("election_83b", ELECTION_83B_MESSAGE)
        if kind == Offer.EquityKind.NONE:
            return
        if options:
            for field, message in (
                ("equity_shares", "Options need the number of shares."),
                ("share_price", "Options need an assumed share price to be valued."),
                ("strike_price", "Options need a strike price."),
            ):
                if data.get(field) is None:
                    self.add_error(field, message)
            data["equity_grant_value"] = None
        elif data.get("equity_grant_value") is None and (
            data.get("equity_shares") is None or data.get("share_price") is None
        ):
            self.add_error(
                "equity_grant_value",
                "Give the grant's value, or a number of shares and a share price.",
            )
        if data.get("vesting_schedule") == CUSTOM_SCHEDULE:
            try:
                custom_schedule(parse_percentages(data.get("custom_vesting_percentages") or ""))
            except VestingPercentagesError as error:
                self.add_error(ENGINE_FIELDS[error.field], vesting_percentages_message(error))
            except ValueError as error:
                self.add_error("custom_vesting_percentages", str(error))

    def _unsaved_offer(self, data) -> Offer:
        offer = Offer()
        model_fields = {f.name for f in Offer._meta.fields}
        for name, value in data.items():
            if name in model_fields:
                setattr(offer, name, value)
        offer.other_perks = data.get("other_perks_text") or []
        return offer

    def save(self, commit: bool = True) -> Offer:
        self.instance.other_perks = self.cleaned_data.get("other_perks_text") or []
        return super().save(commit=commit)

    def unsaved_offer(self) -> Offer:
        """The offer as typed, for the live preview; nothing is written."""
        offer = self._unsaved_offer(self.cleaned_data)
        offer.owner_id = self.instance.owner_id
        return offer


# The offer's foreign keys the form chooses from a menu of market rows.
MARKET_MENUS = ("role", "level", "location", "industry", "company_size")


class OfferPreviewForm(OfferForm):
    """The offer form for the live preview, which saves nothing: the same fields, in the same
    order, read and checked the same way, without the checks only saving needs, each a query:
    the model's check that each chosen menu row exists (its menu has just read the row from the
    shared cache), the database constraints, and the count of the person's offers."""

    counts_offers = False

    class Meta(OfferForm.Meta):
        # The instance is built and validated from Meta.fields only, so the menus are read and
        # checked as form fields (the fields themselves stay: see base_fields below).
        fields = [name for name in OfferForm.Meta.fields if name not in MARKET_MENUS]

    def validate_constraints(self) -> None:
        # clean() already said everything a person needs; saving checks the constraints.
        pass


# Every field of the offer form, its market menus included, in its order (Meta.fields above says
# only which of them the instance's validation covers).
OfferPreviewForm.base_fields = OfferForm.base_fields


# --- Share links ---------------------------------------------------------------------------

DEFAULT_DAYS = 7
MAX_DAYS = 90


class OfferChoicesField(forms.ModelMultipleChoiceField):
    """Ids a 64-bit key can't hold name no offer; SQLite would refuse them with an error
    instead of finding nothing, so they are answered like any other unknown choice. What is
    not a whole number at all ("²") is left to Django, which calls it not a valid value."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class ShareLinkForm(forms.Form):
    offers = OfferChoicesField(
        queryset=Offer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Offers in the comparison",
        help_text="Two to four of your offers.",
    )
    currency = CurrencyField(label="Show amounts in")
    expires_in_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        label="Expires after (days)",
        help_text=f"1 to {MAX_DAYS} days; a week by default.",
    )
    hidden_fields = forms.MultipleChoiceField(
        choices=ShareLink.Hideable.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Hide from the shared page",
        help_text="Hiding locations also hides what gives them away: every amount is shown in "
        "the currency above, without exchange rates.",
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].queryset = Offer.objects.owned_by(owner)

    def clean_offers(self):
        offers = self.cleaned_data["offers"]
        if not 2 <= len(offers) <= MAX_OFFERS:
            raise forms.ValidationError(f"Choose between 2 and {MAX_OFFERS} offers to share.")
        return offers

    def offer_ids_in_order(self) -> list[int]:
        """The chosen offers' ids in the order they were sent (the comparison's column order);
        a link keeps each once (create_share_link)."""
        chosen = {offer.pk for offer in self.cleaned_data["offers"]}
        return [pk for pk in map(int, self.data.getlist("offers")) if pk in chosen]


# --- Negotiation: a counter and a round -------------------------------------------------------

NOT_NEGATIVE = {"min_value": 0, "error_messages": {"min_value": "A target can't be negative."}}


def _money_field(label: str, maximum, required: bool = True) -> MoneyField:
    # Read as the offer form reads amounts: 165k, $165,000 and 165000 are the same target.
    return MoneyField(
        label=label,
        max_digits=14,
        decimal_places=2,
        max_value=maximum,
        required=required,
        **NOT_NEGATIVE,
    )


def _bonus_percent_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Target bonus (% of base)",
        max_digits=6,
        decimal_places=2,
        max_value=100,
        required=False,
        **NOT_NEGATIVE,
    )


class TargetsForm(forms.Form):
    """What to ask for (or what was answered): the counter's targets. Bonus follows the offer's
    form: a percentage of base, or a fixed amount when the offer states one."""

    base_salary = _money_field("Base salary", AMOUNT_LIMITS["base_salary"])
    bonus_percent = _bonus_percent_field()
    bonus_fixed = _money_field(
        "Target bonus (yearly)", AMOUNT_LIMITS["bonus_fixed"], required=False
    )
    sign_on_year1 = _money_field("Sign-on bonus (one-time)", AMOUNT_LIMITS["sign_on_year1"])
    equity_grant_value = _money_field("Equity grant (value)", AMOUNT_LIMITS["equity_grant_value"])

    def __init__(self, *args, bonus_as_amount: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["bonus_percent" if bonus_as_amount else "bonus_fixed"]

    def targets(
        self, *, kept_bonus: tuple[Decimal | None, Decimal | None] = (None, None)
    ) -> CounterTargets:
        """The targets as typed; a bonus left empty is `kept_bonus` (percentage, amount)."""
        data = self.cleaned_data
        bonus_percent, bonus_fixed = kept_bonus
        if "bonus_fixed" in data:
            bonus_percent, bonus_fixed = None, data["bonus_fixed"]
        elif data.get("bonus_percent") is not None:
            bonus_percent, bonus_fixed = data["bonus_percent"], None
        return CounterTargets(
            base_salary=data["base_salary"],
            sign_on_year1=data["sign_on_year1"],
            equity_grant_value=data["equity_grant_value"],
            bonus_percent=bonus_percent,
            bonus_fixed=bonus_fixed,
        )


class BootstrapBoundField(forms.BoundField):
    """A text or number field drawn as crispy-forms' Bootstrap 5 pack draws one: the input has
    the widget's own class name (e.g. moneyinput) and form-control, and is-invalid while the
    field has an error. Django adds aria-invalid and aria-describedby (the error's id) itself.
    The page writes the <input> tag; `input_attrs` is what goes inside it."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        own = widget.attrs.get("class", "")
        classes = f"{own} " if own else ""
        classes += f"{type(widget).__name__.lower()} form-control"
        if self.errors:
            classes += " is-invalid"
        return super().build_widget_attrs({"class": classes, **attrs}, widget)

    @property
    def input_attrs(self) -> SafeString:
        """The input's type, name, value and attributes, escaped, as Django's input widget
        templates write them (widgets/input.html and attrs.html: in order, an attribute that is
        True by its name alone, one that is False left out), from the widget's own context."""
        widget = self.subwidgets[0].data
        attrs = {"type": widget["type"], "name": widget["name"]}
        if widget["value"] is not None:
            attrs["value"] = widget["value"]
        attrs |= widget["attrs"]
        return mark_safe(  # noqa: S308 - every name and value is escaped here
            "".join(
                f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
                for name, value in attrs.items()
                if value is not False
            )
        )


class CounterForm(TargetsForm):
    """The targets on Negotiate, as the person adjusts them; the page writes each field's
    Bootstrap 5 markup itself (templates/offers/negotiate.html)."""

    bound_field_class = BootstrapBoundField


class RoundForm(TargetsForm):
    """One round: the counter sent, or the company's answer, as the figures that changed."""

    field_order = [
        "label", "who", "base_salary", "bonus_percent", "bonus_fixed", "sign_on_year1",
        "sign_on_year2", "equity_grant_value",
    ]  # fmt: skip
    label = forms.CharField(max_length=80, initial="Their answer")
    who = forms.ChoiceField(choices=Round.Who.choices, initial=Round.Who.COMPANY)
    sign_on_year1 = _money_field("Sign-on bonus, year 1", AMOUNT_LIMITS["sign_on_year1"])
    sign_on_year2 = _money_field(
        "Sign-on bonus, year 2", AMOUNT_LIMITS["sign_on_year2"], required=False
    )

    def apply_to(self, offer: Offer) -> Offer:
        """`offer` (unsaved) with these figures, put on it as a counter's targets are (a bonus
        left empty stays as it is); ValueError when the offer's terms can't be computed."""
        current = offer_terms(offer)
        targets = self.targets(kept_bonus=(current.bonus_percent, current.bonus_fixed))
        offer = offer_with_targets(offer, targets)
        if self.cleaned_data.get("sign_on_year2") is not None:
            offer.sign_on_year2 = self.cleaned_data["sign_on_year2"]
        return offer


def round_initial(offer: Offer) -> dict:
    """A new round starts from `offer`'s figures; equity as the value its grant is worth."""
    try:
        grant = grant_value(offer_terms(offer).equity)
    except ValueError:
        grant = offer.equity_grant_value or 0
    return {
        "base_salary": offer.base_salary,
        "bonus_percent": offer.bonus_percent,
        "bonus_fixed": offer.bonus_fixed,
        "sign_on_year1": offer.sign_on_year1,
        "sign_on_year2": offer.sign_on_year2,
        "equity_grant_value": grant,
    }


def round_labels(form: RoundForm) -> dict[str, str]:
    """What a round history calls each negotiated field: as the round's form does, else as the
    offer's model field does."""
    labels = {name: str(Offer._meta.get_field(name).verbose_name) for name in ROUND_FIELDS}
    return labels | {name: form.fields[name].label for name in form.fields if name in labels}

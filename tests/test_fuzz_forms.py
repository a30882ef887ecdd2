"""Arbitrary input at every form and query parameter: an answer a person can read, never a 500.

Each form's fields are read from the page that shows it (its `form` in the template context), so
a field added to a form is fuzzed without touching this file; FORMS says where each form is sent.
Values mix the plausible (a valid choice, a date, a number) with the hostile (any text, NUL,
huge and non-finite numbers, another person's ids). A server error fails the test with its
traceback, since the test client re-raises it.

Every numeric field (numbers, ids, the numbers inside custom vesting and perk lines, and the
hidden inputs a page posts to another URL) is also sent each of SPECIAL_NUMBERS on every run,
as explicit examples, so the values that once gave a 500 are never left to chance.
"""

import datetime
import re
import string
from decimal import Decimal

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from offers.forms import AMOUNT_MESSAGE, parse_amount, written_amount
from tests import factories
from tests.test_url_access import ROUTES, World, build_url

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = st.sampled_from(
    [
        "", " ", "\x00", "0", "-1", "1e999", "-1e999", "NaN", "Infinity", "-0", "0x10",
        "9" * 40, "1" * 300, "12,5", "1 000", "٣", "２", "<script>alert(1)</script>",
        "' OR 1=1 --", "../../etc/passwd", "%00", "\r\nSet-Cookie: x=1", "2026-02-30",
        "0000-00-00", "99999-12-31", "true", "[]", "{}",
    ]
)  # fmt: skip
# Numbers that Decimal, int() or a database read in surprising ways.
SPECIAL_NUMBERS = [
    "NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "1e999999", "-1e999999",
    "1E+999999999", "²", "-99999999999999999999", "99999999999999999999",
]  # fmt: skip
# Text fields that hold numbers: how a number is written inside them.
NUMBERS_INSIDE_TEXT = {
    "custom_vesting_percentages": "25, 25, 25, {}",
    "other_perks_text": "Gym: {}",
    "months": "{}",
}
ANY_TEXT = st.text(max_size=80) | st.text(alphabet=string.printable, max_size=20)
JUNK = HOSTILE | ANY_TEXT | st.integers().map(str)


def plausible(field: forms.Field, ids: list[int]) -> st.SearchStrategy:
    """Values the field could accept, so the fuzz gets past the first check now and then."""
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:50]]
        return st.sampled_from(pks + [str(pk) for pk in ids] or ["1"])
    if isinstance(field, forms.ChoiceField):
        values = [
            str(v) for choice, label in field.choices for v in (
                [c for c, _ in label] if isinstance(label, list | tuple) else [choice]
            )
        ]  # fmt: skip
        return st.sampled_from(values or [""])
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "true", "false", ""])
    if isinstance(field, forms.DateField):
        return st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 1, 1)).map(str)
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return st.decimals(allow_nan=True, allow_infinity=True, places=2).map(str)
    if isinstance(field, forms.IntegerField):
        return st.integers(-(2**70), 2**70).map(str)
    if isinstance(field, forms.EmailField):
        return st.emails().map(str) | st.just("person0@example.com")
    return ANY_TEXT


NUMERIC_FIELDS = (
    forms.DecimalField, forms.FloatField, forms.IntegerField,
    forms.ModelChoiceField, forms.ModelMultipleChoiceField,
)  # fmt: skip


def is_numeric(name: str, field: forms.Field | None) -> bool:
    return name in NUMBERS_INSIDE_TEXT or isinstance(field, NUMERIC_FIELDS)


def value_for(field: forms.Field, ids: list[int]) -> st.SearchStrategy:
    single = plausible(field, ids) | JUNK
    if is_numeric("", field):
        single |= st.sampled_from(SPECIAL_NUMBERS)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(single, max_size=6)
    return single


def form_data(form: forms.BaseForm, ids: list[int], extra: dict | None = None, hidden=()):
    fields = {name: value_for(field, ids) for name, field in form.fields.items()}
    fields |= {name: NUMBER for name in hidden if name not in fields}
    fields |= extra or {}
    # Any field may be missing; a few unknown names ride along.
    return st.fixed_dictionaries({}, optional=fields) | st.fixed_dictionaries(
        {}, optional=fields | {"unexpected": JUNK, "csrfmiddlewaretoken": JUNK}
    )


# (URL name, method) → (visitor, where the form is shown, extra fields not on any form).
# The form shown at that page is the one sent to the URL (the live preview receives the offer
# form); "none" means the URL reads plain query parameters, listed as extra fields.
NUMBER = JUNK | st.sampled_from(SPECIAL_NUMBERS) | st.decimals(places=2).map(str)
MONTHS = JUNK | st.integers(-500, 500).map(str) | st.sampled_from(SPECIAL_NUMBERS)
# The offers to compare or share, and the currency, as the compare page's links carry them.
SELECTION = {
    "offers": st.lists(JUNK | st.sampled_from(["1", "2", "3", *SPECIAL_NUMBERS]), max_size=6),
    "currency": JUNK,
}
# What the offer page and Compare read besides: the equity switch, the after-tax view, the
# leaving month and the exit multiple of the equity scenarios.
WORTH = {
    "equity": JUNK | st.sampled_from(["risk", "paper"]),
    "months": MONTHS,
    "exit_multiple": MONTHS | st.sampled_from(["3x", "2.5", "1e9", "NaN", "0"]),
}
HOUSEHOLD = {
    "filing_status": JUNK | st.sampled_from(["single", "married_joint", "head_of_household"]),
    "dependants": MONTHS,
}
FORMS = {
    ("accounts:signup", "POST"): ("anonymous", None, {}),
    ("accounts:account", "POST"): ("owner", "none", HOUSEHOLD),
    ("accounts:login", "POST"): ("anonymous", None, {}),
    ("accounts:password_reset", "POST"): ("anonymous", None, {}),
    ("accounts:password_change", "POST"): ("owner", None, {}),
    ("accounts:delete", "POST"): ("owner", None, {}),
    ("offers:create", "POST"): ("owner", None, {}),
    ("offers:edit", "POST"): ("owner", None, {}),
    ("offers:preview", "POST"): ("owner", "offers:create", {}),
    ("offers:detail", "GET"): ("owner", "none", WORTH),
    ("benchmarks:explorer", "GET"): ("owner", None, {}),
    ("offers:compare", "GET"): (
        "owner",
        "none",
        SELECTION | WORTH | {"tax": JUNK | st.just("after")},
    ),
    ("offers:compare_csv", "GET"): ("owner", "none", SELECTION),
    ("offers:shares", "GET"): ("owner", "none", SELECTION),
    ("offers:shares", "POST"): ("owner", None, {}),
    ("offers:negotiate", "GET"): ("owner", None, {}),
    ("offers:rounds", "POST"): ("owner", None, {}),
}
ROUTE_BY_KEY = {route.key: route for route in ROUTES}
# Forms a page holds as hidden inputs, posted to another URL: (URL name, method) → that page.
HIDDEN_FORMS = {("offers:rounds", "POST"): "offers:negotiate"}
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)"')


@pytest.fixture
def world(db) -> World:
    world = World()
    world.other_offer = factories.OfferFactory(owner=world.other)
    return world


def client_for(world: World, visitor: str) -> Client:
    client = Client()
    if visitor != "anonymous":
        client.force_login(getattr(world, visitor))
    return client


def shown_form(client: Client, world: World, key: str, shown_at: str | None) -> forms.BaseForm:
    if shown_at == "none":
        return forms.Form()
    route = ROUTE_BY_KEY[shown_at or key]
    context = client.get(build_url(world, route)).context
    form = context.get("form") if context else None
    assert isinstance(form, forms.BaseForm), f"{shown_at or key} shows no form to fuzz"
    return form


def hidden_inputs(client: Client, world: World, key: str, method: str) -> list[str]:
    """The names of the hidden inputs another page posts to `key` (HIDDEN_FORMS)."""
    shown_at = HIDDEN_FORMS.get((key, method))
    if shown_at is None:
        return []
    html = client.get(build_url(world, ROUTE_BY_KEY[shown_at])).content.decode()
    names = HIDDEN_INPUT.findall(html)
    assert names, f"{shown_at} no longer holds hidden inputs for {key}: update HIDDEN_FORMS"
    return [name for name in names if name != "csrfmiddlewaretoken"]


def special_examples(form: forms.BaseForm, extra: dict, hidden: list[str]) -> list[dict]:
    """One example per special number, sent in every numeric field at once (and written inside
    the text fields that hold numbers), with custom vesting chosen so its numbers are read."""
    names = {**dict.fromkeys(hidden), **dict.fromkeys(extra), **form.fields}
    numeric = {
        name: field
        for name, field in names.items()
        # A hidden input the form doesn't know (the bonus it doesn't ask for) is a number too.
        if is_numeric(name, field) or (field is None and name in hidden)
    }
    examples = []
    for number in SPECIAL_NUMBERS:
        data = {
            name: NUMBERS_INSIDE_TEXT.get(name, "{}").format(number)
            for name, field in numeric.items()
        }
        data |= {
            name: [number]
            for name, field in numeric.items()
            if isinstance(field, forms.ModelMultipleChoiceField) or name == "offers"
        }
        if "vesting_schedule" in form.fields:
            data |= {"equity_kind": "rsu", "vesting_schedule": "custom"}
        examples.append(data)
    return examples


@pytest.mark.parametrize(("key", "method"), sorted(FORMS))
def test_no_input_makes_a_server_error(world, key, method):
    visitor, shown_at, extra = FORMS[key, method]
    if key not in ROUTE_BY_KEY:
        pytest.fail(f"{key} is in FORMS but not in the URL conf")
    client = client_for(world, visitor)
    url = build_url(world, ROUTE_BY_KEY[key]).split("?")[0]
    form = shown_form(client, world, key, shown_at)
    hidden = hidden_inputs(client, world, key, method)
    ids = [world.offer.pk, world.second_offer.pk, world.other_offer.pk]

    def submit(data, htmx):
        headers = {"HX-Request": "true", "HX-Target": "leave-after"} if htmx else {}
        if method == "POST":
            response = client.post(url, data, headers=headers)
        else:
            response = client.get(url, data, headers=headers)
        assert response.status_code < 500, (key, data, response.status_code)

    fuzz = given(data=form_data(form, ids, extra, hidden), htmx=st.booleans())(submit)
    for data in special_examples(form, extra, hidden):
        fuzz = example(data=data, htmx=False)(fuzz)
    FUZZ(fuzz)()


def test_special_numbers_reach_every_numeric_field_and_hidden_input(world):
    client = client_for(world, "owner")
    form = shown_form(client, world, "offers:create", None)
    (nan, *_) = special_examples(form, {}, [])
    assert nan["base_salary"] == nan["role"] == nan["clawback_months"] == "NaN"
    assert nan["custom_vesting_percentages"] == "25, 25, 25, NaN"
    assert nan["other_perks_text"] == "Gym: NaN"
    hidden = hidden_inputs(client, world, "offers:rounds", "POST")
    assert {"base_salary", "sign_on_year1", "equity_grant_value"} <= set(hidden)
    versions = shown_form(client, world, "offers:rounds", None)
    (nan, *_) = special_examples(versions, {}, hidden)
    assert all(nan[name] == "NaN" for name in ("base_salary", "sign_on_year1"))


def test_every_page_with_a_form_is_fuzzed(world):
    """A new page with a form fails here until FORMS says where that form is sent."""
    client = client_for(world, "owner")
    sent_to = {key for key, _ in FORMS}
    shown = {shown_at for _, shown_at, _ in FORMS.values() if shown_at}
    missing = []
    for route in ROUTES:
        if route.route.startswith("/admin/") or route.key in sent_to | shown:
            continue
        response = client.get(build_url(world, route))
        contexts = response.context if isinstance(response.context, list) else [response.context]
        values = [v for c in contexts if c is not None for v in c.flatten().values()]
        if any(isinstance(value, forms.BaseForm) for value in values):
            missing.append(route.key)
    assert not missing, f"pages whose forms are not fuzzed (add them to FORMS): {missing}"


def test_the_leave_after_partial_answers_garbage_with_a_message(world):
    client = client_for(world, "owner")
    url = reverse("offers:detail", args=[world.offer.pk])
    response = client.get(
        url, {"months": "1e999"}, headers={"HX-Request": "true", "HX-Target": "leave-after"}
    )
    assert response.status_code == 200
    assert b"whole number of months" in response.content


# --- Amounts as people type them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("165k", "165000"), ("165K", "165000"), ("165,000", "165000"), ("$165,000", "165000"),
        ("165000.50", "165000.50"), ("1.2m", "1200000"), ("1.2M", "1200000"),
        ("€ 95,000", "95000"), ("£1.5k", "1500"), (" 2,500.75 ", "2500.75"), ("0.165m", "165000"),
        ("-5k", "-5000"),  # read, so the field can say an amount can't be negative
    ],
)  # fmt: skip
def test_amounts_people_type_are_read_exactly(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed",
    ["165kk", "abc", "1e5", "12,5", "1,65,000", "1,0000", "165 000", "NaN", "Infinity", "k",
     "$", "1.2.3", "0x10", "٣", "２", "165k$", "--5", "5-", ".5", "5."],
)  # fmt: skip
def test_anything_else_is_refused_with_what_is_accepted(typed):
    with pytest.raises(ValueError) as refusal:
        parse_amount(typed)
    assert str(refusal.value) == AMOUNT_MESSAGE


WHOLE = st.integers(min_value=0, max_value=10**15)


@given(n=WHOLE)
def test_grouped_and_dollar_amounts_are_the_number_written(n):
    assert parse_amount(f"{n:,}") == n
    assert parse_amount(f"${n:,}") == n
    assert parse_amount(str(n)) == n


@given(n=WHOLE)
def test_k_is_thousands_and_m_is_millions(n):
    assert parse_amount(f"{n}k") == n * 1000
    assert parse_amount(f"{n:,}K") == n * 1000
    assert parse_amount(f"{n}m") == n * 1_000_000


@given(cents=st.integers(min_value=0, max_value=10**12))
def test_cents_are_kept_exactly(cents):
    written = f"{cents // 100:,}.{cents % 100:02d}"  # e.g. 16500050 → "165,000.50"
    assert parse_amount(written) == Decimal(cents) / 100


@given(text=st.text(max_size=30))
def test_any_text_is_an_exact_finite_amount_or_a_readable_refusal(text):
    try:
        value = parse_amount(text)
    except ValueError as error:
        assert str(error)
    else:
        assert value.is_finite()


@given(amount=st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False))
def test_an_amount_shown_in_the_form_reads_back_as_itself(amount):
    # 165000.00 is shown "165,000" and 30000.5 "30,000.50": sent back, each is the same amount.
    assert parse_amount(written_amount(amount)) == amount

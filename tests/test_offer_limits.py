"""Limits no real person meets, so one account can't slow the site for everyone; bad numbers
and invisible text-direction characters are a message next to the field, never a 500."""

import time
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from offers.models import MAX_OFFERS_PER_PERSON, MAX_PERKS, Offer
from offers.terms import perks_of
from tests.factories import OfferFactory
from tests.test_offers_views import reference_form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("offers:create")
PREVIEW = reverse("offers:preview")
BAD_NUMBERS = ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "inf", "1e999999", "-1e999999"]
TEXT_DIRECTION = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                  "\u2069", "\u200e", "\u200f"]  # fmt: skip


def perks(n: int) -> str:
    return "\n".join(f"Perk {i}: 10" for i in range(n))


def errors_of(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


# Perks, notes, offers: the form says so next to the field and saves nothing ------------------


def test_fifty_perks_save_and_fifty_one_are_refused(user_client, market):
    response = user_client.post(CREATE, reference_form_data(market, other_perks_text=perks(51)))
    assert errors_of(response, "other_perks_text") == ["List at most 50 perks (this has 51)."]
    assert not Offer.objects.exists()
    response = user_client.post(CREATE, reference_form_data(market, other_perks_text=perks(50)))
    assert response.status_code == 302
    assert len(Offer.objects.get().other_perks) == MAX_PERKS


def test_thousands_of_perks_are_refused_at_once_by_the_preview_too(user_client, market):
    data = reference_form_data(market, other_perks_text=perks(2_000))
    started = time.perf_counter()
    for url in (CREATE, PREVIEW):
        response = user_client.post(url, data)
        assert errors_of(response, "other_perks_text")
    assert time.perf_counter() - started < 2
    assert not Offer.objects.exists()


def test_forty_thousand_perks_are_refused_before_the_body_is_parsed(user_client, market):
    # Several hundred kilobytes: past DATA_UPLOAD_MAX_MEMORY_SIZE, so no form ever reads them.
    data = reference_form_data(market, other_perks_text=perks(40_000))
    for url in (CREATE, PREVIEW):
        assert user_client.post(url, data).status_code == 400
    assert not Offer.objects.exists()


def test_notes_up_to_ten_thousand_characters(user_client, market):
    response = user_client.post(CREATE, reference_form_data(market, notes="n" * 10_001))
    assert errors_of(response, "notes") == [
        "Ensure this value has at most 10000 characters (it has 10001)."
    ]
    assert b'maxlength="10000"' in response.content
    assert not Offer.objects.exists()
    assert (
        user_client.post(CREATE, reference_form_data(market, notes="n" * 10_000)).status_code == 302
    )


def test_the_two_hundred_and_first_offer_is_refused(user_client, user, market):
    OfferFactory.create_batch(MAX_OFFERS_PER_PERSON - 1, owner=user)
    assert user_client.post(CREATE, reference_form_data(market)).status_code == 302
    response = user_client.post(CREATE, reference_form_data(market, company="One more"))
    assert response.status_code == 200
    assert "the most one account can keep" in str(response.context["form"].non_field_errors())
    assert Offer.objects.filter(owner=user).count() == MAX_OFFERS_PER_PERSON
    # Duplicating is creating too.
    offer = Offer.objects.filter(owner=user).first()
    response = user_client.post(reverse("offers:duplicate", args=[offer.pk]), follow=True)
    assert b"the most one account can keep" in response.content
    assert Offer.objects.filter(owner=user).count() == MAX_OFFERS_PER_PERSON


def test_another_persons_offers_do_not_count(user_client, other_user, market):
    OfferFactory.create_batch(MAX_OFFERS_PER_PERSON, owner=other_user)
    assert user_client.post(CREATE, reference_form_data(market)).status_code == 302


# ... and the database refuses what gets past the form ---------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"other_perks": [{"name": "p", "amount": "1"}] * (MAX_PERKS + 1)},
        {"notes": "n" * 10_001},
        {"company": "c" * 121},
        {"job_title": "t" * 121},
        {"custom_vesting_percentages": "1," * 51},
    ],
    ids=["perks", "notes", "company", "job_title", "vesting"],
)
def test_the_database_refuses_what_is_past_the_limits(user, values):
    offer = OfferFactory(owner=user)
    # PostgreSQL's varchar(120) refuses a long name before the check constraint does.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(**values)


def test_reading_an_offer_never_reads_more_than_fifty_perks(user):
    offer = OfferFactory.build(other_perks=[{"name": "p", "amount": "1"}] * 40_000)
    assert len(perks_of(offer)) == MAX_PERKS


# Bad numbers: a message next to the field, form and live preview ----------------------------


@pytest.mark.parametrize("url", [CREATE, PREVIEW])
@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_special_numbers_in_custom_vesting_are_a_message(user_client, market, url, number):
    data = reference_form_data(
        market, vesting_schedule="custom", custom_vesting_percentages=f"25, 25, 25, {number}"
    )
    response = user_client.post(url, data)
    assert errors_of(response, "custom_vesting_percentages")
    assert not Offer.objects.exists()


@pytest.mark.parametrize("url", [CREATE, PREVIEW])
@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_special_numbers_as_perk_amounts_are_a_message(user_client, market, url, number):
    response = user_client.post(url, reference_form_data(market, other_perks_text=f"Gym: {number}"))
    (message,) = errors_of(response, "other_perks_text")
    assert message.startswith("Line 1: ")
    assert not Offer.objects.exists()


def test_eleven_vesting_years_are_refused(user_client, market):
    data = reference_form_data(
        market, vesting_schedule="custom", custom_vesting_percentages=", ".join(["10"] * 11)
    )
    response = user_client.post(CREATE, data)
    assert errors_of(response, "custom_vesting_percentages") == [
        "A schedule can have at most 10 years."
    ]


# Invisible text-direction characters in names -------------------------------------------------


@pytest.mark.parametrize("char", TEXT_DIRECTION, ids=[f"U+{ord(c):04X}" for c in TEXT_DIRECTION])
@pytest.mark.parametrize("field", ["company", "job_title"])
def test_text_direction_characters_are_refused_in_names(user_client, market, field, char):
    response = user_client.post(
        CREATE, reference_form_data(market, **{field: f"Acme{char}moc.exe"})
    )
    assert errors_of(response, field) == [
        "Remove the invisible text-direction character (often pasted along with a name)."
    ]
    assert not Offer.objects.exists()


@pytest.mark.parametrize("char", ["\u202e", "\u2067", "\u200f"])
def test_text_direction_characters_are_refused_in_perk_names(user_client, market, char):
    data = reference_form_data(market, other_perks_text=f"Gym{char}: 600")
    response = user_client.post(CREATE, data)
    assert errors_of(response, "other_perks_text") == [
        "Line 1: remove the invisible text-direction character (often pasted along with a name)."
    ]


def test_ordinary_right_to_left_names_are_kept(user_client, market):
    response = user_client.post(CREATE, reference_form_data(market, company="שלום בע״מ"))
    assert response.status_code == 302
    assert Offer.objects.get().company == "שלום בע״מ"
    assert Offer.objects.get().base_salary == Decimal("165000")


@pytest.mark.parametrize("form_class", ["CounterForm", "RoundForm"])
def test_a_counter_and_a_round_stop_at_the_offers_own_limits(form_class):
    from offers import forms as offer_forms
    from offers.models import AMOUNT_LIMITS

    form_class = getattr(offer_forms, form_class)

    def errors(**amounts):
        data = {"label": "Their answer", "who": "company", "bonus_percent": "15"}
        data |= {"base_salary": "165000", "sign_on_year1": "0", "equity_grant_value": "0"}
        return form_class(data | amounts).errors

    # A yearly amount may be 10,000,000 and no more; a grant 1,000,000,000.
    assert AMOUNT_LIMITS["base_salary"] == Decimal("10000000")
    assert AMOUNT_LIMITS["equity_grant_value"] == Decimal("1000000000")
    assert not errors(base_salary="10,000,000", equity_grant_value="1,000,000,000")
    assert set(errors(base_salary="10,000,001", equity_grant_value="1,000,000,001")) == {
        "base_salary",
        "equity_grant_value",
    }

"""Offer pages: list, create with live preview, detail, leave-after, duplicate, delete."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarks.models import Band
from offers.forms import AMOUNT_MESSAGE, OfferForm, OfferPreviewForm
from offers.models import Offer
from tests.factories import (
    LocationFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db


def reference_form_data(market, **overrides):
    data = {
        "company": "Northwind",
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "currency": "USD",
        "status": "received",
        "base_salary": "165000",
        "yearly_raise_percent": "0",
        "bonus_type": "percent",
        "bonus_percent": "15",
        "sign_on_year1": "30000",
        "sign_on_year2": "0",
        "clawback_months": "12",
        "relocation": "0",
        "equity_kind": "rsu",
        "equity_grant_value": "200000",
        "vesting_schedule": "back_loaded_5_15_40_40",
        "refresher_value": "0",
        "share_price_change_percent": "0",
        "illiquidity_discount_percent": "0",
        "retirement_match_percent": "6",
        "retirement_match_rate_percent": "50",
        "health_contribution": "0",
        "learning_budget": "0",
        "wellness_budget": "0",
        "home_office_budget": "0",
    }
    data.update(overrides)
    return data


def test_empty_list_explains_what_to_do_first(user_client):
    response = user_client.get(reverse("offers:list"))
    assert b"No offers yet" in response.content
    assert reverse("offers:create").encode() in response.content


def test_create_the_reference_package_and_read_its_numbers(user_client, user, market):
    response = user_client.post(reverse("offers:create"), reference_form_data(market))
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert offer.owner == user

    page = user_client.get(offer.get_absolute_url()).content.decode()
    # Year 1: 165,000 + 24,750 bonus + 30,000 sign-on + 10,000 RSUs (5%) + 4,950 match = 234,700
    assert "$234,700" in page
    # Years 3 and 4: 165,000 + 24,750 + 80,000 (40%) + 4,950 = 274,700
    assert "$274,700" in page
    # Average of recurring pay: (204,700 + 224,700 + 274,700 + 274,700) / 4 = 244,700
    assert "$244,700" in page
    # Cumulative after 4 years: 234,700 + 224,700 + 274,700 + 274,700 = 1,008,800
    assert "$1,008,800" in page
    # Seattle band median 155,000 × 1.2 = 186,000; 25th 156,000. Base 165,000 is
    # 25 + 25 × (165,000 − 156,000) / (186,000 − 156,000) = 32.5 → "32nd percentile".
    assert "32nd percentile" in page
    assert "$186,000" in page


def test_live_preview_shows_totals_without_saving(user_client, market):
    response = user_client.post(
        reverse("offers:preview"), reference_form_data(market), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # only the partial
    assert "$234,700" in body and "$244,700" in body
    assert "32nd percentile" in body
    assert not Offer.objects.exists()


def test_live_preview_with_errors_names_the_field(user_client, market):
    response = user_client.post(
        reverse("offers:preview"), reference_form_data(market, base_salary="-5")
    )
    assert response.status_code == 200
    body = response.content.decode()
    # The field is named, with its message, and linked; the form's script marks it from this.
    assert (
        '<li data-field="base_salary" data-message="Enter the yearly base salary (more than 0).">'
        '<a href="#id_base_salary">Base salary (yearly)</a>: '
        "Enter the yearly base salary (more than 0).</li>"
    ) in body
    assert "Totals wait for: Base salary (yearly)</span>" in body  # the phone's bar
    assert "Fix the highlighted fields" not in body
    assert not Offer.objects.exists()


def test_live_preview_names_every_missing_field(user_client, market):
    data = reference_form_data(market)
    del data["base_salary"], data["role"]
    body = user_client.post(reverse("offers:preview"), data).content.decode()
    assert '<a href="#id_role">Role</a>: Choose a role.' in body
    assert '<a href="#id_base_salary">Base salary (yearly)</a>: Enter an amount.' in body
    assert "Totals wait for: Role, Base salary (yearly)</span>" in body


def test_live_preview_keeps_the_offer_fields_bounds_and_order(user_client, market):
    # The model's own bound (a percentage of at most 100) still answers beside its field: only
    # the menus' and the constraints' checks are left to saving.
    body = user_client.post(
        reverse("offers:preview"), reference_form_data(market, bonus_percent="150")
    ).content.decode()
    assert (
        '<a href="#id_bonus_percent">Target bonus (% of base)</a>: '
        "Ensure this value is less than or equal to 100."
    ) in body
    assert list(OfferPreviewForm().fields) == list(OfferForm().fields)


@pytest.mark.parametrize("typed", ["165k", "165K", "165,000", "$165,000", "165000.00", "0.165m"])
def test_amounts_as_people_type_them_give_the_same_totals(user_client, market, typed):
    body = user_client.post(
        reverse("offers:preview"), reference_form_data(market, base_salary=typed)
    ).content.decode()
    # As for 165000: first year 234,700 and average 244,700 (worked out in the create test).
    assert 'data-testid="first-year-total">$234,700' in body
    assert 'data-testid="bar-first-year">$234,700' in body
    assert 'data-testid="bar-average">$244,700' in body


def test_an_amount_in_thousands_is_saved_exactly(user_client, user, market):
    response = user_client.post(
        reverse("offers:create"),
        reference_form_data(market, base_salary="1.2m", sign_on_year1="$30,000.50"),
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.base_salary == Decimal("1200000")  # 1.2 x 1,000,000
    assert offer.sign_on_year1 == Decimal("30000.50")


@pytest.mark.parametrize("typed", ["165kk", "abc", "1e5", "12,5", "1,65,000", "NaN", "k"])
def test_an_amount_that_cant_be_read_is_named_never_guessed(user_client, market, typed):
    response = user_client.post(
        reverse("offers:preview"), reference_form_data(market, base_salary=typed)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="first-year-total"' not in body
    assert (
        '<a href="#id_base_salary">Base salary (yearly)</a>: Write the amount in digits, '
        "e.g. 165000, 165,000, $165,000, 165000.50, 165k or 1.2m"
    ) in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"base_salary": "-1"}, "base_salary", "Enter the yearly base salary (more than 0)."),
        ({"base_salary": "0"}, "base_salary", "Enter the yearly base salary (more than 0)."),
        ({"base_salary": "165000000"}, "base_salary", "That looks too large — check for extra zeros (at most 10,000,000)."),
        ({"bonus_percent": "150"}, "bonus_percent", "Ensure this value is less than or equal to 100."),
        ({"bonus_percent": ""}, "bonus_percent", "Enter the target bonus as a percentage of base."),
        ({"vesting_schedule": "custom", "custom_vesting_percentages": "25, 25, 25"},
         "custom_vesting_percentages", "The yearly percentages add up to 75, not 100."),
        ({"vesting_schedule": "custom", "custom_vesting_percentages": "a, b"},
         "custom_vesting_percentages", "Use numbers separated by commas, e.g. 25, 25, 25, 25."),
        ({"strike_price": "5"}, "strike_price", "A strike price applies only to stock options (ISO or NSO)."),
        ({"equity_kind": "iso", "equity_grant_value": ""}, "equity_shares", "Options need the number of shares."),
        ({"received_on": "2026-11-10", "decision_deadline": "2026-11-01"},
         "decision_deadline", "The deadline can't be before the day you received the offer."),
        ({"retirement_match_percent": "101"}, "retirement_match_percent", "Ensure this value is less than or equal to 100."),
        ({"sign_on_year1": "abc"}, "sign_on_year1", AMOUNT_MESSAGE),
        ({"relocation": "165kk"}, "relocation", AMOUNT_MESSAGE),
        ({"sign_on_clawback": "half"}, "sign_on_clawback",
         "Select a valid choice. half is not one of the available choices."),
        ({"other_perks_text": "Gym six hundred"}, "other_perks_text",
         'Line 1: write "name: yearly amount", e.g. "Commuter pass: 1200".'),
    ],
)  # fmt: skip
def test_bad_input_is_refused_next_to_the_field(user_client, market, overrides, field, message):
    response = user_client.post(reverse("offers:create"), reference_form_data(market, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Offer.objects.exists()
    # Tied to the field for screen readers.
    assert (
        f'id="error_1_id_{field}"'.encode() in response.content
        or b"invalid-feedback" in response.content
    )


def test_edit_saves_changes(user_client, user, market):
    offer = OfferFactory(
        owner=user, role=market["role"], level=market["level"], location=market["seattle"]
    )
    page = user_client.get(reverse("offers:edit", args=[offer.pk]))
    assert page.status_code == 200
    assert b"$234,700" in page.content  # the preview shows the saved terms straight away
    response = user_client.post(
        reverse("offers:edit", args=[offer.pk]), reference_form_data(market, base_salary="170000")
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("170000")


def test_leave_after_months_partial(user_client, user, market):
    offer = OfferFactory(owner=user, role=market["role"], level=market["level"],
                         location=market["seattle"], clawback_months=12)  # fmt: skip
    response = user_client.get(
        reverse("offers:detail", args=[offer.pk]) + "?months=6",
        headers={"HX-Request": "true", "HX-Target": "leave-after"},
    )
    body = response.content.decode()
    assert "<html" not in body
    # 6 months: base 82,500 + sign-on 30,000; no vesting before the cliff; repay 30,000.
    assert "$112,500" in body
    assert 'data-testid="sign-on-repayment">$30,000' in body


@pytest.mark.parametrize(
    ("clawback", "owed", "reading"),
    [
        ("full", "$30,000", "in full, within 12 months of each payment"),
        # 30,000 x (12 - 4) / 12 = 20,000
        ("pro_rata", "$20,000", "pro rata (the months not yet served), within 12 months"),
    ],
)
def test_leave_after_repays_the_sign_on_as_the_contract_says(
    user_client, user, market, clawback, owed, reading
):
    response = user_client.post(
        reverse("offers:create"), reference_form_data(market, sign_on_clawback=clawback)
    )
    offer = Offer.objects.get()
    assert response.status_code == 302 and offer.sign_on_clawback == clawback
    body = user_client.get(offer.get_absolute_url() + "?months=4").content.decode()
    assert f'data-testid="sign-on-repayment">{owed}' in body
    assert reading in body


def test_a_form_sent_without_the_clawback_reading_keeps_full_repayment(user_client, market):
    data = reference_form_data(market)
    data.pop("sign_on_clawback", None)
    assert user_client.post(reverse("offers:create"), data).status_code == 302
    assert Offer.objects.get().sign_on_clawback == "full"


def test_leave_after_adds_up_with_the_first_year(user_client, user, market):
    offer = OfferFactory(
        owner=user, role=market["role"], location=market["seattle"], base_salary=Decimal("120000"),
        bonus_type="none", sign_on_year1=Decimal("0"), equity_kind="none",
        retirement_match_percent=Decimal("6"), retirement_match_rate_percent=Decimal("50"),
        health_contribution=Decimal("6000"), learning_budget=Decimal("1200"),
    )  # fmt: skip
    body = user_client.get(offer.get_absolute_url() + "?months=12").content.decode()
    # Match 120,000 x 6% x 50% = 3,600; net 120,000 + 3,600 = 123,600.
    assert 'data-testid="leave-retirement-match">$3,600' in body
    assert 'data-testid="leave-net">$123,600' in body
    # Left out and said so: health 6,000 + learning 1,200 = 7,200; 123,600 + 7,200 = 130,800,
    # the first-year total (120,000 + 3,600 + 6,000 + 1,200).
    assert "Not in the net: $7,200 of health contribution and perks" in body
    assert 'data-testid="first-year-total">$130,800' in body


def test_leave_after_bad_months_is_a_message(user_client, user, market):
    offer = OfferFactory(
        owner=user, role=market["role"], level=market["level"], location=market["seattle"]
    )
    response = user_client.get(reverse("offers:detail", args=[offer.pk]) + "?months=abc")
    assert response.status_code == 200
    assert b"Enter a whole number of months" in response.content


def test_duplicate_makes_an_editable_copy(user_client, user, market):
    offer = OfferFactory(
        owner=user, company="Northwind", role=market["role"], location=market["seattle"]
    )
    response = user_client.post(reverse("offers:duplicate", args=[offer.pk]))
    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert response["Location"] == reverse("offers:edit", args=[copy.pk])
    assert copy.company == "Northwind (copy)"
    assert copy.base_salary == offer.base_salary and copy.owner == user


def test_delete_asks_then_deletes(user_client, user, market):
    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    assert b"Delete the offer" in user_client.get(reverse("offers:delete", args=[offer.pk])).content
    assert Offer.objects.filter(pk=offer.pk).exists()
    user_client.post(reverse("offers:delete", args=[offer.pk]))
    assert not Offer.objects.filter(pk=offer.pk).exists()


def test_list_shows_totals_position_and_overdue_deadline(user_client, user, market):
    OfferFactory(owner=user, company="Northwind", role=market["role"], level=market["level"],
                 location=market["seattle"], received_on=datetime.date(2020, 1, 1),
                 decision_deadline=datetime.date(2020, 1, 8))  # fmt: skip
    body = user_client.get(reverse("offers:list")).content.decode()
    assert "Northwind" in body
    assert "$234,700" in body and "$244,700" in body
    assert "32nd percentile" in body
    assert "(overdue)" in body


def test_list_costs_no_more_queries_for_one_or_many_offers(
    client, user, market, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(user)
    OfferFactory(owner=user, role=market["role"], level=market["level"], location=market["seattle"])
    # Session, user, offers, market-data version, the band lookup (five) and the community
    # cells of every offer's place, state and country (one).
    with django_assert_num_queries(10) as one:
        client.get(reverse("offers:list"))
    for _ in range(9):
        OfferFactory(
            owner=user, role=market["role"], level=market["level"], location=market["seattle"]
        )
    # No more than the first look: bands already resolved are not fetched again.
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("offers:list"))


def test_detail_costs_a_fixed_number_of_queries(
    client, user, market, django_assert_max_num_queries
):
    client.force_login(user)
    offer = OfferFactory(
        owner=user, role=market["role"], level=market["level"], location=market["seattle"]
    )
    with django_assert_max_num_queries(10):
        client.get(offer.get_absolute_url())


def test_an_offer_without_a_band_says_so(user_client, user, market):
    elsewhere = LocationFactory(name="Berlin", kind="city", country="DE", currency="EUR")
    Band.objects.all().delete()
    offer = OfferFactory(owner=user, role=market["role"], level=None, location=elsewhere)
    body = user_client.get(offer.get_absolute_url()).content.decode()
    assert "No market band for this role and place yet." in body


def test_detail_links_to_negotiate_rounds_and_compare(user_client, user, market):
    offer = OfferFactory(
        owner=user, role=market["role"], level=market["level"], location=market["seattle"]
    )
    body = user_client.get(offer.get_absolute_url()).content.decode()
    assert reverse("offers:negotiate", args=[offer.pk]) in body
    assert reverse("offers:rounds", args=[offer.pk]) in body
    assert f"{reverse('offers:compare')}?offers={offer.pk}" in body


def test_compare_link_on_the_list_preselects_up_to_four_offers(user_client, user, market):
    for _ in range(5):
        OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    body = user_client.get(reverse("offers:list")).content.decode()
    first_four = Offer.objects.owned_by(user).values_list("pk", flat=True)[:4]
    link = reverse("offers:compare") + "?" + "&amp;".join(f"offers={pk}" for pk in first_four)
    assert link in body


@pytest.mark.parametrize(
    ("status", "deadline", "overdue"),
    [
        ("received", datetime.date(2026, 3, 9), True),
        ("negotiating", datetime.date(2026, 3, 9), True),
        ("accepted", datetime.date(2026, 3, 9), False),  # decided: nothing is late
        ("received", datetime.date(2026, 3, 10), False),  # due today, not yet late
        ("received", None, False),
    ],
)
def test_an_offer_is_overdue_only_while_undecided_after_its_deadline(status, deadline, overdue):
    offer = Offer(status=status, decision_deadline=deadline)
    assert offer.is_overdue(datetime.date(2026, 3, 10)) is overdue

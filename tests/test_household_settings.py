"""The household after-tax estimates are made for: set on the account page, kept on the user."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from offers.take_home import FilingStatus, Household

pytestmark = pytest.mark.django_db


def test_a_new_person_is_single_without_dependants(user):
    assert user.household() == Household(FilingStatus.SINGLE, 0)


def test_the_account_page_shows_the_household_form(user_client):
    response = user_client.get(reverse("accounts:account"))
    assert response.status_code == 200
    assert b'name="filing_status"' in response.content
    assert b'name="dependants"' in response.content
    assert b"Married, filing jointly" in response.content


def test_saving_the_household(user_client, user):
    response = user_client.post(
        reverse("accounts:account"), {"filing_status": "married_joint", "dependants": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account")
    user.refresh_from_db()
    assert user.household() == Household(FilingStatus.MARRIED_JOINT, 2)
    page = user_client.get(reverse("accounts:account"))
    assert b"Saved: after-tax estimates now use your household." in page.content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"filing_status": "single", "dependants": "21"}, "dependants", "At most 20 dependants."),
        ({"filing_status": "single", "dependants": "-1"}, "dependants", "cannot be fewer than 0"),
        ({"filing_status": "single", "dependants": "two"}, "dependants", "whole number"),
        ({"filing_status": "widowed", "dependants": "0"}, "filing_status", "Choose one of"),
    ],
)
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    user_client, user, data, field, message
):
    response = user_client.post(reverse("accounts:account"), data)
    assert response.status_code == 200
    form = response.context["household_form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    # The message sits under its own field (crispy's invalid-feedback beside the input).
    assert html.index(f'id="id_{field}"') < html.index(message)
    assert "Nothing was saved." in html
    user.refresh_from_db()
    assert user.household() == Household()


def test_an_empty_post_asks_for_both_fields(user_client):
    response = user_client.post(reverse("accounts:account"), {})
    assert response.context["household_form"].errors.keys() == {"filing_status", "dependants"}


def test_a_person_changes_only_their_own_household(user_client, user, other_user):
    user_client.post(
        reverse("accounts:account"), {"filing_status": "head_of_household", "dependants": "1"}
    )
    other_user.refresh_from_db()
    assert other_user.household() == Household()


def test_the_database_refuses_more_than_20_dependants(user):
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(dependants=21)
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.filter(pk=user.pk).update(filing_status="widowed")


def test_the_download_holds_the_household(user_client, user):
    user.filing_status = FilingStatus.HEAD_OF_HOUSEHOLD
    user.dependants = 3
    user.save()
    data = json.loads(user_client.get(reverse("accounts:download_data")).content)
    assert data["account"]["filing_status"] == "head_of_household"
    assert data["account"]["dependants"] == 3


# Values that once broke forms elsewhere, beside the valid ones (Arabic-Indic "٣" is a 3).
HOSTILE_VALUES = (
    "", " ", "\x00", "-1", "1e999", "NaN", "Infinity", "9" * 40, "٣", "２", "21", "20", "0",
    "single", "married_joint", "<script>", "' OR 1=1 --", "[]",
)  # fmt: skip
HOSTILE = st.sampled_from(HOSTILE_VALUES)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(filing_status=HOSTILE | st.text(max_size=30), dependants=HOSTILE | st.text(max_size=30))
def test_any_input_is_saved_only_when_valid(user_client, user, filing_status, dependants):
    before = User.objects.values_list("filing_status", "dependants").get(pk=user.pk)
    response = user_client.post(
        reverse("accounts:account"), {"filing_status": filing_status, "dependants": dependants}
    )
    after = User.objects.values_list("filing_status", "dependants").get(pk=user.pk)
    if response.status_code == 302:
        assert after[0] in FilingStatus and 0 <= after[1] <= 20
    else:
        assert response.status_code == 200
        assert after == before

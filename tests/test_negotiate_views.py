"""The negotiation page (verdict, targets, adjusted totals, words) and the rounds history."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from offers.forms import AMOUNT_MESSAGE
from offers.models import Round
from tests.factories import RoundFactory, UserFactory
from tests.test_compare_views import contoso, northwind

pytestmark = pytest.mark.django_db


def negotiate_url(offer, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("offers:negotiate", args=[offer.pk]) + (f"?{query}" if query else "")


def targets(**changes):
    values = {"base_salary": "198000", "bonus_percent": "15", "sign_on_year1": "30000",
              "equity_grant_value": "200000"}  # fmt: skip
    return values | changes


def test_verdict_targets_and_words(user_client, user, market):
    offer = northwind(user, market)
    body = user_client.get(negotiate_url(offer)).content.decode()
    # 165,000 in Seattle's band (156,000 · 186,000 · 216,000) is the 32nd percentile: below 40th.
    assert "verdict-below_market" in body and "32nd percentile" in body
    assert "under the 40th percentile of the band is <em>below market</em>" in body
    # Ask: 186,000 + 40% × 30,000 = 198,000; new year 1: 198,000 + 29,700 + 30,000 + 10,000
    # + 5,940 = 273,640 (+38,940).
    assert '<td class="money stronger">$198,000</td>' in body
    assert 'data-testid="counter-first-year">$273,640<' in body
    assert "(+$38,940)" in body
    assert "- Base salary: $198,000 (currently $165,000)" in body
    assert 'data-copy-target="email-draft"' in body and 'id="email-draft"' in body


def test_each_target_is_a_labelled_bootstrap_field_and_an_error_is_tied_to_its_input(
    user_client, user, market
):
    offer = northwind(user, market)
    body = user_client.get(negotiate_url(offer)).content.decode()
    # Suggested base 198,000 (as above), written as people write amounts; required, so starred.
    assert (
        '<label for="id_base_salary" class="form-label requiredField">Base salary'
        '<span class="asteriskField">*</span></label>'
    ) in body
    base = re.search(r'<input type="text" name="base_salary"[^>]*>', body).group()
    for attribute in ('value="198,000"', 'inputmode="decimal"', 'class="moneyinput form-control"',
                      'id="id_base_salary"', " required"):  # fmt: skip
        assert attribute in base
    assert "aria-invalid" not in base and "invalid-feedback" not in body
    bonus = re.search(r'<input type="number" name="bonus_percent"[^>]*>', body).group()
    assert 'class="numberinput form-control"' in bonus and "required" not in bonus

    body = user_client.get(negotiate_url(offer, **targets(base_salary="lots"))).content.decode()
    base = re.search(r'<input type="text" name="base_salary"[^>]*>', body).group()
    for attribute in ('value="lots"', 'class="moneyinput form-control is-invalid"',
                      'aria-invalid="true"', 'aria-describedby="id_base_salary_error"'):  # fmt: skip
        assert attribute in base
    assert (
        f'<div id="id_base_salary_error" class="invalid-feedback"><p id="error_1_id_base_salary">'
        f"<strong>{AMOUNT_MESSAGE}</strong></p></div>"
    ) in body
    sign_on = re.search(r'<input type="text" name="sign_on_year1"[^>]*>', body).group()
    assert "is-invalid" not in sign_on and "aria-invalid" not in sign_on

    # What was typed is shown back escaped, inside its value.
    typed = user_client.get(negotiate_url(offer, **targets(base_salary='"><b>1'))).content.decode()
    assert 'value="&quot;&gt;&lt;b&gt;1"' in typed and "<b>1" not in typed


def test_a_competing_offer_is_named_with_its_figure(user_client, user, market):
    offer = northwind(user, market)
    contoso(user, market, equity_grant_value=Decimal("240000"))
    body = user_client.get(negotiate_url(offer)).content.decode()
    assert "Contoso offers a base of $200,000." in body
    assert "Contoso grants $240,000 in equity against your $200,000." in body


@pytest.mark.parametrize("typed", ["190000", "190k", "$190,000"])
def test_adjusted_targets_show_new_totals_in_the_partial(user_client, user, market, typed):
    offer = northwind(user, market)
    response = user_client.get(
        negotiate_url(offer, **targets(base_salary=typed)), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    # 190,000 + 28,500 + 30,000 + 10,000 + 5,700 = 264,200.
    assert 'data-testid="counter-first-year">$264,200<' in body
    assert "Your own target." in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"base_salary": "-1"}, "base_salary", "A target can't be negative."),
        ({"sign_on_year1": "-500"}, "sign_on_year1", "A target can't be negative."),
        ({"bonus_percent": "120"}, "bonus_percent", "Ensure this value is less than or equal to 100."),
        ({"equity_grant_value": "lots"}, "equity_grant_value", AMOUNT_MESSAGE),
        ({"base_salary": ""}, "base_salary", "Enter an amount."),
    ],
)  # fmt: skip
def test_bad_targets_are_field_errors(user_client, user, market, changes, field, message):
    offer = northwind(user, market)
    response = user_client.get(negotiate_url(offer, **targets(**changes)))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert 'data-testid="target-errors"' in response.content.decode()


def test_a_competing_bonus_above_the_whole_base_is_capped_not_an_error(user_client, user, market):
    offer = northwind(user, market, base_salary=Decimal("90000"), bonus_percent=Decimal("10"),
                      sign_on_year1=Decimal("0"), equity_kind="none", equity_grant_value=None,
                      retirement_match_percent=Decimal("0"))  # fmt: skip
    rival = contoso(user, market, base_salary=Decimal("120000"), bonus_type="fixed",
                    bonus_fixed=Decimal("150000"), equity_kind="none", equity_grant_value=None)  # fmt: skip
    # Every offer of the person is a competitor of the others: both pages answer.
    assert user_client.get(negotiate_url(rival)).status_code == 200
    response = user_client.get(negotiate_url(offer))
    assert response.status_code == 200
    body = response.content.decode()
    # Base: Contoso's 120,000; bonus: 150,000 would be 125% of it, held to 100% = 120,000.
    assert "Contoso offers a base of $120,000." in body
    assert "Contoso&#x27;s target bonus is $150,000 a year; capped at 100% of base." in body
    # Year 1: 90,000 + 9,000 = 99,000 → 120,000 + 120,000 = 240,000 (+141,000).
    assert 'data-testid="counter-first-year">$240,000<' in body
    assert "(+$141,000)" in body


def test_a_suggestion_that_cannot_be_made_leaves_the_verdict_and_says_why(
    user_client, user, market, monkeypatch
):
    def fails(*args, **kwargs):
        raise ValueError("A bonus target is at most 100% of base.")

    monkeypatch.setattr("offers.negotiate_views.suggest_counter", fails)
    offer = northwind(user, market)
    for headers in ({}, {"HX-Request": "true"}):
        response = user_client.get(negotiate_url(offer, **targets()), headers=headers)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="suggestion-error"' in body
        assert "couldn't be made from these figures: A bonus target is at most 100%" in body
    page = user_client.get(negotiate_url(offer)).content.decode()
    assert "verdict-below_market" in page and "32nd percentile" in page


def test_save_the_counter_then_record_their_answer(user_client, user, market):
    offer = northwind(user, market)
    rounds_url = reverse("offers:rounds", args=[offer.pk])
    response = user_client.post(
        rounds_url, {"label": "Our counter", "who": "candidate", **targets()}
    )
    assert response.status_code == 302
    # The first round saved keeps the offer as received as round 1.
    assert list(offer.rounds.values_list("number", "label")) == [
        (1, "Original offer"), (2, "Our counter"),
    ]  # fmt: skip
    user_client.post(
        rounds_url, {"label": "Their answer", "who": "company", **targets(base_salary="185000")}
    )
    body = user_client.get(rounds_url).content.decode()
    # Round 3 against round 2: base 198,000 → 185,000 (−13,000); year 1 falls by 13,000 plus
    # 15% bonus (1,950) plus 3% match (390) = 15,340.
    assert 'data-field="base_salary"' in body and "-$13,000" in body
    assert 'data-testid="first-year-change">(-$15,340)' in body
    # Round 2 against round 1: base +33,000.
    assert "+$33,000" in body
    # The offer itself is unchanged: rounds are a history.
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("165000")


def test_a_bad_round_is_refused_next_to_the_field(user_client, user, market):
    offer = northwind(user, market)
    response = user_client.post(
        reverse("offers:rounds", args=[offer.pk]),
        {"label": "", "who": "nobody", **targets(base_salary="-5")},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"label", "who", "base_salary"}
    assert not Round.objects.exists()


def test_history_reads_rounds_saved_before(user_client, user, market):
    offer = northwind(user, market)
    RoundFactory(offer=offer, number=1, label="Original offer")
    answer = RoundFactory(offer=offer, number=2, label="Their answer")
    answer.snapshot = answer.snapshot | {"sign_on_year1": "45000.00"}
    answer.save()
    body = user_client.get(reverse("offers:rounds", args=[offer.pk])).content.decode()
    assert "Round 2: Their answer" in body
    assert 'data-field="sign_on_year1"' in body and "+$15,000" in body


# Making a round's terms the offer's own.


def rounds_page(client, offer) -> str:
    return client.get(reverse("offers:rounds", args=[offer.pk])).content.decode()


def test_their_answer_becomes_the_offers_terms(user_client, user, market):
    offer = northwind(user, market)
    rounds_url = reverse("offers:rounds", args=[offer.pk])
    user_client.post(rounds_url, {"label": "Our counter", "who": "candidate", **targets()})
    user_client.post(
        rounds_url, {"label": "Their answer", "who": "company", **targets(base_salary="185000")}
    )
    detail = user_client.get(offer.get_absolute_url()).content.decode()  # kept in the page cache
    assert "$165,000" in detail
    page = rounds_page(user_client, offer)
    assert page.count("Make these the offer's terms") == 2  # rounds 3 and 2
    assert 'data-testid="current-round"' in page  # round 1 is the offer as received

    response = user_client.post(reverse("offers:apply_round", args=[offer.pk, 3]))
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("185000")
    assert offer.sign_on_year1 == Decimal("30000")
    detail = user_client.get(offer.get_absolute_url()).content.decode()
    assert "The offer now has the terms of round 3: Their answer." in detail
    # First year: 185,000 + 15% bonus 27,750 + sign-on 30,000 + equity 5% of 200,000 = 10,000
    # + match 3% of 185,000 = 5,550: 258,300.
    assert "$258,300" in detail
    page = rounds_page(user_client, offer)
    assert re.search(r"Round 3: Their answer.*?data-testid=\"current-round\"", page, re.S)
    assert page.count("Make these the offer's terms") == 2  # rounds 2 and 1


def test_someone_elses_round_is_not_found_and_changes_nothing(client, user, market):
    offer = northwind(user, market)
    RoundFactory(offer=offer, number=1, label="Original offer")
    answer = RoundFactory(offer=offer, number=2, label="Their answer")
    answer.snapshot = answer.snapshot | {"base_salary": "190000.00"}
    answer.save()
    client.force_login(UserFactory())
    assert client.post(reverse("offers:apply_round", args=[offer.pk, 2])).status_code == 404
    client.force_login(user)
    assert client.post(reverse("offers:apply_round", args=[offer.pk, 9])).status_code == 404
    assert client.get(reverse("offers:apply_round", args=[offer.pk, 2])).status_code == 405
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("165000")


def test_a_round_that_cannot_be_the_offer_says_why_and_changes_nothing(user_client, user, market):
    offer = northwind(user, market)
    broken = RoundFactory(offer=offer, number=1, label="Typed by hand")
    broken.snapshot = broken.snapshot | {"base_salary": "-5.00"}
    broken.save()
    response = user_client.post(reverse("offers:apply_round", args=[offer.pk, 1]), follow=True)
    body = response.content.decode()
    assert "Round 1 can&#x27;t be the offer&#x27;s terms:" in body
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("165000")


# After the company's answer: the next counter starts from where the negotiation stands.


def record_rounds(client, offer, *rounds):
    url = reverse("offers:rounds", args=[offer.pk])
    for label, who, changes in rounds:
        assert (
            client.post(url, {"label": label, "who": who, **targets(**changes)}).status_code == 302
        )


def test_after_their_answer_the_counter_meets_it_halfway(user_client, user, market):
    offer = northwind(user, market)
    record_rounds(
        user_client,
        offer,
        ("Our counter", "candidate", {"base_salary": "210000"}),
        ("Their answer", "company", {"base_salary": "185000"}),
    )
    response = user_client.get(negotiate_url(offer))
    body = response.content.decode()
    assert 'data-testid="standing"' in body
    assert "answered in round 3 (Their answer) to your counter of round 2 (Our counter)" in body
    # Now is their answer, 185,000; halfway to 210,000 is 197,500, asked as 198,000.
    base = response.context["counter"].lines[0]
    assert (base.current, base.target) == (Decimal("185000"), Decimal("198000"))
    assert (
        "They answered $185,000 to your ask of $210,000; meeting halfway is $197,500, "
        "rounded up to $198,000." in body
    )
    # Not another +25% over the original 165,000 (207,000 held, or the band's 198,000 reason).
    assert "one round asks at most" not in body and "between the median" not in body
    # Their answer: 185,000 + 27,750 + 30,000 + 10,000 + 5,550 = 258,300; the ask:
    # 198,000 + 29,700 + 30,000 + 10,000 + 5,940 = 273,640 (+15,340).
    assert 'data-testid="counter-first-year">$273,640<' in body and "(+$15,340)" in body
    assert "Thank you for coming back to me on the" in body
    # The offer's own terms are left alone.
    offer.refresh_from_db()
    assert offer.base_salary == Decimal("165000")


def test_the_rounds_page_leads_to_the_next_counter_once_they_answer(user_client, user, market):
    offer = northwind(user, market)
    record_rounds(user_client, offer, ("Our counter", "candidate", {"base_salary": "210000"}))
    assert 'data-testid="next-counter"' not in rounds_page(user_client, offer)
    record_rounds(user_client, offer, ("Their answer", "company", {"base_salary": "185000"}))
    page = rounds_page(user_client, offer)
    assert 'data-testid="next-counter"' in page
    assert f'href="{negotiate_url(offer)}">Prepare your next counter<' in page


def test_after_their_answer_adjusted_targets_start_from_their_terms(user_client, user, market):
    offer = northwind(user, market)
    record_rounds(
        user_client,
        offer,
        ("Our counter", "candidate", {"base_salary": "210000"}),
        ("Their answer", "company", {"base_salary": "185000"}),
    )
    response = user_client.get(
        negotiate_url(offer, **targets(base_salary="190000")), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    # 190,000 + 28,500 + 30,000 + 10,000 + 5,700 = 264,200, against their 258,300: +5,900.
    assert 'data-testid="counter-first-year">$264,200<' in body and "(+$5,900)" in body
    assert "Your own target." in body


def test_a_counter_not_yet_answered_or_an_answer_before_any_counter_starts_afresh(
    user_client, user, market
):
    offer = northwind(user, market)
    record_rounds(user_client, offer, ("Their revised offer", "company", {"base_salary": "170000"}))
    body = user_client.get(negotiate_url(offer)).content.decode()
    # No counter of the person's yet: the band's rule on the offer's own 165,000 (198,000).
    assert 'data-testid="standing"' not in body
    assert '<td class="money stronger">$198,000</td>' in body
    assert 'data-testid="awaiting-answer"' not in body
    record_rounds(user_client, offer, ("Our counter", "candidate", {}))
    body = user_client.get(negotiate_url(offer)).content.decode()
    assert 'data-testid="standing"' not in body
    # The person spoke last: the page says where their answer goes.
    assert 'data-testid="awaiting-answer"' in body
    assert (
        f'href="{reverse("offers:rounds", args=[offer.pk])}">record it on the rounds page<' in body
    )


def test_someone_elses_negotiation_is_not_found(client, user, market):
    offer = northwind(user, market)
    client.force_login(UserFactory())
    assert client.get(negotiate_url(offer)).status_code == 404


def test_a_rounds_history_names_a_field_as_the_offer_form_does(user_client, user, market):
    from offers.forms import OfferForm

    offer = northwind(user, market)
    RoundFactory(offer=offer, number=1, label="Original offer")
    answer = RoundFactory(offer=offer, number=2, label="Their answer")
    answer.snapshot = answer.snapshot | {"relocation": "5000.00"}
    answer.save()
    label = OfferForm().fields["relocation"].label
    assert label == "Relocation (one-time)"
    body = rounds_page(user_client, offer)
    row = body[body.index('data-field="relocation"') :]
    assert f">{label}</th>" in row[:200]
    assert "+$5,000" in row[:400]  # 5,000 − 0


def test_the_rounds_pages_old_address_leads_to_it(user_client, user, market):
    offer = northwind(user, market)
    response = user_client.get(f"/offers/{offer.pk}/versions/")
    assert response.status_code == 301
    assert response["Location"] == f"/offers/{offer.pk}/rounds/"

"""Adding an offer to this site's market data, withdrawing it, and what the person sees of it."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from benchmarks.models import Contribution
from offers.contributions import (
    CannotContribute,
    company_key,
    contribute,
    contribution_figures,
    contributor_key,
    withdraw,
)
from offers.models import Offer
from tests.factories import (
    CompanySizeFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(market):
    """Seattle, its state and its country (market's Seattle has state code WA)."""
    washington = LocationFactory(name="Washington", kind="state", state_code="WA")
    return {"seattle": market["seattle"], "washington": washington, "nation": market["nation"]}


@pytest.fixture
def seattle_offer(user, market, places):
    """The reference package (tests/factories.py) in Seattle, received in mid-March 2026, with
    words that must never reach the market data."""
    return OfferFactory(
        owner=user,
        company="Acme, Inc.",
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        industry=IndustryFactory(),
        company_size=CompanySizeFactory(),
        received_on=datetime.date(2026, 3, 17),
        notes="Recruiter Dana said the band tops out at 190k",
        other_perks=[{"name": "Secret garden membership", "amount": "1200"}],
    )


# What is stored ----------------------------------------------------------------------------

# The reference package: base 165,000; bonus 15% = 24,750; RSUs 200,000 back-loaded 5/15/40/40
# over 4 years (10,000 · 30,000 · 80,000 · 80,000); a 50% match on 6% of salary = 4,950 a year;
# sign-on 30,000 in year 1; the perk 1,200 a year.
# Year 1: 165,000 + 24,750 + 10,000 + 4,950 + 1,200 + 30,000 = 235,900.
# Yearly average (recurring only): 165,000 + 24,750 + 200,000 / 4 + 4,950 + 1,200 = 245,900.
REFERENCE_FIGURES = {
    "base": Decimal("165000.00"),
    "target_bonus": Decimal("24750.00"),
    "yearly_equity": Decimal("50000.00"),
    "first_year_total": Decimal("235900.00"),
    "average_yearly_total": Decimal("245900.00"),
}


def test_figures_are_the_offer_pages_own(seattle_offer):
    assert contribution_figures(seattle_offer) == REFERENCE_FIGURES


def test_a_contribution_holds_the_cell_month_and_figures_and_nothing_that_names_anyone(
    seattle_offer, places, rebuilds, user
):
    contribution = contribute(offer=seattle_offer)
    stored = Contribution.objects.filter(pk=contribution.pk).values().get()
    assert set(stored) == {
        "id", "role_id", "level_id", "location_id", "state_id", "nation_id", "industry_id",
        "company_size_id", "company_key", "contributor_key", "offered_in", "currency", "base", "target_bonus",
        "yearly_equity", "first_year_total", "average_yearly_total", "revision", "is_demo",
        "excluded_reason", "excluded_at", "created_at", "updated_at",
    }  # fmt: skip
    assert {name: stored[name] for name in REFERENCE_FIGURES} == REFERENCE_FIGURES
    assert stored["offered_in"] == datetime.date(2026, 3, 1)
    assert (stored["location_id"], stored["state_id"], stored["nation_id"]) == (
        places["seattle"].pk,
        places["washington"].pk,
        places["nation"].pk,
    )
    assert stored["currency"] == "USD"
    assert stored["revision"] == 1
    assert stored["is_demo"] is False
    # Every column, as text: no company name (in any spelling), notes, perk's name or owner.
    every_value = " ".join(str(value) for value in stored.values()).casefold()
    for secret in ("acme", "dana", "190k", "garden", user.email.casefold(), "person"):
        assert secret not in every_value
    # The person only as the site's keyed hash of the owner's id, never the id itself.
    assert stored["contributor_key"] == contributor_key(user.pk)
    assert len(stored["contributor_key"]) == 64
    assert str(user.pk) != stored["contributor_key"]
    assert stored["company_key"] == company_key("Acme, Inc.")
    related = {f.related_model for f in Contribution._meta.concrete_fields if f.is_relation}
    assert User not in related and Offer not in related
    seattle_offer.refresh_from_db()
    assert seattle_offer.contribution_id == contribution.pk


def test_an_offer_is_not_contributed_until_its_owner_adds_it(seattle_offer):
    assert seattle_offer.contribution_id is None
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    "spelling",
    [
        "acme",
        "ACME",
        "  Acme   Inc ",
        "Acme, Inc.",
        "acme llc",
        "Acme GmbH",
        "A.C.M.E.",
        "Acme Corporation",
        "Acme Co., Ltd.",
        "The Acme Company",
        "Acme PLC",
    ],
)
def test_spellings_of_one_company_give_one_key(spelling):
    assert company_key(spelling) == company_key("Acme")


def test_other_companies_give_other_keys():
    assert company_key("Acme Cloud") != company_key("Acme")
    assert company_key("Inc") != company_key("")  # a name that is only a legal form stays a name
    assert company_key("The Company") != company_key("The")
    assert len(company_key("Acme")) == 64


def test_an_offer_without_a_received_date_counts_in_the_month_it_was_saved(user, market, rebuilds):
    offer = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    Offer.objects.filter(pk=offer.pk).update(
        created_at=datetime.datetime(2025, 11, 30, 12, tzinfo=datetime.UTC)
    )
    offer.refresh_from_db()
    assert contribute(offer=offer).offered_in == datetime.date(2025, 11, 1)


def test_a_nation_wide_offer_counts_in_its_country_only(user, market, rebuilds):
    offer = OfferFactory(owner=user, role=market["role"], location=market["nation"])
    contribution = contribute(offer=offer)
    assert (contribution.location_id, contribution.state_id, contribution.nation_id) == (
        market["nation"].pk,
        None,
        None,
    )


def test_a_place_outside_the_us_counts_in_its_country(user, market, rebuilds):
    uk = LocationFactory(
        name="United Kingdom", kind="nation", country="GB", currency="GBP", bls_area_code=""
    )
    london = LocationFactory(name="London", kind="metro", country="GB", currency="GBP")
    offer = OfferFactory(owner=user, role=market["role"], location=london, currency="GBP")
    contribution = contribute(offer=offer)
    assert (contribution.location_id, contribution.state_id, contribution.nation_id) == (
        london.pk,
        None,
        uk.pk,
    )
    assert contribution.currency == "GBP"


def test_an_offer_without_base_pay_is_refused_and_nothing_is_written(user, market, rebuilds):
    offer = OfferFactory(
        owner=user, role=market["role"], location=market["seattle"], base_salary=Decimal("0")
    )
    with pytest.raises(CannotContribute):
        contribute(offer=offer)
    assert Contribution.objects.count() == 0


def test_contributing_twice_keeps_one_contribution(seattle_offer, rebuilds):
    first = contribute(offer=seattle_offer)
    again = contribute(offer=seattle_offer)
    assert again.pk == first.pk
    assert again.revision == 1
    assert Contribution.objects.count() == 1


# Lifecycle ---------------------------------------------------------------------------------


def test_editing_the_offer_updates_its_figures_and_revision(seattle_offer, market, rebuilds):
    contribute(offer=seattle_offer)
    seattle_offer.base_salary = Decimal("180000")
    seattle_offer.save()
    contribution = Contribution.objects.get()
    # Base 180,000; bonus 15% = 27,000; the match 3% = 5,400.
    assert contribution.base == Decimal("180000.00")
    assert contribution.target_bonus == Decimal("27000.00")
    assert contribution.first_year_total == Decimal("253600.00")  # + 10,000 + 1,200 + 30,000
    assert contribution.average_yearly_total == Decimal("263600.00")  # + 50,000 + 1,200
    assert contribution.revision == 2


def test_an_edit_through_the_offer_form_updates_the_contribution(
    user_client, seattle_offer, market, rebuilds
):
    from tests.test_offers_views import reference_form_data

    contribute(offer=seattle_offer)
    mid = LevelFactory(name="Mid", rank=20)
    data = reference_form_data(market, level=mid.pk, company="Acme")
    response = user_client.post(reverse("offers:edit", args=[seattle_offer.pk]), data)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.level_id == mid.pk
    assert contribution.revision == 2


def test_a_save_that_changes_nothing_counted_keeps_the_revision(seattle_offer, rebuilds):
    contribute(offer=seattle_offer)
    seattle_offer.notes = "Call back on Monday"
    seattle_offer.company = "ACME inc"  # the same company, spelt otherwise
    seattle_offer.save()
    assert Contribution.objects.get().revision == 1


def test_withdraw_deletes_the_contribution(seattle_offer, rebuilds):
    contribute(offer=seattle_offer)
    withdraw(offer=seattle_offer)
    assert Contribution.objects.count() == 0
    seattle_offer.refresh_from_db()
    assert seattle_offer.contribution_id is None


def test_deleting_the_offer_deletes_its_contribution(seattle_offer, rebuilds):
    contribute(offer=seattle_offer)
    seattle_offer.delete()
    assert Contribution.objects.count() == 0


def test_deleting_the_account_deletes_every_contribution_of_its_offers(
    user, other_user, seattle_offer, market, rebuilds
):
    second = OfferFactory(owner=user, role=market["role"], location=market["seattle"])
    someone_elses = OfferFactory(owner=other_user, role=market["role"], location=market["nation"])
    for offer in (seattle_offer, second, someone_elses):
        contribute(offer=offer)
    user.delete()
    assert list(Contribution.objects.values_list("pk", flat=True)) == [
        someone_elses.contribution_id
    ]


def test_a_what_if_copy_is_not_contributed(user_client, seattle_offer, rebuilds):
    contribute(offer=seattle_offer)
    response = user_client.post(reverse("offers:duplicate", args=[seattle_offer.pk]))
    assert response.status_code == 302
    copy = Offer.objects.exclude(pk=seattle_offer.pk).get()
    assert copy.contribution_id is None
    assert Contribution.objects.count() == 1


def test_each_change_rebuilds_the_cells_it_touched_after_commit(
    seattle_offer, market, places, rebuilds, django_capture_on_commit_callbacks
):
    role, senior = market["role"].pk, market["level"].pk
    seattle, washington, nation = (places[name].pk for name in ("seattle", "washington", "nation"))
    seattle_cells = {(role, senior, seattle), (role, senior, washington), (role, senior, nation)}

    with django_capture_on_commit_callbacks(execute=True):
        contribute(offer=seattle_offer)
    assert rebuilds == [seattle_cells]

    with django_capture_on_commit_callbacks(execute=True):
        seattle_offer.location = market["nation"]
        seattle_offer.save()
    # The cells it left and the one it joined.
    assert rebuilds[-1] == seattle_cells

    with django_capture_on_commit_callbacks(execute=True):
        seattle_offer.notes = "nothing counted changed"
        seattle_offer.save()
    assert len(rebuilds) == 2

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(offer=seattle_offer)
    assert rebuilds[-1] == {(role, senior, nation)}


# Pages -------------------------------------------------------------------------------------


def test_the_offer_page_offers_to_add_it(user_client, seattle_offer):
    body = user_client.get(reverse("offers:detail", args=[seattle_offer.pk])).content.decode()
    assert "This site's market data" in body
    assert "without my name or the company's" in body
    assert "Add this offer" in body
    assert "Withdraw" not in body


def test_adding_from_the_page_comes_back_with_a_message(user_client, seattle_offer, rebuilds):
    response = user_client.post(reverse("offers:contribute", args=[seattle_offer.pk]))
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("offers:detail", args=[seattle_offer.pk]) + "#contribution"
    )
    seattle_offer.refresh_from_db()
    assert seattle_offer.contribution_id is not None
    body = user_client.get(response["Location"]).content.decode()
    assert "Added this offer to this site&#x27;s market data" in body
    month = seattle_offer.contribution.created_at.strftime("%B %Y")
    assert (
        f"Contributed in {month}; counts toward Technical Product Manager Senior, "
        "Seattle-Tacoma-Bellevue, WA bands, and those of its state and country." in body
    )
    assert "Add this offer" not in body


def test_htmx_gets_the_section_back(user_client, seattle_offer, rebuilds):
    url = reverse("offers:contribute", args=[seattle_offer.pk])
    response = user_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="mt-4 no-print" id="contribution"')
    assert "Contributed in" in body and "Withdraw" in body
    assert "Added this offer" in body

    url = reverse("offers:withdraw_contribution", args=[seattle_offer.pk])
    body = user_client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "Add this offer" in body and "Withdrew this offer" in body
    assert Contribution.objects.count() == 0


def test_withdrawing_from_the_page(user_client, seattle_offer, rebuilds):
    contribute(offer=seattle_offer)
    response = user_client.post(reverse("offers:withdraw_contribution", args=[seattle_offer.pk]))
    assert response.status_code == 302
    assert Contribution.objects.count() == 0
    assert "Withdrew this offer" in user_client.get(response["Location"]).content.decode()


def test_a_refusal_is_said_on_the_page(user_client, user, market, rebuilds):
    offer = OfferFactory(
        owner=user, role=market["role"], location=market["seattle"], base_salary=Decimal("0")
    )
    response = user_client.post(reverse("offers:contribute", args=[offer.pk]), follow=True)
    assert "without a base salary can&#x27;t be counted" in response.content.decode()
    assert Contribution.objects.count() == 0


def test_a_contributed_offers_page_reads_its_contribution_with_the_offer(
    user_client, seattle_offer, market, user, rebuilds
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    other = OfferFactory(
        owner=user,
        role=market["role"],
        location=market["seattle"],
        industry=seattle_offer.industry,
        company_size=seattle_offer.company_size,
    )
    contribute(offer=other)

    def queries(offer) -> int:
        url = reverse("offers:detail", args=[offer.pk])
        user_client.get(url)  # the shared cache of market data filled
        with CaptureQueriesContext(connection) as captured:
            assert user_client.get(url).status_code == 200
        return len(captured)

    assert queries(other) == queries(seattle_offer)


@pytest.mark.parametrize("name", ["offers:contribute", "offers:withdraw_contribution"])
def test_another_persons_offer_is_not_found(client, other_user, seattle_offer, name, rebuilds):
    contribute(offer=seattle_offer)
    client.force_login(other_user)
    assert client.post(reverse(name, args=[seattle_offer.pk])).status_code == 404
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize("name", ["offers:contribute", "offers:withdraw_contribution"])
def test_only_a_post_changes_anything(user_client, seattle_offer, name):
    assert user_client.get(reverse(name, args=[seattle_offer.pk])).status_code == 405
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize("name", ["offers:contribute", "offers:withdraw_contribution"])
def test_signed_out_is_sent_to_sign_in(client, seattle_offer, name):
    response = client.post(reverse(name, args=[seattle_offer.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_post_without_the_csrf_token_is_refused(seattle_offer, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("offers:contribute", args=[seattle_offer.pk]))
    assert response.status_code == 403
    assert Contribution.objects.count() == 0


# Download my data --------------------------------------------------------------------------


def test_download_lists_my_contributions_without_the_company_key(
    user_client, seattle_offer, other_user, market, rebuilds
):
    contribute(offer=seattle_offer)
    OfferFactory(owner=seattle_offer.owner, role=market["role"])  # not contributed
    contribute(offer=OfferFactory(owner=other_user, role=market["role"], location=market["nation"]))
    data = json.loads(user_client.get(reverse("accounts:download_data")).content)
    [mine] = data["contributions"]
    assert mine["role"] == "Technical Product Manager"
    assert mine["level"] == "Senior"
    assert mine["location"] == "Seattle-Tacoma-Bellevue, WA"
    assert mine["state"] == "Washington"
    assert mine["nation"] == "U.S."
    assert mine["offered_in"] == "2026-03-01"
    assert mine["base"] == "165000.00"
    assert mine["average_yearly_total"] == "245900.00"
    assert "company_key" not in mine
    assert (
        company_key("Acme").encode()
        not in user_client.get(reverse("accounts:download_data")).content
    )
    contributed = [o for o in data["offers"] if o["contribution"] is not None]
    assert [o["contribution"] for o in contributed] == [mine["id"]]


def test_download_with_no_contributions_lists_none(user_client, seattle_offer):
    data = json.loads(user_client.get(reverse("accounts:download_data")).content)
    assert data["contributions"] == []


# With the real rebuild ---------------------------------------------------------------------


def test_contributions_make_a_band_and_a_withdrawal_takes_it_down(
    market, places, django_capture_on_commit_callbacks
):
    from benchmarks.models import CommunityBand

    today = datetime.date.today()
    # Base 150,000 and 160,000 at one company, 170,000 and 180,000 at another, 190,000 at a
    # third: three companies weigh a third each, so the five weigh 1/6, 1/6, 1/6, 1/6 and 1/3,
    # centred at 1/12, 3/12, 5/12, 7/12 and 10/12; the median (6/12) is halfway between
    # 170,000 and 180,000.
    offers = [
        OfferFactory(
            owner=UserFactory(),  # five people: one person's offers count once in a cell
            company=company,
            role=market["role"],
            level=market["level"],
            location=market["seattle"],
            base_salary=Decimal(base),
            received_on=today,
        )
        for company, base in [
            ("Acme", 150_000), ("ACME Inc.", 160_000), ("Bolt", 170_000), ("Bolt, LLC", 180_000),
            ("Crane", 190_000),
        ]
    ]  # fmt: skip

    def base_band():
        return CommunityBand.objects.filter(
            location=market["seattle"], level=market["level"], component="base"
        ).first()

    for offer in offers[:4]:
        with django_capture_on_commit_callbacks(execute=True):
            contribute(offer=offer)
    assert base_band().status != CommunityBand.Status.SHOWN  # 4 from 2 companies: nothing shown
    assert base_band().p50 is None

    with django_capture_on_commit_callbacks(execute=True):
        contribute(offer=offers[4])
    band = base_band()
    assert (band.status, band.contributions, band.companies) == ("shown", 5, 3)
    assert band.p50 == Decimal("175000")

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(offer=offers[4])
    band = base_band()
    assert band.status != CommunityBand.Status.SHOWN
    assert band.p50 is None

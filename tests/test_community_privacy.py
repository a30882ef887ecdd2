"""What a community band lets others learn about the people who contributed to it: nothing that
names them (no page, export or admin view shows a contributor's company, email, notes or the
company key), and no figure from which one contribution could be computed (a band moves only
with enough new offers; a withdrawal hides it).

The cell used throughout: five Senior TPM offers in Seattle from five companies and five people
(a person counts once in a cell), each with a 10%
target bonus, RSUs of 200,000 over four years (50,000 a year), a 30,000 sign-on and no benefits,
so an offer's average yearly total is 1.1 × base + 50,000. Bases 150,000 · 160,000 · 170,000 ·
180,000 · 200,000 give totals 215,000 · 226,000 · 237,000 · 248,000 · 270,000.
"""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from benchmarks.community_build import rebuild_community_bands
from benchmarks.models import CommunityBand, Contribution
from offers.contributions import contribute, contributor_key, withdraw
from tests.factories import OfferFactory, ShareLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_COMPANIES = [
    "Quillfeather Labs",
    "Brambleworth Inc.",
    "Nimbus Kettle",
    "Orrery Works",
    "Velvet Anvil",
]
SECRET_NOTE = "Recruiter Morwenna hinted at a 260k ceiling"
BASES = [D("150000"), D("160000"), D("170000"), D("180000"), D("200000")]


def package(**terms):
    return {
        "bonus_percent": D("10"),
        "sign_on_year1": D("30000"),
        "equity_kind": "rsu",
        "equity_grant_value": D("200000"),
        "vesting_schedule": "four_year_cliff_monthly",
        "retirement_match_percent": D("0"),
        "retirement_match_rate_percent": D("0"),
        "received_on": datetime.date(2026, 10, 5),
    } | terms


def offer(owner, market, **terms):
    return OfferFactory(
        owner=owner,
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        **package(**terms),
    )


def contribute_and_rebuild(offers, django_capture_on_commit_callbacks):
    """Through the real path: each contribution's cells rebuilt once it is committed."""
    for each in offers:
        with django_capture_on_commit_callbacks(execute=True):
            contribute(offer=each)


@pytest.fixture
def contributor(db):
    return UserFactory(email="morwenna.contributor@example.com")


@pytest.fixture
def contributed(contributor, market, django_capture_on_commit_callbacks):
    """The five offers of the module docstring, each from its own company and its own person
    (the first the contributor's), all contributed."""
    owners = [contributor, *(UserFactory() for _ in BASES[1:])]
    offers = [
        offer(owner, market, company=company, base_salary=base, notes=SECRET_NOTE)
        for owner, company, base in zip(owners, SECRET_COMPANIES, BASES, strict=True)
    ]
    contribute_and_rebuild(offers, django_capture_on_commit_callbacks)
    return offers


@pytest.fixture
def contributed_by_one(contributor, market, django_capture_on_commit_callbacks):
    """The five offers of the module docstring, all the contributor's, all contributed."""
    offers = [
        offer(contributor, market, company=company, base_salary=base, notes=SECRET_NOTE)
        for company, base in zip(SECRET_COMPANIES, BASES, strict=True)
    ]
    contribute_and_rebuild(offers, django_capture_on_commit_callbacks)
    return offers


@pytest.fixture
def viewer(db):
    return UserFactory(email="someone.else@example.com")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def viewers_offers(viewer, market):
    """Another person's two offers in the same cell: base 165,000 (average yearly total
    1.1 × 165,000 + 50,000 = 231,500; first-year total 261,500) and base 190,000."""
    return (
        offer(viewer, market, company="Northwind", base_salary=D("165000")),
        offer(viewer, market, company="Contoso", base_salary=D("190000")),
    )


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(
        "&#x27;", "'"
    )


def secrets_of(offers) -> list[str]:
    """Every string that would name a contributor: companies, emails, notes, company keys and
    contributor keys."""
    keys = list(Contribution.objects.values_list("company_key", flat=True))
    assert len(keys) == len(offers)
    people = list(Contribution.objects.values_list("contributor_key", flat=True))
    email = offers[0].owner.email
    emails = {o.owner.email for o in offers}
    return [
        *(o.company for o in offers),
        email,
        email.split("@")[0],
        *emails,
        SECRET_NOTE,
        *keys,
        *people,
    ]


def assert_reveals_none(content: str, secrets) -> None:
    lowered = content.lower()
    for secret in secrets:
        assert secret.lower() not in lowered, f"{secret!r} is on the page"


# --- Nothing names a contributor ----------------------------------------------------------


def test_no_page_another_person_sees_names_a_contributor(
    viewer_client, viewer, contributed, viewers_offers
):
    first, second = viewers_offers
    secrets = secrets_of(contributed)
    compare = f"?offers={first.pk}&offers={second.pk}"
    link = ShareLinkFactory(owner=viewer, offer_ids=[first.pk, second.pk])
    explorer = {
        "role": first.role_id,
        "level": first.level_id,
        "location": first.location_id,
        "component": "total_comp",
    }
    pages = {
        "offer": viewer_client.get(first.get_absolute_url()),
        "list": viewer_client.get(reverse("offers:list")),
        "compare": viewer_client.get(reverse("offers:compare") + compare),
        "compare csv": viewer_client.get(reverse("offers:compare_csv") + compare),
        "negotiate": viewer_client.get(reverse("offers:negotiate", kwargs={"pk": first.pk})),
        "explorer": viewer_client.get(reverse("benchmarks:explorer"), explorer),
        "shared": viewer_client.get(reverse("shared_comparison", args=[link.token])),
        "my data": viewer_client.get(reverse("accounts:download_data")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_reveals_none(response.content.decode(), secrets)
    # Not vacuous: the community band is on them.
    counts = "5 offers, each from a different person, from 5 companies in this site's data"
    assert counts in text_of(pages["offer"])
    assert counts in text_of(pages["explorer"])
    assert (
        "5 offers, each from a different person, from 5 companies"
        in (pages["negotiate"].context["email"])
    )


def test_the_contributors_own_data_lists_the_contributions_without_the_company_key(
    client, contributor, contributed_by_one
):
    client.force_login(contributor)
    response = client.get(reverse("accounts:download_data"))
    content = response.content.decode()
    for key in Contribution.objects.values_list("company_key", flat=True):
        assert key not in content
    assert "company_key" not in content
    contributions = response.json()["contributions"]
    assert sorted(D(c["base"]) for c in contributions) == BASES


def test_the_contributors_own_data_leaves_out_the_contributor_key(
    client, contributor, contributed_by_one
):
    client.force_login(contributor)
    content = client.get(reverse("accounts:download_data")).content.decode()
    for key in Contribution.objects.values_list("contributor_key", flat=True):
        assert key not in content
    assert "contributor_key" not in content


@pytest.fixture
def staff_client(client, db):
    admin = get_user_model().objects.create_superuser(
        email="admin@example.com", password="x-Admin-pass-1"
    )
    client.force_login(admin)
    return client


def test_no_admin_view_names_a_contributor(staff_client, contributed):
    secrets = secrets_of(contributed)
    contribution = Contribution.objects.order_by("pk").first()
    band = CommunityBand.objects.filter(status="shown").first()
    # Leave one out, so the history has an entry to show.
    staff_client.post(
        reverse("admin:benchmarks_contribution_changelist"),
        {
            "action": "leave_out",
            "_selected_action": [contribution.pk],
            "apply": "yes",
            "excluded_reason": "Implausible",
        },
    )
    urls = [
        reverse("admin:benchmarks_contribution_changelist"),
        reverse("admin:benchmarks_contribution_changelist") + "?o=1.2.3.4.5",
        reverse("admin:benchmarks_contribution_change", args=[contribution.pk]),
        reverse("admin:benchmarks_contribution_history", args=[contribution.pk]),
        reverse("admin:benchmarks_communityband_changelist"),
        reverse("admin:benchmarks_communityband_change", args=[band.pk]),
        reverse("admin:benchmarks_communityband_history", args=[band.pk]),
        reverse("admin:index"),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_reveals_none(response.content.decode(), secrets)
    # A company's name in the search box finds nothing: the company is not searchable.
    found = staff_client.get(
        reverse("admin:benchmarks_contribution_changelist"), {"q": "Quillfeather"}
    )
    assert found.context["cl"].result_count == 0
    key = contribution.company_key
    found = staff_client.get(reverse("admin:benchmarks_contribution_changelist"), {"q": key})
    assert found.context["cl"].result_count == 0


def test_the_admin_lists_no_member_rows_linking_bands_to_contributions(staff_client):
    assert staff_client.get("/admin/benchmarks/communitybandmember/").status_code == 404


# --- No figure gives one contribution away ------------------------------------------------


def test_the_offer_page_shows_the_hand_computed_band_rounded_to_the_thousand(
    viewer_client, contributed, viewers_offers
):
    # Five totals with equal weights (a fifth each, under the quarter cap), Hazen centres
    # 0.1 · 0.3 · 0.5 · 0.7 · 0.9:
    #   25th: 215,000 + (226,000 − 215,000) × (0.25 − 0.1) / 0.2 = 223,250 → $223,000
    #   median: on the third, 237,000
    #   75th: 248,000 + (270,000 − 248,000) × (0.75 − 0.7) / 0.2 = 253,500 → $254,000
    # (5 offers: to the nearest 1,000; no 10th or 90th under 10 offers.)
    band = CommunityBand.objects.get(component="total_comp", location=viewers_offers[0].location)
    assert (band.p10, band.p25, band.p50, band.p75, band.p90) == (
        None,
        D("223250"),
        D("237000"),
        D("253500"),
        None,
    )
    page = text_of(viewer_client.get(viewers_offers[0].get_absolute_url()))
    assert "Median $237,000, 25th–75th $223,000–$254,000" in page
    # Average yearly total 231,500 in the shown band: 25 + 25 × (231,500 − 223,000) / 14,000
    # = 40.2 → the 40th percentile; the first-year total 261,500 is above the 75th (254,000).
    assert "Average yearly total: 40th percentile of the total-compensation band" in page
    assert "First-year total: above the 75th percentile of the same band" in page


def test_the_base_and_total_cash_cells_are_their_own_percentiles(contributed):
    # Base: 150,000 · 160,000 · 170,000 · 180,000 · 200,000; 25th 150,000 + 10,000 × 0.75 =
    # 157,500; median 170,000; 75th 180,000 + 20,000 × 0.25 = 185,000.
    # Total cash (base × 1.1): 165,000 · 176,000 · 187,000 · 198,000 · 220,000; 25th 173,250;
    # median 187,000; 75th 198,000 + 22,000 × 0.25 = 203,500.
    base = CommunityBand.objects.get(component="base", location__kind="metro")
    cash = CommunityBand.objects.get(component="total_cash", location__kind="metro")
    assert (base.p25, base.p50, base.p75) == (D("157500"), D("170000"), D("185000"))
    assert (cash.p25, cash.p50, cash.p75) == (D("173250"), D("187000"), D("203500"))


def test_one_company_with_sixty_percent_of_a_cell_weighs_a_quarter(contributor, market):
    # Ten offers: six from one company at base 100,000, and 200,000 · 210,000 · 220,000 ·
    # 230,000 from four others. Capped, the six weigh 0.25 together (1/24 each) and the four
    # share 0.75 (0.1875 each). Sorted, the centres: the six 1/48, 3/48 … 11/48 (last 0.2292);
    # then 0.25 + 0.09375 = 0.34375, 0.53125, 0.71875, 0.90625.
    #   25th: between 100,000 (0.2292) and 200,000 (0.34375):
    #         100,000 + 100,000 × (0.25 − 11/48) / (0.34375 − 11/48) = 100,000 + 100,000 ×
    #         0.0208333 / 0.1145833 = 118,182 (to the dollar: 118,181.8…)
    #   median: between 200,000 (0.34375) and 210,000 (0.53125):
    #         200,000 + 10,000 × 0.15625 / 0.1875 = 208,333.3…
    # Uncapped, the median would be 100,000 (the six are 60% of the cell).
    # Ten people (a person counts once in a cell), the contributor among them.
    offers = [offer(contributor, market, company="Bigco", base_salary=D("100000"))]
    offers += [
        offer(UserFactory(), market, company="Bigco", base_salary=D("100000")) for _ in range(5)
    ]
    offers += [
        offer(UserFactory(), market, company=f"Small {n}", base_salary=D(base))
        for n, base in enumerate(["200000", "210000", "220000", "230000"])
    ]
    # All ten in one rebuild (one at a time, the cell would be published at the eighth, the
    # first with three companies, and kept as published for the two after it).
    for each in offers:
        contribute(offer=each)
    rebuild_community_bands()
    band = CommunityBand.objects.get(component="base", location__kind="metro")
    assert (band.contributions, band.companies, band.status) == (10, 5, "shown")
    assert band.p25 == D("118182")
    assert band.p50 == D("208333")


def test_one_more_contribution_moves_no_figure_on_the_page(
    viewer_client,
    contributor,
    market,
    contributed,
    viewers_offers,
    django_capture_on_commit_callbacks,
):
    url = viewers_offers[0].get_absolute_url()
    before = text_of(viewer_client.get(url))
    newcomer = UserFactory()  # a person the cell does not count yet
    extra = offer(newcomer, market, company="Sixth Company", base_salary=D("300000"))
    contribute_and_rebuild([extra], django_capture_on_commit_callbacks)
    cache.clear()
    after = text_of(viewer_client.get(url))
    for shown in (
        "Median $237,000, 25th–75th $223,000–$254,000",
        "5 offers, each from a different person, from 5 companies",
    ):
        assert shown in before and shown in after


def test_a_withdrawal_hides_the_figures_and_a_rebuild_does_not_bring_them_back_moved(
    viewer_client,
    contributed,
    viewers_offers,
    django_capture_on_commit_callbacks,
    contributor,
    market,
):
    url = viewers_offers[0].get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(offer=contributed[-1])
    page = text_of(viewer_client.get(url))
    assert "$237,000" not in page and "$254,000" not in page
    assert "Average yearly total:" not in page
    # The nightly rebuild and one more offer (whose owner knows its figures) leave it hidden:
    # shown from what is left, the figures would differ by the withdrawn offer alone.
    rebuild_community_bands()
    # From a person the cell does not count yet: five people again, yet not five new.
    newcomer = offer(UserFactory(), market, company="Late Arrival", base_salary=D("175000"))
    contribute_and_rebuild([newcomer], django_capture_on_commit_callbacks)
    rebuild_community_bands()
    page = text_of(viewer_client.get(url))
    assert "$237,000" not in page and "Average yearly total:" not in page
    band = CommunityBand.objects.get(component="total_comp", location__kind="metro")
    assert (band.status, band.p50, band.earliest, band.latest) == ("refreshing", None, None, None)


def test_deleting_the_account_withdraws_every_contribution(
    contributor, contributed_by_one, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contributor.delete()
    assert not Contribution.objects.exists()
    assert not CommunityBand.objects.filter(status="shown").exists()


def test_deleting_one_counted_persons_account_hides_the_band(
    contributor, contributed, django_capture_on_commit_callbacks
):
    # Three components, in Seattle and in the U.S.
    assert CommunityBand.objects.filter(status="shown").count() == 6
    key = contributor_key(contributor.pk)
    with django_capture_on_commit_callbacks(execute=True):
        contributor.delete()
    assert not Contribution.objects.filter(contributor_key=key).exists()
    assert Contribution.objects.count() == 4  # the other four people's
    assert not CommunityBand.objects.filter(status="shown").exists()


@pytest.mark.parametrize(
    "lookup",
    [
        "company_key",
        "company_key__startswith",
        "contributor_key",
        "contributor_key__startswith",
        "created_at__gte",
        "updated_at__lte",
        "offer",
    ],
)
def test_the_admin_list_cannot_be_filtered_by_company_key_or_time_of_contribution(
    staff_client, contributed, lookup
):
    # Filtering by a key's first characters would group contributions by company without
    # showing the key; to the second, by when each was made, joinable to when a person was
    # signed in. Neither is shown, so neither may be filtered on.
    contribution = Contribution.objects.order_by("pk").first()
    value = {
        "company_key": contribution.company_key,
        "company_key__startswith": contribution.company_key[:1],
        "contributor_key": contribution.contributor_key,
        "contributor_key__startswith": contribution.contributor_key[:1],
        "created_at__gte": contribution.created_at.isoformat(),
        "updated_at__lte": contribution.updated_at.isoformat(),
        "offer": contributed[0].pk,  # nothing leads back to the offer
    }[lookup]
    response = staff_client.get(
        reverse("admin:benchmarks_contribution_changelist"), {lookup: value}
    )
    # Django answers a lookup it does not allow by sending the admin back to the whole list.
    assert response.status_code in (302, 400)

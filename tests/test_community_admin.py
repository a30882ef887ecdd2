"""The admin of this site's market data: contributions by cell without who made them, leaving an
implausible one out with a reason (and counting it again), and community bands read-only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from benchmarks.community_build import cells_of, rebuild_community_bands
from benchmarks.models import CommunityBand, Contribution
from offers.models import Offer
from tests.factories import (
    CommunityBandFactory,
    ContributionFactory,
    LocationFactory,
    OfferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:benchmarks_contribution_changelist"
COMPANY_KEY = "5eed" * 16


@pytest.fixture
def places(db):
    nation = LocationFactory()
    washington = LocationFactory(
        name="Washington", kind="state", bls_area_code="53", state_code="WA", parent=nation
    )
    seattle = LocationFactory(
        name="Seattle-Tacoma-Bellevue, WA",
        kind="metro",
        bls_area_code="42660",
        state_code="WA",
        parent=washington,
    )
    return {"nation": nation, "state": washington, "metro": seattle}


@pytest.fixture
def adas_contribution(places):
    """Ada's offer at Zeta Corp, added to the site's market data."""
    ada = UserFactory(display_name="Ada Example", email="ada@example.com")
    contribution = ContributionFactory(
        location=places["metro"],
        state=places["state"],
        nation=places["nation"],
        company_key=COMPANY_KEY,
    )
    offer = OfferFactory(
        owner=ada,
        company="Zeta Corp",
        role=contribution.role,
        level=contribution.level,
        location=places["metro"],
    )
    # The link as it is stored, without the offer's save refreshing the figures from its terms.
    Offer.objects.filter(pk=offer.pk).update(contribution=contribution)
    return contribution


@pytest.fixture
def rebuilds(monkeypatch):
    """The cells each rebuild was asked for, the rebuild itself left out (tested on its own in
    tests/test_community_build.py, and below once end to end)."""
    asked: list[set] = []

    def record(*, cells):
        asked.append(set(cells))

    monkeypatch.setattr("benchmarks.admin.rebuild_community_bands", record)
    return asked


def _names_no_contributor(page: str) -> None:
    assert not re.search(r"\bada\b", page, re.IGNORECASE)
    assert "Ada Example" not in page
    assert "zeta" not in page.lower()
    assert COMPANY_KEY not in page
    assert "company_key" not in page and "company key" not in page.lower()
    # No link to a person or an offer (the admin's menu links to the list of users, as always).
    assert not re.search(r"/accounts/user/\d|/offers/\d", page)


# --------------------------------------------------------------------------- what an admin sees


def test_the_list_shows_a_contributions_cell_and_figures_but_no_contributor(
    admin_client, adas_contribution
) -> None:
    page = admin_client.get(reverse(CHANGELIST)).content.decode()

    assert "Seattle-Tacoma-Bellevue, WA" in page
    assert "Jan 2026" in page
    assert "$165,000" in page  # base
    assert "$189,750" in page  # total cash: 165,000 + 24,750
    assert "$239,750" in page  # average yearly total
    assert "Counted" in page
    _names_no_contributor(page)


def test_a_contributions_page_is_read_only_and_names_no_contributor(
    admin_client, adas_contribution
) -> None:
    url = reverse("admin:benchmarks_contribution_change", args=[adas_contribution.pk])

    response = admin_client.get(url)
    page = response.content.decode()

    assert response.status_code == 200
    assert "$50,000" in page and "$229,700" in page  # yearly equity, first-year total
    assert 'name="base"' not in page and 'name="excluded_reason"' not in page
    assert 'type="submit"' not in page.split('id="content-main"')[1]
    _names_no_contributor(page)
    base = Decimal("165000")
    assert admin_client.post(url, {"base": "1"}).status_code == 403
    adas_contribution.refresh_from_db()
    assert adas_contribution.base == base


def test_contributions_can_be_neither_added_deleted_nor_exported(
    admin_client, adas_contribution
) -> None:
    assert admin_client.get(reverse("admin:benchmarks_contribution_add")).status_code == 403
    delete = reverse("admin:benchmarks_contribution_delete", args=[adas_contribution.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Contribution.objects.filter(pk=adas_contribution.pk).exists()
    with pytest.raises(NoReverseMatch):
        reverse("admin:benchmarks_contribution_export")
    actions = admin_client.get(reverse(CHANGELIST)).context["action_form"]
    offered = {name for name, _ in actions.fields["action"].choices if name}
    assert offered == {"leave_out", "count_again"}


def test_searching_by_a_company_or_a_person_finds_nothing(admin_client, adas_contribution):
    for words in ("Zeta", "ada@example.com", COMPANY_KEY):
        response = admin_client.get(reverse(CHANGELIST), {"q": words})
        assert list(response.context["cl"].result_list) == [], words
    found = admin_client.get(reverse(CHANGELIST), {"q": "Seattle"}).context["cl"].result_list
    assert list(found) == [adas_contribution]


def test_a_place_lists_every_contribution_its_cells_count(admin_client, places, adas_contribution):
    elsewhere = ContributionFactory(location=places["nation"])

    def listed(place) -> set[int]:
        response = admin_client.get(reverse(CHANGELIST), {"place": place.pk})
        return {c.pk for c in response.context["cl"].result_list}

    assert listed(places["metro"]) == {adas_contribution.pk}
    assert listed(places["state"]) == {adas_contribution.pk}
    assert listed(places["nation"]) == {adas_contribution.pk, elsewhere.pk}


# --------------------------------------------------------------------------- leaving out


def _act(admin_client, action: str, contributions, **data):
    return admin_client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [c.pk for c in contributions], **data},
    )


def test_leaving_out_asks_for_a_reason_first(admin_client, adas_contribution) -> None:
    response = _act(admin_client, "leave_out", [adas_contribution])

    page = response.content.decode()
    assert response.status_code == 200
    assert "Leave out of community bands" in page
    assert 'name="excluded_reason"' in page
    assert "Say why these contributions are left out." not in page  # not yet asked
    _names_no_contributor(page)


def test_leaving_out_without_a_reason_says_so_beside_the_field(
    admin_client, adas_contribution, rebuilds
) -> None:
    response = _act(
        admin_client, "leave_out", [adas_contribution], apply="yes", excluded_reason="  "
    )

    page = response.content.decode()
    row = page.split('class="form-row field-excluded_reason"')[1].split("</fieldset>")[0]
    assert "Say why these contributions are left out." in row
    adas_contribution.refresh_from_db()
    assert not adas_contribution.is_excluded
    assert rebuilds == []


def test_a_reason_longer_than_300_characters_is_refused(admin_client, adas_contribution) -> None:
    response = _act(
        admin_client, "leave_out", [adas_contribution], apply="yes", excluded_reason="x" * 301
    )

    assert "at most 300 characters" in response.content.decode()
    adas_contribution.refresh_from_db()
    assert not adas_contribution.is_excluded


def test_leaving_out_with_a_reason_records_it_and_rebuilds_the_cells_it_counted_in(
    admin_client,
    admin_user,
    adas_contribution,
    places,
    rebuilds,
    django_capture_on_commit_callbacks,
) -> None:
    counted = ContributionFactory(location=places["nation"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _act(
            admin_client,
            "leave_out",
            [adas_contribution],
            apply="yes",
            excluded_reason="Base of $1.65M: a typo for $165,000",
        )

    assert response.status_code == 302
    adas_contribution.refresh_from_db()
    assert adas_contribution.excluded_reason == "Base of $1.65M: a typo for $165,000"
    assert adas_contribution.excluded_at is not None
    counted.refresh_from_db()
    assert not counted.is_excluded
    role, level = adas_contribution.role_id, adas_contribution.level_id
    assert rebuilds == [
        {
            (role, level, places["metro"].pk),
            (role, level, places["state"].pk),
            (role, level, places["nation"].pk),
        }
    ]
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert "Left out: Base of $1.65M: a typo for $165,000" in page


def test_the_log_names_the_admin_who_acted_and_no_contributor(
    admin_client, admin_user, adas_contribution, rebuilds, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _act(admin_client, "leave_out", [adas_contribution], apply="yes", excluded_reason="Typo")

    (entry,) = LogEntry.objects.all()
    assert entry.user == admin_user
    assert entry.get_change_message() == "Left out: Typo"
    record = f"{entry.object_repr} {entry.change_message}"
    assert "ada" not in record.lower() and "zeta" not in record.lower()
    history = reverse("admin:benchmarks_contribution_history", args=[adas_contribution.pk])
    _names_no_contributor(admin_client.get(history).content.decode())


def test_counting_again_clears_the_reason_and_rebuilds(
    admin_client, adas_contribution, rebuilds, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _act(admin_client, "leave_out", [adas_contribution], apply="yes", excluded_reason="Typo")
        response = _act(admin_client, "count_again", [adas_contribution])

    assert response.status_code == 302
    adas_contribution.refresh_from_db()
    assert (adas_contribution.excluded_reason, adas_contribution.excluded_at) == ("", None)
    assert len(rebuilds) == 2 and rebuilds[0] == rebuilds[1]
    listed = admin_client.get(reverse(CHANGELIST), {"status": "left_out"}).context["cl"]
    assert list(listed.result_list) == []


def test_counting_again_a_counted_contribution_changes_nothing(
    admin_client, adas_contribution, rebuilds, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _act(admin_client, "count_again", [adas_contribution])

    assert rebuilds == []
    assert not LogEntry.objects.exists()


# --------------------------------------------------------------------------- community bands


@pytest.fixture
def band(places):
    return CommunityBandFactory(location=places["metro"])


def test_the_community_band_list_shows_figures_counts_and_months(admin_client, band) -> None:
    page = admin_client.get(reverse("admin:benchmarks_communityband_changelist")).content.decode()

    assert "Technical Product Manager Senior, Seattle-Tacoma-Bellevue, WA" in page
    assert "$205,000" in page and "$231,000" in page and "$262,000" in page
    assert "Mar 2025–Jan 2026" in page
    assert "Total compensation" in page


def test_community_bands_are_read_only(admin_client, band) -> None:
    change = reverse("admin:benchmarks_communityband_change", args=[band.pk])
    delete = reverse("admin:benchmarks_communityband_delete", args=[band.pk])

    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:benchmarks_communityband_add")).status_code == 403
    assert admin_client.post(reverse("admin:benchmarks_communityband_add"), {}).status_code == 403
    assert admin_client.post(change, {"p50": "1"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    band.refresh_from_db()
    assert band.p50 == Decimal("231000")
    listed = admin_client.get(reverse("admin:benchmarks_communityband_changelist"))
    assert listed.context["action_form"] is None
    assert CommunityBand.objects.count() == 1


def test_a_contribution_left_out_is_out_of_the_next_band_and_counted_again_later(
    admin_client, places, django_capture_on_commit_callbacks
) -> None:
    cell = {"location": places["metro"], "state": places["state"], "nation": places["nation"]}
    first, *_ = [
        ContributionFactory(base=Decimal(base), **cell)
        for base in (100_000, 110_000, 120_000, 130_000, 140_000)
    ]
    rebuild_community_bands(cells=cells_of(first))
    band = CommunityBand.objects.get(location=places["metro"], component="base")
    assert (band.status, band.contributions, band.companies) == ("shown", 5, 5)

    with django_capture_on_commit_callbacks(execute=True):
        _act(admin_client, "leave_out", [first], apply="yes", excluded_reason="Typo")
    band = CommunityBand.objects.get(location=places["metro"], component="base")
    # Four left, below the five a band is shown from.
    assert (band.status, band.contributions, band.p50) == ("too_few", 4, None)

    with django_capture_on_commit_callbacks(execute=True):
        _act(admin_client, "count_again", [first])
    band = CommunityBand.objects.get(location=places["metro"], component="base")
    # Counted again, but a cell hidden after a loss is shown again only once five offers from
    # three companies are new since it was published: by then an offer withdrawn meanwhile
    # could not be read from the difference either.
    assert (band.status, band.contributions, band.p50) == ("refreshing", 5, None)


def test_filtered_to_one_cell_the_list_says_what_the_cell_counts(
    admin_client, places, adas_contribution
) -> None:
    in_seattle = {"location": places["metro"], "state": places["state"]}
    same_company = ContributionFactory(
        **in_seattle, company_key=COMPANY_KEY, base=Decimal("170000")
    )
    ContributionFactory(location=places["state"], company_key="b" * 64)
    ContributionFactory(**in_seattle, excluded_reason="Typo", excluded_at="2026-11-02T10:00Z")
    cell = {
        "role__id__exact": adas_contribution.role_id,
        "level__id__exact": adas_contribution.level_id,
    }

    in_state = admin_client.get(reverse(CHANGELIST), {**cell, "place": places["state"].pk})
    in_metro = admin_client.get(reverse(CHANGELIST), {**cell, "place": places["metro"].pk})
    unfiltered = admin_client.get(reverse(CHANGELIST), {"place": places["state"].pk})

    # Washington's cell counts Ada's and the same company's in Seattle, and the one in the state
    # itself; the one left out is not counted. Seattle's lacks the state-wide one.
    assert (
        "In Technical Product Manager Senior, Washington: 3 contributions counted, "
        "from 2 companies; 1 left out."
    ) in in_state.content.decode()
    assert (
        "In Technical Product Manager Senior, Seattle-Tacoma-Bellevue, WA: 2 contributions "
        "counted, from 1 company; 1 left out."
    ) in in_metro.content.decode()
    assert same_company.pk in {c.pk for c in in_metro.context["cl"].result_list}
    assert "cell-summary" not in unfiltered.content.decode()


def test_the_status_says_why_a_contribution_not_left_out_is_not_counted(
    admin_client, places, settings
) -> None:
    settings.COMMUNITY_DEMO_DATA = False
    this_month = timezone.localdate().replace(day=1)
    ContributionFactory(is_demo=True, offered_in=this_month)
    # 24 calendar months before this one: just outside the window of this month and 23 before;
    # 23 months before: just inside it.
    ContributionFactory(offered_in=this_month.replace(year=this_month.year - 2))
    year, month = divmod(this_month.year * 12 + this_month.month - 1 - 23, 12)
    ContributionFactory(offered_in=datetime.date(year, month + 1, 1))

    page = admin_client.get(reverse(CHANGELIST)).content.decode()

    assert "Not counted: demo data, counted only in development" in page
    assert page.count("Not counted: older than 24 months") == 1
    assert page.count('<td class="field-status">Counted</td>') == 1


def test_the_list_takes_the_same_queries_for_many_contributions(
    admin_client, places, django_assert_num_queries
) -> None:
    ContributionFactory(location=places["metro"], state=places["state"])
    url = reverse(CHANGELIST)
    admin_client.get(url)  # the session and the site's market-data stamp, once
    # The session, the admin, the role, level and place filters' choices, the count shown and
    # the total count, and one page of contributions with their role, level and place.
    with django_assert_num_queries(8) as few:
        admin_client.get(url)
    for _ in range(20):
        ContributionFactory(location=places["metro"], state=places["state"])
    with django_assert_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_a_bands_status_says_how_sure_it_is_or_what_it_still_lacks(admin_client, places) -> None:
    CommunityBandFactory(location=places["metro"])  # 12 offers from 6 companies
    hidden = {"status": "too_few", "p10": None, "p25": None, "p50": None, "p75": None, "p90": None}
    CommunityBandFactory(location=places["state"], contributions=3, companies=2, **hidden)
    CommunityBandFactory(location=places["nation"], contributions=7, companies=2, **hidden)

    page = admin_client.get(reverse("admin:benchmarks_communityband_changelist")).content.decode()

    assert "Shown (community, medium)" in page
    assert "Too few contributions: needs 2 more offers and 1 more company" in page
    assert "Too few contributions: needs 1 more company" in page


def test_all_contributions_of_a_filtered_list_are_left_out_at_once(
    admin_client, places, rebuilds, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    monkeypatch.setattr("benchmarks.admin.LEAVE_OUT_LISTED", 2)
    in_seattle = [ContributionFactory(location=places["metro"]) for _ in range(3)]
    elsewhere = ContributionFactory(location=places["nation"])
    # "Select all 3": the list's filters travel in its address, one id in the form.
    url = f"{reverse(CHANGELIST)}?place={places['metro'].pk}"
    across = {"action": "leave_out", "select_across": "1", "index": "0"}
    across["_selected_action"] = [in_seattle[0].pk]

    asked = admin_client.post(url, across).content.decode()
    assert "3 contributions to leave out" in asked
    assert "and 1 more" in asked
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {**across, "apply": "yes", "excluded_reason": "A test batch"})

    left_out = set(Contribution.objects.exclude(excluded_reason="").values_list("pk", flat=True))
    assert left_out == {c.pk for c in in_seattle}
    assert elsewhere.pk not in left_out


def test_a_place_no_database_key_can_hold_is_no_filter(admin_client, adas_contribution) -> None:
    huge = "9" * 30
    response = admin_client.get(reverse(CHANGELIST), {"place": huge, "role__id__exact": huge})

    assert response.status_code == 200
    assert admin_client.get(reverse(CHANGELIST), {"place": huge}).status_code == 200

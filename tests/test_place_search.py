"""Finding a place, a role or an industry by typing: the matches benchmarks:search answers with,
among the names that ship (the BLS OEWS May 2025 extract and the seeded roles and cities)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from benchmarks.importers.loader import _upsert_industries, _upsert_locations
from benchmarks.importers.oews import parse_oews
from benchmarks.management.commands.load_market_data import SHIPPED_OEWS
from benchmarks.models import Location
from benchmarks.search import MOST_MATCHES, Choice, best_matches, normalised, search_text
from benchmarks.seed import seed_market_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shipped_rows():
    return parse_oews(SHIPPED_OEWS)


@pytest.fixture
def shipped_menus(shipped_rows):
    """The shipped places, roles and industries (no bands: a search reads only the names)."""
    seed_market_data()
    _upsert_locations(shipped_rows)
    _upsert_industries(shipped_rows)
    cache.clear()  # no market rows read before the names were loaded


def place(name, code="", kind_order=0, pk=1):
    return Choice(
        pk=pk,
        label=name,
        detail="",
        names=(normalised(name),),
        codes=(code,),
        kind_order=kind_order,
    )


@pytest.mark.django_db(False)
def test_accents_case_and_full_stops_do_not_matter():
    assert normalised("  Zürich ") == "zurich"
    assert normalised("U.S.") == "us"
    assert [c.label for c in best_matches([place("Zürich")], "zurich")] == ["Zürich"]
    assert search_text("São Paulo") == "sao paulo"
    assert search_text("tab\there") == ""  # a control character matches nothing
    assert search_text("x" * 101) == ""


@pytest.mark.django_db(False)
def test_an_exact_code_beats_a_name_that_starts_with_it():
    # "12420" is Austin's code; "12420 Main" only starts with it; "Main 12420" has it as a word.
    rows = [place("Main 12420", pk=1), place("12420 Main", pk=2), place("Austin", "12420", pk=3)]
    assert [c.pk for c in best_matches(rows, "12420")] == [3, 2, 1]


def search(client, menu, text):
    response = client.get(reverse("benchmarks:search", args=[menu]), {"q": text})
    assert response.status_code == 200
    return response


def labels(response) -> list[str]:
    return [option.label for option in response.context["options"]]


def test_the_shipped_menus_are_the_real_ones(shipped_menus):
    # 1 nation + 54 states and territories + 393 metros + 135 nonmetro areas + London and Berlin
    # = 585 places: with "Choose a place", the 586 options of the menu.
    assert Location.objects.count() == 585


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Austin", "Austin-Round Rock-San Marcos, TX"),
        ("austin", "Austin-Round Rock-San Marcos, TX"),
        ("Seattle", "Seattle-Tacoma-Bellevue, WA"),
        ("42660", "Seattle-Tacoma-Bellevue, WA"),  # its BLS area code
        ("London", "London"),  # the city abroad before Norwich-New London-Willimantic, CT
        ("United Kingdom", "London"),  # by its country's name
        ("Germany", "Berlin"),
        ("US", "U.S."),  # "U.S." without its full stops
        ("san fran", "San Francisco-Oakland-Fremont, CA"),
        ("seattle wa", "Seattle-Tacoma-Bellevue, WA"),  # each word starts a word of the name
        ("Atlantis", None),
    ],
)
def test_places_are_found_by_name_and_code(user_client, shipped_menus, text, first):
    found = labels(search(user_client, "places", text))
    assert (found[0] if found else None) == first


def test_a_state_code_finds_the_state_then_its_metro_areas(user_client, shipped_menus):
    found = labels(search(user_client, "places", "WA"))
    # Exact code first (the state), then the places in that state: metros before others.
    assert found[0] == "Washington"
    assert "Seattle-Tacoma-Bellevue, WA" in found[1:12]
    assert found.index("Seattle-Tacoma-Bellevue, WA") < found.index("Waco, TX")


def test_a_broad_text_answers_at_most_the_cap_metros_first(user_client, shipped_menus):
    found = search(user_client, "places", "a").context["options"]
    assert len(found) == MOST_MATCHES == 20
    # Names starting with "a", metro areas first: Abilene, TX is the first metro by name.
    assert found[0].label == "Abilene, TX"
    assert found[0].detail == "Metropolitan area"


def test_the_options_carry_the_menu_value_and_say_what_kind_of_place(user_client, shipped_menus):
    seattle = Location.objects.get(bls_area_code="42660")
    html = search(user_client, "places", "42660").content.decode()
    assert f'data-value="{seattle.pk}"' in html
    assert 'role="option"' in html
    assert "Metropolitan area" in html


def test_roles_by_name_initials_and_occupation_code(user_client, shipped_menus):
    assert labels(search(user_client, "roles", "TPM")) == ["Technical Product Manager"]
    assert labels(search(user_client, "roles", "product"))[:2] == [
        "Product Manager",  # starts with the word
        "Technical Product Manager",  # has a word starting with it
    ]
    assert labels(search(user_client, "roles", "15-1252")) == ["Software Engineer"]


def test_industries_by_name_and_naics_code(user_client, shipped_menus):
    assert labels(search(user_client, "industries", "513200")) == ["Software Publishers"]
    assert labels(search(user_client, "industries", "software")) == ["Software Publishers"]
    assert labels(search(user_client, "industries", "finance"))[0] == "Finance and Insurance"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 500,
        "Seattle" * 70,  # 490 characters of a real name
        "%",
        "_",
        "'; DROP TABLE benchmarks_location; --",
        "<script>alert(1)</script>",
        "a\x00b",
        "\u202e",
    ],
)
def test_empty_long_or_odd_texts_answer_nothing_never_an_error(user_client, shipped_menus, text):
    response = search(user_client, "places", text)
    assert labels(response) == []
    assert 'role="option"' not in response.content.decode()


def test_bytes_that_are_not_utf8_answer_nothing(user_client, shipped_menus):
    response = user_client.get(reverse("benchmarks:search", args=["places"]) + "?q=%ff%fe%00")
    assert response.status_code == 200
    assert labels(response) == []


def test_a_search_reads_the_stamp_and_then_the_rows_once(
    user_client, shipped_menus, django_assert_num_queries
):
    url = reverse("benchmarks:search", args=["places"])
    # Session, user, the market-data version, and the place rows on the first search.
    with django_assert_num_queries(4):
        user_client.get(url, {"q": "Aus"})
    # The rows are kept for the version: session, user, version.
    with django_assert_num_queries(3):
        user_client.get(url, {"q": "Austin"})
    # A text that can match nothing reads no market data at all: session, user.
    with django_assert_num_queries(2):
        user_client.get(url, {"q": "x" * 500})


def test_an_edit_to_the_places_is_found_at_once(user_client, shipped_menus):
    assert labels(search(user_client, "places", "Austin")) == ["Austin-Round Rock-San Marcos, TX"]
    Location.objects.filter(bls_area_code="12420").update(name="Austin-Round Rock, TX")
    assert labels(search(user_client, "places", "Austin")) == ["Austin-Round Rock, TX"]


def test_an_unknown_menu_is_not_found(user_client, shipped_menus):
    response = user_client.get(reverse("benchmarks:search", args=["offers"]), {"q": "a"})
    assert response.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, shipped_menus):
    response = client.get(reverse("benchmarks:search", args=["places"]), {"q": "Austin"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_search_is_read_only(user_client, shipped_menus):
    response = user_client.post(reverse("benchmarks:search", args=["places"]), {"q": "Austin"})
    assert response.status_code == 405

"""Total pay placed in the best total band available: a shown community band, else an imported
total-compensation band, else none (said plainly, with what the community cell lacks).

The offer used throughout: base 200,000, a 10% target bonus (20,000), an RSU grant of 200,000
vesting over four years (50,000 a year), a 30,000 sign-on in year one, no benefits. Its average
yearly total is 200,000 + 20,000 + 50,000 = 270,000; its first-year total adds the sign-on:
300,000.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from benchmarks.lookup import Confidence
from offers.market import COMMUNITY, IMPORTED, market_positions
from offers.selectors import result_or_none
from tests.factories import (
    BandFactory,
    CommunityBandFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    ShareLinkFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def washington(market):
    return LocationFactory(name="Washington", kind="state", state_code="WA")


def offer_in(user, market, location=None, **terms):
    package = {
        "company": "Northwind",
        "base_salary": D("200000"),
        "bonus_percent": D("10"),
        "sign_on_year1": D("30000"),
        "equity_kind": "rsu",
        "equity_grant_value": D("200000"),
        "vesting_schedule": "four_year_cliff_monthly",
        "retirement_match_percent": D("0"),
        "retirement_match_rate_percent": D("0"),
    }
    return OfferFactory(
        owner=user,
        role=market["role"],
        level=market["level"],
        location=location or market["seattle"],
        **(package | terms),
    )


def community_band(market, location=None, **figures):
    """A shown cell of total pay: 25th 240,000, median 260,000, 75th 300,000, from 14 offers of
    6 companies (confidence medium), offers made Jan 2025–Nov 2026."""
    values = {
        "role": market["role"],
        "level": market["level"],
        "location": location or market["seattle"],
        "p10": None,
        "p25": D("240000"),
        "p50": D("260000"),
        "p75": D("300000"),
        "p90": None,
        "contributions": 14,
        "companies": 6,
        "earliest": datetime.date(2025, 1, 1),
        "latest": datetime.date(2026, 11, 1),
        "as_of": datetime.date(2026, 12, 1),
    }
    return CommunityBandFactory(**(values | figures))


def too_few(market, location=None, contributions=3, companies=2, status="too_few"):
    return community_band(
        market,
        location,
        status=status,
        p25=None,
        p50=None,
        p75=None,
        contributions=contributions,
        companies=companies,
    )


def imported_band(market):
    """A provider's total-compensation band for Senior TPMs in Seattle itself (so no location
    factor applies): 25th 250,000, median 280,000, 75th 320,000."""
    source = SourceFactory(
        name="Pay survey",
        kind="published",
        publisher="A pay-data provider",
        release="2026",
        effective_date=datetime.date(2026, 6, 1),
    )
    return BandFactory(
        occupation=market["role"].occupation,
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        component="total_comp",
        source=source,
        p10=None,
        p25=D("250000"),
        p50=D("280000"),
        p75=D("320000"),
        p90=None,
    )


def position_of(offer):
    return market_positions([offer], [result_or_none(offer)])[0]


def text_of(response) -> str:
    """The page's words, tags taken out and spaces joined, as a person reads them."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(
        "&#x27;", "'"
    )


# --- Which band, and where in it ----------------------------------------------------------


def test_average_yearly_total_sits_at_the_hand_computed_percentile(user, market):
    community_band(market)
    position = position_of(offer_in(user, market))
    # 270,000 between the median (260,000) and the 75th (300,000): 50 + 25 × 10,000 / 40,000.
    assert position.total.percentile == D("56.3")
    assert position.total.label == "56th percentile"
    # 300,000 is the 75th exactly.
    assert position.first_year.label == "at the 75th percentile"
    assert position.total_source == COMMUNITY
    assert position.total_band.confidence == Confidence.COMMUNITY_MEDIUM
    assert position.community_confidence == "medium"
    assert position.community.span == "Jan 2025–Nov 2026"


def test_the_community_band_wins_over_an_imported_one(user, market):
    community_band(market)
    imported_band(market)
    position = position_of(offer_in(user, market))
    assert position.total_source == COMMUNITY
    assert position.total_band.median == D("260000")


def test_the_imported_band_is_used_when_no_community_cell_is_shown(user, market):
    too_few(market)
    imported_band(market)
    position = position_of(offer_in(user, market))
    assert position.total_source == IMPORTED
    assert position.total_source_name == "Pay survey, 2026"
    # 270,000 between the 25th (250,000) and the median (280,000): 25 + 25 × 20,000 / 30,000.
    assert position.total.percentile == D("41.7")
    # 300,000 between the median and the 75th (320,000): 50 + 25 × 20,000 / 40,000 = 62.5.
    assert position.first_year.percentile == D("62.5")
    # The community cell still says what it lacks.
    assert position.community_lacking.contributions_needed == 2
    assert position.community_lacking.companies_needed == 1


def test_without_any_total_band_the_page_says_so_plainly(user_client, user, market):
    offer = offer_in(user, market)
    position = position_of(offer)
    assert (position.total_band, position.total, position.first_year) == (None, None, None)
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert "No total-compensation band here: official data covers base pay only" in page
    assert "no one on this site has added an offer for this role, level and place yet" in page


def test_a_cell_with_too_few_offers_says_how_many_more_are_needed(user_client, user, market):
    too_few(market, contributions=3, companies=2)
    offer = offer_in(user, market)
    assert position_of(offer).total_band is None
    needed = (
        "3 offers from 2 companies shared here so far; "
        "2 more offers from 1 more company needed for a band"
    )
    assert needed in text_of(user_client.get(offer.get_absolute_url()))
    assert needed in text_of(user_client.get(reverse("offers:list")))
    # The offers still needed must come from people the cell does not count yet.
    assert f"{needed}, from people not yet counted" in text_of(
        user_client.get(offer.get_absolute_url())
    )


def test_a_cell_with_enough_offers_but_too_few_companies_asks_only_for_companies(
    user_client, user, market
):
    too_few(market, contributions=5, companies=2)
    offer = offer_in(user, market)
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert "5 offers from 2 companies shared here so far; 1 more company needed for a band" in page


def test_the_states_cell_is_used_when_the_metros_is_not_shown(user, market, washington):
    seattle = market["seattle"]
    too_few(market, seattle)
    community_band(market, washington, p25=D("230000"), p50=D("250000"), p75=D("290000"))
    position = position_of(offer_in(user, market, seattle))
    assert position.total_source == COMMUNITY
    assert position.community.place == "Washington"
    # 270,000 between the median (250,000) and the 75th (290,000): 50 + 25 × 20,000 / 40,000.
    assert position.total.percentile == D("62.5")


def test_figures_are_rounded_to_the_nearest_thousand_below_thirty_offers(user_client, user, market):
    community_band(market, p25=D("241400"), p50=D("261600"), p75=D("299499"))
    offer = offer_in(user, market)
    band = position_of(offer).total_band
    assert (band.percentiles[25], band.median, band.percentiles[75]) == (
        D("241000"),
        D("262000"),
        D("299000"),
    )
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert "Median $262,000, 25th–75th $241,000–$299,000" in page


def test_figures_are_shown_to_the_dollar_from_thirty_offers(user, market):
    community_band(market, p50=D("261600"), contributions=30, companies=10)
    band = position_of(offer_in(user, market)).total_band
    assert band.median == D("261600")
    assert band.confidence == Confidence.COMMUNITY_HIGH


# --- Pages --------------------------------------------------------------------------------


SOURCE = "shared on this site: 14 offers from 6 companies, Jan 2025–Nov 2026, medium confidence"


def test_the_offer_page_places_both_totals_and_shows_where_the_band_comes_from(
    user_client, user, market
):
    community_band(market)
    offer = offer_in(user, market)
    response = user_client.get(offer.get_absolute_url())
    page = text_of(response)
    assert (
        "Average yearly total: 56th percentile of the total-compensation band for "
        "Seattle-Tacoma-Bellevue, WA" in page
    )
    assert "First-year total: at the 75th percentile of the same band" in page
    assert SOURCE in page
    assert "Total compensation here is the average yearly total" in page
    assert "Where the total-compensation band comes from" in page
    assert "offers made Jan 2025–Nov 2026" in page
    explorer = response.content.decode().split('data-testid="total-ladder-link"')[0]
    assert explorer.endswith('component=total_comp#ladder" ')
    # Community confidence has its own colour.
    assert (
        '<span class="badge text-bg-info" data-testid="total-confidence">Community, medium</span>'
        in response.content.decode()
    )
    assert "Offers people on this site contributed: at least 10 from at least 5 companies." in page
    assert (
        "Offers behind these figures: 14, each from a different person, from 6 companies; no "
        "person or company is named." in page
    )


def test_the_list_shows_the_total_placement_and_its_source(user_client, user, market):
    community_band(market)
    offer_in(user, market)
    page = text_of(user_client.get(reverse("offers:list")))
    assert "Total: 56th percentile (first year: at the 75th percentile)" in page
    assert SOURCE in page


def test_compare_places_each_offers_total(user_client, user, market):
    community_band(market)
    first = offer_in(user, market)
    second = offer_in(user, market, company="Contoso", base_salary=D("180000"))
    url = f"{reverse('offers:compare')}?offers={first.pk}&offers={second.pk}"
    page = text_of(user_client.get(url))
    # Contoso: 180,000 + 18,000 + 50,000 = 248,000 between the 25th (240,000) and the median
    # (260,000): 25 + 25 × 8,000 / 20,000 = 35; first year 278,000: 50 + 25 × 18,000 / 40,000.
    assert "Total: 56th percentile of the total-compensation band" in page
    assert "Total: 35th percentile of the total-compensation band" in page
    assert "first year: 61st percentile" in page
    assert page.count(SOURCE) == 2


@pytest.mark.parametrize("hidden", [[], ["location"]])
def test_a_shared_comparison_places_each_total_without_naming_a_hidden_place(
    client, user, market, hidden
):
    community_band(market)
    first = offer_in(user, market)
    second = offer_in(user, market, company="Contoso", base_salary=D("180000"))
    link = ShareLinkFactory(owner=user, offer_ids=[first.pk, second.pk], hidden_fields=hidden)
    page = text_of(client.get(reverse("shared_comparison", args=[link.token])))
    where = "its location's" if hidden else "the"
    place = "" if hidden else " for Seattle-Tacoma-Bellevue, WA"
    assert f"Total: 56th percentile of {where} total-compensation band{place}" in page
    assert f"Total: 35th percentile of {where} total-compensation band{place}" in page
    assert page.count(SOURCE) == 2
    if hidden:
        assert "Seattle" not in page


def test_a_shared_comparison_that_hides_the_market_shows_no_total_band(client, user, market):
    community_band(market)
    first, second = offer_in(user, market), offer_in(user, market, company="Contoso")
    link = ShareLinkFactory(owner=user, offer_ids=[first.pk, second.pk], hidden_fields=["market"])
    page = text_of(client.get(reverse("shared_comparison", args=[link.token])))
    assert "this site's data" not in page and "percentile" not in page


# --- Negotiation --------------------------------------------------------------------------


def test_the_total_pay_verdicts_use_the_community_band(user_client, user, market):
    community_band(market)
    offer = offer_in(user, market)
    response = user_client.get(reverse("offers:negotiate", kwargs={"pk": offer.pk}))
    verdicts = {v.what: v for v in response.context["verdicts"]}
    average, first_year = verdicts["Average yearly total"], verdicts["First-year total"]
    # 56.3 is from the 40th to under the 65th: fair; the first year at the 75th: strong.
    assert (str(average.verdict), average.position) == ("fair", "56th percentile")
    assert (str(first_year.verdict), first_year.position) == ("strong", "at the 75th percentile")
    assert average.confidence == "community, medium"
    assert average.band_label == (
        "total compensation for Senior Technical Product Managers in Seattle-Tacoma-Bellevue, WA"
    )
    assert SOURCE in text_of(response)


def test_the_email_and_talking_points_cite_the_band_with_its_count_and_confidence(
    user_client, user, market
):
    community_band(market)
    offer = offer_in(user, market)
    response = user_client.get(reverse("offers:negotiate", kwargs={"pk": offer.pk}))
    cited = (
        "around the 56th percentile of total compensation for Senior Technical Product Managers "
        "in Seattle-Tacoma-Bellevue, WA (14 offers, each from a different person, from 6 "
        "companies in this site's data, confidence medium)"
    )
    email = response.context["email"]
    assert "The offer's average yearly total of $270,000" in email
    assert cited in email
    assert (
        "the average yearly total of $270,000 is around the 56th percentile for Senior "
        "Technical Product Managers in Seattle-Tacoma-Bellevue, WA (14 offers, each from a "
        "different person, from 6 companies in this site's data, confidence medium)"
        in text_of(response)
    )


def test_a_band_that_is_not_shown_is_never_cited(user_client, user, market):
    too_few(market)
    offer = offer_in(user, market)
    response = user_client.get(reverse("offers:negotiate", kwargs={"pk": offer.pk}))
    assert "this site's data" not in response.context["email"]
    assert "total compensation for" not in response.context["email"]
    verdicts = {v.what: v for v in response.context["verdicts"]}
    assert str(verdicts["Average yearly total"].verdict) == "no market data"
    assert "2 more offers from 1 more company needed" in text_of(response)


def test_an_imported_band_is_cited_with_its_source(user_client, user, market):
    imported_band(market)
    offer = offer_in(user, market)
    email = user_client.get(reverse("offers:negotiate", kwargs={"pk": offer.pk})).context["email"]
    assert "around the 41st percentile of total compensation for Senior Technical" in email
    assert "(Pay survey, 2026, confidence: " in email


# --- The explorer -------------------------------------------------------------------------


def explore(client, market, **choices):
    params = {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "total_comp",
    }
    return client.get(reverse("benchmarks:explorer"), params | choices)


def test_the_explorer_shows_the_community_band_of_total_compensation(user_client, user, market):
    community_band(market)
    offer_in(user, market)
    response = explore(user_client, market)
    menu = [value for value, _ in response.context["form"].fields["component"].choices]
    assert menu == ["base", "total_comp"]
    assert response.context["band"].median == D("260000")
    page = text_of(response)
    assert SOURCE in page
    assert "$240,000 $260,000 $300,000" in page  # the percentiles' table
    # The person's offer on the ladder at its average yearly total, 270,000.
    assert "Senior: average yearly total $270,000, 56th percentile of this level's band" in page


def test_the_explorer_says_what_a_short_cell_lacks(user_client, market):
    too_few(market)
    page = text_of(explore(user_client, market))
    assert "There is no market band yet" in page
    assert (
        "This site's own data: 3 offers from 2 companies shared here so far; "
        "2 more offers from 1 more company needed for a band, from people not yet counted." in page
    )


def test_the_explorers_ladder_says_what_a_levels_short_cell_lacks(user_client, market):
    community_band(market)
    director = LevelFactory(name="Director", rank=50)
    community_band(
        market,
        level=director,
        status="too_few",
        p25=None,
        p50=None,
        p75=None,
        contributions=4,
        companies=3,
    )
    table = explore(user_client, market).content.decode()
    table = table[table.index('data-testid="ladder-table"') :]
    row = table[table.index(">Director</a>") :]
    row = row[: row.index("</tr>")]
    # 4 offers from 3 companies: one offer more is needed, the companies are enough.
    assert "No band for this level" in row
    assert "4 offers from 3 companies shared here so far; 1 more offer needed for a band" in row
    assert "1 more offer needed for a band, from someone not yet counted" in row


def test_a_capped_base_asks_the_gap_to_the_community_bands_60th_as_sign_on(
    user_client, user, market
):
    community_band(market)
    # Base 220,000 is above Seattle's base 75th (216,000): capped. Average yearly total
    # 220,000 + 22,000 + 40,000 / 4 = 252,000; the total band's 60th percentile is the median
    # plus 40% of the way to the 75th: 260,000 + 0.4 × 40,000 = 276,000; the gap 24,000.
    offer = offer_in(user, market, base_salary=D("220000"), equity_grant_value=D("40000"))
    response = user_client.get(reverse("offers:negotiate", kwargs={"pk": offer.pk}))
    sign_on = next(line for line in response.context["counter"].lines if line.key == "sign_on")
    assert sign_on.target == D("30000") + D("24000")
    assert "under the 60th percentile of total pay ($276,000)" in sign_on.reason


def test_demo_cells_show_only_where_demo_data_is_on_and_say_so(user_client, user, market, settings):
    community_band(market, is_demo=True)
    offer = offer_in(user, market)
    settings.COMMUNITY_DEMO_DATA = False
    assert position_of(offer).total_band is None
    settings.COMMUNITY_DEMO_DATA = True
    # The shared cache is keyed by the market data, not the setting: start afresh.
    cache.clear()
    assert position_of(offer).total_source == COMMUNITY
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert "shared on this site (demo data, made up for trying the site): 14 offers" in page


def test_the_explorer_shows_an_imported_band_and_what_the_community_cell_lacks(user_client, market):
    too_few(market)
    imported_band(market)
    response = explore(user_client, market)
    assert response.context["band"].median == D("280000")
    page = text_of(response)
    assert "imported: Pay survey, 2026" in page
    assert "This site's own data: 3 offers from 2 companies shared here so far" in page


def test_a_community_band_in_a_currency_without_a_rate_is_not_shown(user_client, user, market):
    community_band(market)
    offer = offer_in(user, market, currency="GBP")
    assert position_of(offer).total_band is None
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert "this site's band for it is in another currency with no exchange rate on file" in page


def test_a_cell_hidden_after_a_withdrawal_says_why_and_what_brings_it_back(
    user_client, user, market
):
    too_few(market, contributions=5, companies=5, status="refreshing")
    offer = offer_in(user, market)
    page = text_of(user_client.get(offer.get_absolute_url()))
    assert (
        "5 offers from 5 companies shared here so far; its band is hidden until 5 new offers "
        "from 3 companies, each from a different person, come in, since an offer it counted no "
        "longer counts" in page
    )

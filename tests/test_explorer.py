"""The market explorer page: who may see it, what it shows, and how it answers htmx."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks.models import BacktestFigure, LevelBasis, Source, WageGrowth
from tests.factories import (
    BandFactory,
    CompanySizeFactory,
    FactorFactory,
    IndustryFactory,
    LevelFactory,
    LocationFactory,
    OfferFactory,
    RoleFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
URL = reverse("benchmarks:explorer")


def params(market, **extra):
    return {
        "role": market["role"].pk,
        "level": market["level"].pk,
        "location": market["seattle"].pk,
        "component": "base",
    } | extra


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_without_offers_it_opens_on_a_senior_tpm_in_the_us(user_client, market):
    response = user_client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["role"].value(), form["level"].value(), form["location"].value()) == (
        market["role"].pk,
        market["level"].pk,
        market["nation"].pk,
    )
    assert response.context["band"].percentiles[50] == Decimal("155000")  # the guide's median
    # The places are grouped by kind in one select.
    assert b'<optgroup label="Metropolitan areas">' in response.content
    assert b'<optgroup label="Countries">' in response.content


def test_it_opens_on_the_persons_newest_offer(user_client, user, market):
    OfferFactory(owner=user, role=market["role"], level=market["level"], location=market["nation"])
    newest = OfferFactory(
        owner=user, role=market["role"], level=market["level"], location=market["seattle"]
    )

    response = user_client.get(URL)

    assert response.context["form"]["location"].value() == newest.location_id
    assert response.context["band"].percentiles[50] == Decimal("186000")  # 155,000 × 1.2


def test_without_market_data_the_page_invites_a_choice(user_client):
    response = user_client.get(URL)

    assert response.status_code == 200
    assert b"Choose a role and a place to see its band" in response.content


def test_shows_the_derived_band_with_its_provenance(user_client, market):
    response = user_client.get(URL, params(market))

    content = response.content.decode()
    assert response.status_code == 200
    # 130,000 / 155,000 / 180,000 × 1.2
    assert "$156,000" in content
    assert "$186,000" in content
    assert "$216,000" in content
    assert (
        "Base salary: Technical Product Manager · Senior · Seattle-Tacoma-Bellevue, WA" in content
    )
    assert "U.S. national band for Technical Product Manager, Senior (TPM salary guide, 2024)" in (
        content
    )
    assert "× 1.2000 " in content
    assert "median 117,000 ÷ U.S. median 97,500" in content
    assert "BLS Occupational Employment and Wage Statistics, May 2025 · effective 1 May 2025" in (
        content
    )
    assert response.context["band"].confidence == "derived"
    # Drawn once for a laptop and once for a phone (360 wide), and no third time.
    assert 'class="chart band-chart chart-only-wide" role="img" viewBox="0 0 640 ' in content
    assert (
        'class="chart band-chart chart-narrow chart-only-narrow" role="img" viewBox="0 0 360 '
        in content
    )
    assert content.count('class="chart band-chart') == 2
    # The whole page, with the form around the result.
    assert "<form" in content
    assert 'id="band-result"' in content


def test_htmx_request_gets_only_the_result_partial(user_client, market):
    response = user_client.get(URL, params(market), headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="band-result"')
    assert "<form" not in content
    assert "<html" not in content
    assert "$186,000" in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(user_client, market):
    response = user_client.get(
        URL, params(market), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert b"<html" in response.content


def test_a_selection_without_data_says_so(user_client, market):
    director = LevelFactory(name="Director", slug="director", rank=50)

    response = user_client.get(URL, params(market, level=director.pk))

    assert response.status_code == 200
    assert b"There is no market band yet for Technical Product Manager" in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"role": "abc", "location": "999999"},
        {"role": "1", "location": "99999999999999999999999999"},
        {"role": "-1", "location": "x", "level": "[]", "component": "salary"},
        {"industry": "0x10", "company_size": "%00"},
    ],
)
def test_garbage_parameters_get_a_message_not_an_error(user_client, market, query):
    response = user_client.get(URL, query)

    assert response.status_code == 200
    assert b"were not recognised" in response.content
    assert response.context["band"] is None


def test_only_role_chosen_prompts_for_the_rest(user_client, market):
    response = user_client.get(URL, {"role": market["role"].pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"Choose a role and a place" in response.content


def test_post_is_refused(user_client):
    assert user_client.post(URL).status_code == 405


def test_query_count_does_not_grow_with_the_data(user_client, market):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert user_client.get(URL, params(market, industry=industry.pk)).status_code == 200
        return len(queries)

    industry = IndustryFactory()
    small = count_queries()
    official = SourceFactory()
    for n in range(150):
        place = LocationFactory(name=f"Metro {n}", kind="metro", bls_area_code=f"{20000 + n}")
        BandFactory(occupation=market["role"].occupation, location=place, source=official)
        FactorFactory(location=place, occupation=market["role"].occupation, source=official)
    for n in range(20):
        IndustryFactory(name=f"Industry {n}", naics_code=f"9{n:03}")
        RoleFactory(name=f"Role {n}")

    assert count_queries() == small
    # Session and user, the stamp, the pay components that have bands, five choices checked,
    # the levels, up to six for the lookup, the person's offers, five menus rendered.
    assert small <= 22


# The career ladder ---------------------------------------------------------------------------


def own_band(market, level, p25, p50, p75):
    """The guide's U.S. band for ``level``, which stands on it."""
    BandFactory(
        occupation=market["role"].occupation,
        role=market["role"],
        level=level,
        location=market["nation"],
        source=market["guide"],
        p10=None,
        p25=D(p25),
        p50=D(p50),
        p75=D(p75),
        p90=None,
    )
    basis(market, level, method="own_band")


def basis(market, level, **fields):
    LevelBasis.objects.update_or_create(
        role=market["role"],
        level=level,
        defaults={"reason": "The guide's ladder", "source": market["guide"]} | fields,
    )


@pytest.fixture
def ladder(market):
    """Entry, Mid and Senior from the guide (× 1.2 in Seattle); Lead 10% above Senior; VP with
    nothing to stand on. Seattle: Entry 96,000 · 108,000 · 120,000; Mid 120,000 · 144,000 ·
    168,000; Senior 156,000 · 186,000 · 216,000; Lead 171,600 · 204,600 · 237,600."""
    market["guide"] = Source.objects.get(name="TPM salary guide")
    entry = LevelFactory(name="Entry", rank=10)
    mid = LevelFactory(name="Mid", rank=20)
    lead = LevelFactory(name="Lead", rank=40)
    vp = LevelFactory(name="VP", rank=60)
    own_band(market, entry, "80000", "90000", "100000")
    own_band(market, mid, "100000", "120000", "140000")
    basis(market, market["level"], method="own_band")
    basis(market, lead, method="step", step=D("1.1000"))
    return market | {"entry": entry, "mid": mid, "lead": lead, "vp": vp}


def test_the_ladder_shows_every_level_in_rank_order(user_client, ladder):
    response = user_client.get(URL, params(ladder))

    rows = response.context["ladder"]
    assert [str(level) for level, _, _ in rows] == ["Entry", "Mid", "Senior", "Lead", "VP"]
    medians = [rung.band.median if rung.band else None for _, rung, _ in rows]
    assert medians == [D("108000"), D("144000"), D("186000"), D("204600"), None]
    assert [rung.chosen for _, rung, _ in rows] == [False, False, True, False, False]
    content = response.content.decode()
    svg = content[content.index('class="chart ladder-chart"') :]
    for label in ("Median $108,000", "Median $144,000", "Median $186,000", "Median $204,600"):
        assert label in svg
    assert "No band for this level" in svg
    assert "Lead: median $204,600, $171,600–$237,600 (25th–75th)" in svg  # its description
    table = content[content.index('data-testid="ladder-table"') :]
    assert '<th scope="col">Level</th>' in table
    assert "<caption>Base salary by level: Technical Product Manager · Seattle" in table
    assert "$96,000–$120,000<br>25th–75th" in table
    assert ">Assumption</span>" in table  # Lead rests on an assumed step
    assert ">Derived</span>" in table
    assert '<td colspan="2">No band for this level</td>' in table
    assert 'aria-current="true"' in table


def test_the_ladder_is_in_the_htmx_partial_too(user_client, ladder):
    response = user_client.get(URL, params(ladder), headers={"HX-Request": "true"})

    assert 'id="ladder"' in response.content.decode()
    assert "Median $204,600" in response.content.decode()


def test_a_level_without_a_band_still_shows_the_ladder(user_client, ladder):
    response = user_client.get(URL, params(ladder, level=ladder["vp"].pk))

    content = response.content.decode()
    assert "There is no market band yet for Technical Product Manager · VP" in content
    assert "The career ladder below shows the levels that have one." in content
    assert "Median $186,000" in content


def test_your_offers_are_marked_at_their_level_and_nobody_elses(
    user_client, user, other_user, ladder
):
    seattle = ladder["seattle"]
    role = ladder["role"]
    mine = OfferFactory(
        owner=user, company="Acme", role=role, level=ladder["level"], location=seattle,
        base_salary=D("175000"),
    )  # fmt: skip
    OfferFactory(
        owner=user, company="Basin", role=role, level=ladder["mid"],
        location=LocationFactory(name="Austin, TX", kind="metro", bls_area_code="12420"),
        base_salary=D("130000"),
    )  # fmt: skip
    OfferFactory(owner=user, company="Euro GmbH", role=role, level=ladder["level"], currency="EUR")
    OfferFactory(owner=user, company="Unlevelled", role=role, level=None)
    OfferFactory(
        owner=other_user, company="Rival Co", role=role, level=ladder["level"], location=seattle,
        base_salary=D("199999"),
    )  # fmt: skip

    response = user_client.get(URL, params(ladder))

    content = response.content.decode()
    assert "Rival Co" not in content
    assert "$199,999" not in content
    # Numbered up the ladder: Mid's offer first.
    assert "Your offer 1: Basin, $130,000" in content
    assert "Your offer 2: Acme, $175,000" in content
    assert 'class="ladder-offer ladder-offer-elsewhere"' in content  # Basin is in Austin
    assert f'<a href="{mine.get_absolute_url()}">Acme</a>, Senior: base $175,000' in content
    assert "(an offer in Austin, TX, shown against Seattle-Tacoma-Bellevue, WA's band)" in content
    assert "Euro GmbH (in EUR; this ladder is in USD and amounts are not converted)" in content
    assert "Unlevelled (no level given)" in content
    rungs = {str(level): rung for level, rung, _ in response.context["ladder"]}
    assert [o.company for o in rungs["Senior"].offers] == ["Acme"]
    assert [o.company for o in rungs["Mid"].offers] == ["Basin"]


def test_another_persons_offers_never_reach_the_ladder(client, other_user, ladder):
    OfferFactory(owner=other_user, company="Rival Co", role=ladder["role"], level=ladder["level"])
    client.force_login(UserFactory())

    response = client.get(URL, params(ladder))

    assert response.context["your_offers"] == []
    assert "Rival Co" not in response.content.decode()
    assert "ladder-offer" not in response.content.decode()


def test_level_links_keep_the_other_choices(user_client, ladder):
    response = user_client.get(URL, params(ladder))

    content = response.content.decode()
    entry = ladder["entry"].pk
    expected = (
        f'href="?role={ladder["role"].pk}&amp;level={entry}&amp;location={ladder["seattle"].pk}'
        '&amp;component=base">Entry</a>'
    )
    assert expected in content


def test_the_offer_page_links_to_its_place_on_the_ladder(user_client, user, ladder):
    industry = IndustryFactory()
    size = CompanySizeFactory()
    offer = OfferFactory(
        owner=user, role=ladder["role"], level=ladder["level"], location=ladder["seattle"],
        industry=industry, company_size=size,
    )  # fmt: skip

    page = user_client.get(offer.get_absolute_url()).content.decode()

    link = re.search(r'<a href="([^"]+)" data-testid="ladder-link">([^<]+)</a>', page)
    assert link.group(2) == "See this level on the Technical Product Manager career ladder"
    url = html.unescape(link.group(1))
    path, _, rest = url.partition("?")
    query, _, fragment = rest.partition("#")
    assert path == URL
    assert fragment == "ladder"
    assert QueryDict(query).dict() == {
        "role": str(ladder["role"].pk),
        "level": str(ladder["level"].pk),
        "location": str(ladder["seattle"].pk),
        "industry": str(industry.pk),
        "company_size": str(size.pk),
        "component": "base",
    }
    explorer = user_client.get(url)
    assert explorer.status_code == 200
    assert [r.chosen for _, r, _ in explorer.context["ladder"]][2] is True
    assert explorer.context["query"].industry == industry


def test_the_offer_page_says_how_far_to_trust_its_band(user_client, user, ladder):
    official = Source.objects.get(name="BLS Occupational Employment and Wage Statistics")
    BacktestFigure.objects.create(
        source=official, kind="metro", cells=300, median_error=D("4.20"), p90_error=D("9.50"),
        computed_on=datetime.date(2025, 6, 1),
    )  # fmt: skip
    offer = OfferFactory(
        owner=user, role=ladder["role"], level=ladder["level"], location=ladder["seattle"]
    )

    page = user_client.get(offer.get_absolute_url()).content.decode()

    trust = page[page.index("Where this band comes from") :]
    assert "Derived: typically within ±4.2% of official figures (9 in 10 within ±9.5%)." in trust
    assert '<span class="badge text-bg-primary">Derived</span>' in trust
    band = user_client.get(URL, params(ladder)).context["band"]
    assert band.summary and band.summary in html.unescape(trust)


@pytest.mark.parametrize(
    ("aged", "confidence"), [(False, "official exact"), (True, "official, aged")]
)
def test_the_explorer_says_how_far_to_trust_the_band(user_client, market, aged, confidence):
    place = LocationFactory(name="Boise, ID", kind="metro", bls_area_code="14260")
    BandFactory(occupation=market["role"].occupation, location=place, employment=2340)
    if aged:
        WageGrowth.objects.create(
            yearly_rate=D("0.0360"), effective_date=datetime.date(2024, 1, 1),
            basis="Employment Cost Index", source=SourceFactory(name="ECI", release="2025"),
        )  # fmt: skip

    response = user_client.get(URL, params(market, location=place.pk, level=""))

    content = response.content.decode()
    band = response.context["band"]
    assert band.confidence == confidence
    # Official figures, as published or aged, both wear the success colour.
    badge = f'<span class="badge text-bg-success" data-testid="confidence">{confidence.capitalize()}</span>'
    assert badge in content
    assert "Official employment estimate behind these figures: 2,340 people." in content
    assert band.summary in html.unescape(content)


# The pay menu --------------------------------------------------------------------------------


def component_menu(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["component"].choices]


def test_the_pay_menu_offers_only_components_with_bands(user_client, market):
    assert component_menu(user_client.get(URL)) == ["base"]

    BandFactory(
        occupation=market["role"].occupation, location=market["nation"], component="total_comp"
    )
    response = user_client.get(URL)

    assert component_menu(response) == ["base", "total_comp"]
    assert b'<option value="total_cash"' not in response.content


def test_a_band_not_yet_in_effect_adds_no_component(user_client, market):
    later = SourceFactory(
        name="Future survey", release="2099", effective_date=datetime.date(2099, 1, 1)
    )
    BandFactory(
        occupation=market["role"].occupation, location=market["nation"], component="total_cash",
        source=later,
    )  # fmt: skip

    assert component_menu(user_client.get(URL)) == ["base"]


def test_a_component_without_bands_is_refused_politely(user_client, market):
    response = user_client.get(URL, params(market, component="total_comp"))

    assert response.status_code == 200
    assert b"were not recognised" in response.content


def test_the_form_pushes_its_choices_into_the_address(user_client, market):
    content = user_client.get(URL).content.decode()

    start = content.index('class="explorer-form"')
    form = content[content.rindex("<form", 0, start) : content.index(">", start)]
    assert 'method="get"' in form
    assert 'hx-get="/market/"' in form
    assert 'hx-push-url="true"' in form

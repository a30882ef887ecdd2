"""Total pay against the market, on a phone (375 px) and a laptop (1280 px): the offer's page and
Compare place each offer's average yearly and first-year totals in this site's community band,
with the band's counts and confidence, inside the screen's width."""

import datetime
import shutil
from decimal import Decimal as D

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.axe import axe_findings, require_axe
from tests.browser.conftest import ARTIFACTS, WIDTHS
from tests.browser.signing_in import sign_in_with_a_session
from tests.factories import (
    CommunityBandFactory,
    OfferFactory,
    UserFactory,
    seattle_senior_tpm_market,
)

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = "shared on this site: 14 offers from 6 companies, Jan 2025–Nov 2026, medium confidence"
# The page is no wider than the screen: nothing runs past its right edge.
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth - window.innerWidth"


def offer(user, market, company, base):
    """Base, a 10% bonus, 50,000 of equity a year and a 30,000 sign-on in year one."""
    return OfferFactory(
        owner=user,
        company=company,
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        base_salary=D(base),
        bonus_percent=D("10"),
        sign_on_year1=D("30000"),
        equity_grant_value=D("200000"),
        vesting_schedule="four_year_cliff_monthly",
        retirement_match_percent=D("0"),
        retirement_match_rate_percent=D("0"),
    )


@pytest.fixture
def world():
    market = seattle_senior_tpm_market()
    CommunityBandFactory(
        role=market["role"],
        level=market["level"],
        location=market["seattle"],
        p10=None,
        p25=D("240000"),
        p50=D("260000"),
        p75=D("300000"),
        p90=None,
        contributions=14,
        companies=6,
        earliest=datetime.date(2025, 1, 1),
        latest=datetime.date(2026, 11, 1),
        as_of=datetime.date(2026, 12, 1),
    )
    user = UserFactory()
    # Average yearly totals 270,000 and 248,000; first-year totals 300,000 and 278,000.
    return (
        user,
        offer(user, market, "Northwind", "200000"),
        offer(user, market, "Contoso", "180000"),
    )


def test_the_offer_page_places_total_pay_in_the_community_band(
    page, live_server, world, width, screenshot
):
    user, northwind, _ = world
    sign_in_with_a_session(page, live_server, user)
    page.goto(reverse("offers:detail", args=[northwind.pk]) + "#market-heading")
    total = page.get_by_test_id("total-position")
    expect(total.get_by_test_id("total-average")).to_contain_text(
        "Average yearly total: 56th percentile of the total-compensation band"
    )
    expect(total.get_by_test_id("total-first-year")).to_contain_text("at the 75th percentile")
    expect(total.get_by_test_id("total-source")).to_contain_text(SOURCE)
    expect(page.get_by_test_id("total-confidence")).to_have_text("Community, medium")
    expect(page.get_by_test_id("total-provenance")).to_contain_text("offers made Jan 2025–Nov 2026")
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0
    screenshot("offer")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    market = page.locator("section", has=page.get_by_role("heading", name="Against the market"))
    market.screenshot(path=ARTIFACTS / f"total-comp-offer-market-{page.width_name}.png")
    assert page.console_errors == [], page.console_errors


def test_compare_places_each_offers_total_pay(page, live_server, world, width, screenshot):
    user, northwind, contoso = world
    sign_in_with_a_session(page, live_server, user)
    page.goto(f"{reverse('offers:compare')}?offers={northwind.pk}&offers={contoso.pk}")
    totals = page.get_by_test_id("compare-total")
    expect(totals).to_have_count(2)
    expect(totals.nth(0)).to_contain_text("56th percentile of the total-compensation band")
    expect(totals.nth(1)).to_contain_text("35th percentile of the total-compensation band")
    expect(totals.nth(1)).to_contain_text("first year: 61st percentile")
    for n in range(2):
        expect(totals.nth(n)).to_contain_text(SOURCE)
    assert page.evaluate(WIDER_THAN_SCREEN) <= 0
    screenshot("compare")
    inputs = page.locator("section.compare-inputs")
    inputs.screenshot(path=ARTIFACTS / f"total-comp-compare-inputs-{page.width_name}.png")
    assert page.console_errors == [], page.console_errors


def test_pages_with_a_total_placement_have_no_serious_accessibility_violations(
    browser, live_server, world, width
):
    """axe-core on each page that places total pay in a community band (the main pages' world
    has none), as tests/browser/test_accessibility.py checks the main pages."""
    require_axe()
    user, northwind, contoso = world
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    sign_in_with_a_session(page, live_server, user)
    explorer = (
        f"{reverse('benchmarks:explorer')}?role={northwind.role_id}&level={northwind.level_id}"
        f"&location={northwind.location_id}&component=total_comp"
    )
    found = []
    try:
        for url in (
            reverse("offers:list"),
            reverse("offers:detail", args=[northwind.pk]),
            f"{reverse('offers:compare')}?offers={northwind.pk}&offers={contoso.pk}",
            reverse("offers:negotiate", args=[northwind.pk]),
            explorer,
        ):
            page.goto(url)
            found += axe_findings(page, url)
    finally:
        context.close()
    assert not found, "axe-core found:\n" + "\n".join(found)


@pytest.fixture
def java() -> str:
    """The Java that runs the Nu HTML Checker (as tests/browser/test_html_valid.py finds it)."""
    found = shutil.which("java")
    if found is None:
        pytest.skip("no Java found: the Nu HTML Checker needs it (default-jre-headless)")
    return found


def test_pages_with_a_total_placement_are_valid_html(client, world, java, tmp_path):
    """The Nu HTML Checker on each page that places total pay in a community band or says what
    the cell lacks, as tests/browser/test_html_valid.py checks the main pages."""
    import json
    import subprocess

    from tests.browser.test_html_valid import HTMX_ATTRIBUTE, vnu_jar
    from tests.factories import ShareLinkFactory

    user, northwind, contoso = world
    CommunityBandFactory(
        role=contoso.role,
        level=None,
        location=contoso.location,
        status="too_few",
        p10=None,
        p25=None,
        p50=None,
        p75=None,
        p90=None,
        contributions=3,
        companies=2,
    )
    contoso.level = None
    contoso.save()
    link = ShareLinkFactory(owner=user, offer_ids=[northwind.pk, contoso.pk])
    client.force_login(user)
    urls = {
        "list": reverse("offers:list"),
        "offer": reverse("offers:detail", args=[northwind.pk]),
        "offer-lacking": reverse("offers:detail", args=[contoso.pk]),
        "compare": f"{reverse('offers:compare')}?offers={northwind.pk}&offers={contoso.pk}",
        "negotiate": reverse("offers:negotiate", args=[northwind.pk]),
        "explorer": (
            f"{reverse('benchmarks:explorer')}?role={northwind.role_id}"
            f"&level={northwind.level_id}&location={northwind.location_id}&component=total_comp"
        ),
        "shared": reverse("shared_comparison", args=[link.token]),
    }
    files = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}, line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if not HTMX_ATTRIBUTE.match(m.get("message", ""))
    ]
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)

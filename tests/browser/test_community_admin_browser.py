"""This site's contributions in the admin, in a real browser at phone and laptop width: the
list by cell, leaving one out through the page that asks why (and says so when no reason is
given), and the community bands' list, without a console error or a failed request."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.admin_pages import make_admin_world, session_cookie
from tests.browser.axe import axe_findings, require_axe
from tests.browser.conftest import WIDTHS
from tests.browser.test_console_errors import Watch
from tests.factories import ContributionFactory, LocationFactory, SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_leaves_a_contribution_out_with_a_reason(
    width, page, live_server, screenshot
) -> None:
    world = make_admin_world()
    seattle = LocationFactory(name="Seattle-Tacoma-Bellevue, WA", kind="metro")
    typo = ContributionFactory(location=seattle, base="1650000", average_yearly_total="1724750")
    page.context.add_cookies([session_cookie(world.superuser, live_server.url)])
    watch = Watch(page, live_server.url)

    watch.where = "contributions"
    page.goto(reverse("admin:benchmarks_contribution_changelist"), wait_until="networkidle")
    expect(page.get_by_text("$1,650,000")).to_be_visible()
    screenshot("list")
    page.locator(f'input[name="_selected_action"][value="{typo.pk}"]').check()
    page.get_by_label("Action:").select_option(label="Leave out of community bands…")
    page.get_by_role("button", name="Run", exact=True).click()

    watch.where = "leave out, asked why"
    reason = page.get_by_label("Reason")
    expect(reason).to_be_visible()
    screenshot("asked-why")
    page.get_by_role("button", name="Leave out").click()
    watch.where = "leave out, no reason given"
    expect(page.locator(".field-excluded_reason .errorlist")).to_have_text(
        "Say why these contributions are left out."
    )
    screenshot("no-reason")
    page.get_by_label("Reason").fill("Base of $1.65M: a typo for $165,000")
    page.get_by_role("button", name="Leave out").click()

    watch.where = "contributions, one left out"
    expect(page.get_by_text("Left out: Base of $1.65M: a typo for $165,000")).to_be_visible()
    watch.where = "contributions of one cell"
    cell = f"role__id__exact={typo.role_id}&level__id__exact={typo.level_id}&place={seattle.pk}"
    # Its own requests (the icon) finished before the next page, as every other look here waits.
    page.goto(
        f"{reverse('admin:benchmarks_contribution_changelist')}?{cell}", wait_until="networkidle"
    )
    expect(page.locator(".cell-summary")).to_have_text(
        "In Technical Product Manager Senior, Seattle-Tacoma-Bellevue, WA: 0 contributions "
        "counted, from 0 companies; 1 left out."
    )
    screenshot("one-cell")
    watch.where = "community bands"
    page.goto(reverse("admin:benchmarks_communityband_changelist"), wait_until="networkidle")
    screenshot("community-bands")
    assert watch.problems == [], "\n".join(watch.problems)
    assert page.console_errors == []


def test_a_providers_total_pay_sheet_previews_with_an_unknown_component_in_its_row(
    width, page, live_server, screenshot, tmp_path
) -> None:
    world = make_admin_world()
    SourceFactory(name="Pay survey", kind="published", release="H2 2025")
    page.context.add_cookies([session_cookie(world.superuser, live_server.url)])
    sheet = tmp_path / "total-pay.csv"
    sheet.write_text(
        "role,level,location,component,p25,p50,p75,source,source_release\n"
        "Technical Product Manager,Senior,99,Total compensation,205000,236000,268500,"
        "Pay survey,H2 2025\n"
        "Technical Product Manager,Senior,99,Equity,40000,50000,60000,Pay survey,H2 2025\n"
    )

    page.goto(reverse("admin:benchmarks_band_import"))
    page.set_input_files("#id_import_file", str(sheet))
    page.select_option("#id_format", label="csv")
    page.get_by_role("button", name="Submit").click()

    row = page.locator("table.import-invalid-rows tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td.row-errors li")).to_have_text(
        "component: “Equity” is not a component: use Base salary (base), Total cash "
        "(total_cash) or Total compensation (total_comp)."
    )
    screenshot("total-pay-preview")
    assert page.console_errors == []


def test_the_community_pages_have_no_serious_accessibility_violation(
    width, browser, live_server
) -> None:
    require_axe()
    world = make_admin_world()
    contribution = ContributionFactory()
    # axe is injected as a script, so this context alone sets the content security policy aside.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True
    )
    context.add_cookies([session_cookie(world.superuser, live_server.url)])
    page = context.new_page()
    found = []

    def check(name: str) -> None:
        found.extend(axe_findings(page, name))

    try:
        for name, url in [
            ("contributions", reverse("admin:benchmarks_contribution_changelist")),
            (
                "a contribution",
                reverse("admin:benchmarks_contribution_change", args=[contribution.pk]),
            ),
            ("community bands", reverse("admin:benchmarks_communityband_changelist")),
        ]:
            page.goto(url)
            check(name)
        page.goto(reverse("admin:benchmarks_contribution_changelist"))
        page.locator(f'input[name="_selected_action"][value="{contribution.pk}"]').check()
        page.get_by_label("Action:").select_option(label="Leave out of community bands…")
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_role("button", name="Leave out").click()
        expect(page.locator(".field-excluded_reason .errorlist")).to_be_visible()
        check("leave out, no reason given")
    finally:
        context.close()
    assert found == [], "\n".join(found)

"""The market-data admin in a real browser, at phone and laptop width, under the site's content
security policy: the band export's "Select all", the import preview's row errors and changes,
the sheet pages' breadcrumb bar and the site's icon, and axe-core on the pages changed for them."""

import pytest
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.admin_pages import (
    BAD_ROW_ERRORS,
    UPDATE_SHEET_ROW,
    csv_rows,
    make_admin_world,
    preview_sheet,
    session_cookie,
)
from tests.browser.axe import axe_findings, require_axe
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.django_db(transaction=True)


BAR_STYLE = """bar => ({
    background: getComputedStyle(bar).backgroundColor,
    padding: getComputedStyle(bar).padding,
    crumb: getComputedStyle(bar.querySelector("li")).display,
})"""
EXPORT_COLUMNS = 18  # occupation … effective_date: every column of BandResource


@pytest.fixture
def admin_page(width, page, live_server):
    page.context.add_cookies([session_cookie(make_admin_world().superuser, live_server.url)])
    return page


def test_select_all_on_the_band_export_clears_and_ticks_every_column(admin_page, screenshot):
    page = admin_page
    page.goto(reverse("admin:benchmarks_band_export"))
    select_all = page.get_by_label("Select all")
    columns = page.locator(".selectable-field-export-row input[type=checkbox]:not(.select-toggle)")
    expect(columns).to_have_count(EXPORT_COLUMNS)
    expect(select_all).to_be_checked()

    select_all.uncheck()
    assert [box.is_checked() for box in columns.all()] == [False] * EXPORT_COLUMNS
    page.get_by_label("P50", exact=True).check()
    # One column of 18 ticked: "Select all" shows "some", neither ticked nor clear.
    assert select_all.evaluate("box => [box.checked, box.indeterminate]") == [False, True]
    screenshot("one-column")

    page.get_by_label("Format").select_option(label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    # The one band of make_admin_world, its median only: BandFactory's 110,000.
    assert csv_rows(download.value.path().read_bytes()) == [["p50"], ["110000"]]

    select_all.check()
    assert [box.is_checked() for box in columns.all()] == [True] * EXPORT_COLUMNS
    assert select_all.evaluate("box => box.indeterminate") is False
    screenshot("all-columns")
    assert page.console_errors == []


def test_the_import_preview_shows_each_rows_errors_in_the_row(admin_page, screenshot, tmp_path):
    page = admin_page
    preview_sheet(page, tmp_path)

    rows = page.locator("table.import-invalid-rows tbody tr")
    expect(rows).to_have_count(1)
    errors = rows.first.locator("td.row-errors li")
    # Readable as it is: no hover, no tap, and on a phone without scrolling sideways.
    expect(errors).to_have_text(list(BAD_ROW_ERRORS))
    for error in errors.all():
        box = error.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[page.width_name]
    # The sheet's other columns scroll inside their box; the page itself does not widen.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[page.width_name]
    screenshot("preview")
    assert page.console_errors == []


def test_the_import_preview_marks_what_a_sheet_changes(admin_page, screenshot, tmp_path):
    page = admin_page
    preview_sheet(page, tmp_path, UPDATE_SHEET_ROW)

    row = page.locator("table.import-preview tr.update")
    expect(row).to_have_count(1)
    expect(row.locator("td.import-type")).to_have_text("Update")
    # The median 110000 → 115000: the "0" struck out in pink, the "5" put in on green.
    removed, added = row.locator("del"), row.locator("ins")
    expect(removed).to_have_text(["0"])
    expect(added).to_have_text(["5"])
    assert removed.evaluate("mark => getComputedStyle(mark).backgroundColor") == (
        "rgb(255, 230, 230)"  # #ffe6e6
    )
    assert added.evaluate("mark => getComputedStyle(mark).backgroundColor") == (
        "rgb(230, 255, 230)"  # #e6ffe6
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[page.width_name]
    screenshot("update")
    assert page.console_errors == []


@pytest.mark.parametrize("sheet_page", ["import", "export"])
def test_the_sheet_pages_have_the_admin_breadcrumb_bar_and_the_site_icon(
    admin_page, live_server, sheet_page
):
    page = admin_page
    page.goto(reverse("admin:benchmarks_band_changelist"))
    bar_on_the_list = page.locator("ol.breadcrumbs").evaluate(BAR_STYLE)
    page.goto(reverse(f"admin:benchmarks_band_{sheet_page}"))

    bar = page.get_by_role("navigation", name="Breadcrumbs")
    expect(bar.get_by_role("listitem")).to_have_text(
        ["Home", "Market data", "Bands", sheet_page.capitalize()]
    )
    # Styled as on every other admin page: the dark blue bar, its padding, crumbs in one line.
    assert bar.locator("ol").evaluate(BAR_STYLE) == bar_on_the_list
    assert bar_on_the_list["background"] == "rgb(38, 75, 93)"  # Django's --breadcrumbs-bg
    assert bar_on_the_list["crumb"] == "inline-block"

    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon == static("img/favicon.svg")
    answer = page.request.get(live_server.url + icon)
    assert (answer.status, answer.headers["content-type"]) == (200, "image/svg+xml")
    # Whatever asks for /favicon.ico is sent to the same icon.
    answer = page.request.get(live_server.url + "/favicon.ico")
    assert (answer.status, answer.url) == (200, live_server.url + icon)
    assert page.console_errors == []


def test_the_sheet_pages_have_no_serious_accessibility_violation(
    width, browser, live_server, tmp_path
):
    require_axe()
    world = make_admin_world()
    band = world.band.pk
    # axe is injected as a script, so this context alone sets the content security policy aside.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[width], "height": 900},
        bypass_csp=True,
    )
    context.add_cookies([session_cookie(world.superuser, live_server.url)])
    page = context.new_page()
    found = []

    def check(name: str) -> None:
        found.extend(axe_findings(page, name))

    try:
        for name, url in [
            ("band list", reverse("admin:benchmarks_band_changelist")),
            ("band history", reverse("admin:benchmarks_band_history", args=[band])),
            ("band export", reverse("admin:benchmarks_band_export")),
            ("band import", reverse("admin:benchmarks_band_import")),
        ]:
            page.goto(url)
            check(name)
        preview_sheet(page, tmp_path)
        check("preview with a bad row")
        preview_sheet(page, tmp_path, UPDATE_SHEET_ROW)
        check("preview of a changed median")
    finally:
        context.close()
    assert found == [], "axe-core found:\n" + "\n".join(found)

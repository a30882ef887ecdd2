"""Every main page, signed out, signed in and in the admin, opens in a real browser without a
console error (a script failing, something the content security policy blocks) and without a
request that fails (a 404 or 500 for a stylesheet, script, image or htmx fragment).

One walk per visitor and width, through every page that visitor sees: the site's own pages from
tests/browser/main_pages.py, and for a superuser the admin's from tests/browser/admin_pages.py,
ending on import previews of a sheet with an erroneous row and of one that changes a band.
"""

import pytest

from tests.browser.admin_pages import (
    UPDATE_SHEET_ROW,
    admin_pages,
    make_admin_world,
    preview_sheet,
)
from tests.browser.admin_pages import session_cookie as signed_in
from tests.browser.main_pages import make_world, pages

pytestmark = pytest.mark.django_db(transaction=True)

# The only page whose own address answers other than 200: the one that shows the 404 page.
EXPECTED_STATUS = {"/no-such-page/": 404}


class Watch:
    """What goes wrong in the browser, each problem noted with the page it happened on."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.where, self.problems = "start", []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.note(f"uncaught {error}"))
        page.on("response", self.response)
        page.on("requestfailed", self.failed)

    def note(self, problem: str) -> None:
        self.problems.append(f"{self.where}: {problem}")

    def console(self, message) -> None:
        if message.type != "error":
            return
        # Chrome reports an error page's own status as a console error; only that is expected.
        own_status = message.location.get("url", "").removeprefix(self.base_url)
        if message.text.startswith(
            f"Failed to load resource: the server responded with a status of "
            f"{EXPECTED_STATUS.get(own_status)} "
        ):
            return
        self.note(f"console: {message.text}")

    def response(self, response) -> None:
        request = response.request
        expected = 200
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            expected = EXPECTED_STATUS.get(response.url.removeprefix(self.base_url), 200)
        if response.status >= 400 and response.status != expected:
            self.note(f"{response.status} for {request.resource_type} {response.url}")

    def failed(self, request) -> None:
        self.note(f"{request.resource_type} {request.url} failed: {request.failure}")

    def walk(self, visits) -> None:
        for name, url in visits:
            self.where = f"{name} ({url})"
            # Wait for the page's own requests too (htmx fragments, charts) before leaving it.
            self.page.goto(url, wait_until="networkidle")


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_the_sites_pages_open_without_a_console_error_or_failed_request(
    page, width, live_server, who
):
    world = make_world()
    if who == "owner":
        page.context.add_cookies([signed_in(world.owner, live_server.url)])
    visits = [(name, url) for name, page_who, url in pages(world) if page_who == who]

    # A page answered with an error status is opened in a tab of its own, so the browser's own
    # report of that status stays out of the console checked for every other page.
    error_pages = [(name, url) for name, url in visits if url in EXPECTED_STATUS]
    watch = Watch(page, live_server.url)
    watch.walk([visit for visit in visits if visit not in error_pages])
    other_tab = Watch(page.context.new_page(), live_server.url)
    other_tab.walk(error_pages)

    assert other_tab.problems == [], "\n".join(other_tab.problems)
    assert visits, f"tests/browser/main_pages.py lists no page for {who}"
    assert watch.problems == [], "\n".join(watch.problems)
    assert page.console_errors == []


def test_the_admins_pages_open_without_a_console_error_or_failed_request(
    page, width, live_server, tmp_path
):
    world = make_admin_world()
    page.context.add_cookies([signed_in(world.superuser, live_server.url)])
    visits = admin_pages(world)

    watch = Watch(page, live_server.url)
    watch.walk(visits)
    watch.where = "band import preview with a bad row"
    preview_sheet(page, tmp_path)
    page.wait_for_load_state("networkidle")
    watch.where = "band import preview of a changed median"
    preview_sheet(page, tmp_path, UPDATE_SHEET_ROW)
    page.wait_for_load_state("networkidle")

    # index + 15 market models × (list + change) + 12 add pages (back-test figures, contributions
    # and community bands have none)
    # + 5 histories (level bases, wage growth, factors, exchange rates, bands) + import + export
    # = 1 + 30 + 12 + 5 + 2 = 50 pages.
    assert len(visits) == 50
    assert watch.problems == [], "\n".join(watch.problems)
    assert page.console_errors == []

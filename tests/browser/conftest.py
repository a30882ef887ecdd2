"""Browser tests: real headless Chromium, driven by Playwright.

Browser downloads are impossible here, so Playwright drives the installed `chromium`
(Debian's package) or the binary named by CHROMIUM_PATH. Without one, the tests are
skipped with a plain message — unless REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# tests themselves (creating users, reading rows) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or next(
    (path for name in ("chromium", "chromium-browser") if (path := shutil.which(name))), None
)
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM or not browser_items:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            "REQUIRE_BROWSER=1 but no Chromium was found (install Debian's chromium "
            "or set CHROMIUM_PATH)."
        )
    skip = pytest.mark.skip(reason="no Chromium found: browser tests not run (set CHROMIUM_PATH)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite():
    """The live server answers one request at a time when the suite runs on SQLite, whose test
    database lives in memory. Then the server's threads and the test share one connection (the
    only way they see the same database), and two requests at once (a page and its htmx preview)
    can read each other's rows: a flaky 500. Django's single-threaded server closes every
    connection after its answer, so the browser never waits on one kept open."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneRequestAtATime(WSGIServer):
        # The server thread itself takes the shared connection (LiveServerThread.run), so the
        # override the threaded server passes to each request's thread has nothing left to do.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = OneRequestAtATime


# The two widths every screen is checked at: a phone and a laptop.
WIDTHS = {"phone": 375, "desktop": 1280}
# Screenshots taken by the tests land here (kept by CI as artefacts of the run, never committed).
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "test-artifacts/browser"))


@pytest.fixture(params=list(WIDTHS))
def width(request) -> str:
    """Run the test once on a phone (375 px) and once on a laptop (1280 px)."""
    return request.param


@pytest.fixture
def page(request, browser, live_server):
    width = request.getfixturevalue("width") if "width" in request.fixturenames else "desktop"
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[width], "height": 900 if width == "desktop" else 800},
        is_mobile=width == "phone",
        has_touch=width == "phone",
    )
    page = context.new_page()
    page.width_name = width
    page.set_default_timeout(15_000)
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = console_errors
    yield page
    context.close()


@pytest.fixture
def screenshot(request, page):
    """screenshot("what") saves a full-page picture named after the test, its width and `what`."""

    def take(what: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        test = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")
        path = ARTIFACTS / f"{test}--{what}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take

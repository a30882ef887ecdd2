"""axe-core in every main page, signed out and signed in, on a phone and a laptop: no serious or
critical violation.

axe-core comes from the npm registry (package.json, installed by `make install-dev` with npm ci).
The pages forbid inline scripts (CSP), so the browser context for this check bypasses the policy
to inject axe; the policy itself is proven in tests/test_security.py.
"""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import WIDTHS
from tests.browser.main_pages import make_world, pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if AXE.exists():
        return AXE.read_text()
    message = (
        f"axe-core is not installed ({AXE} is missing): run `make install-dev`, which runs "
        "`npm ci` (needs Node.js and npm)"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def serious_violations(browser, live_server, axe_source, world, who, width) -> list[str]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True
    )
    if who == "owner":
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(world.owner)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page = context.new_page()
    found = []
    try:
        for name, page_who, url in pages(world):
            if page_who != who:
                continue
            page.goto(url)
            page.add_script_tag(content=axe_source)
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            for violation in result["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:5])
                    found.append(
                        f"{name} ({url}): {violation['impact']} {violation['id']} — "
                        f"{violation['help']} — at {targets}"
                    )
    finally:
        context.close()
    return found


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, axe_source, who, width
):
    world = make_world()
    found = serious_violations(browser, live_server, axe_source, world, who, width)
    assert not found, "axe-core found:\n" + "\n".join(found)

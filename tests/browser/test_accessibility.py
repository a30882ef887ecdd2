"""axe-core in every main page, signed out and signed in, on a phone and a laptop: no serious or
critical violation.

axe-core comes from the npm registry (package.json, installed by `make install-dev` with npm ci).
The pages forbid inline scripts (CSP), so the browser context for this check bypasses the policy
to inject axe; the policy itself is proven in tests/test_security.py.
"""

import pytest

from tests.browser.axe import axe_findings, require_axe
from tests.browser.conftest import WIDTHS
from tests.browser.main_pages import make_world, pages
from tests.browser.signing_in import sign_in_with_a_session

pytestmark = pytest.mark.django_db(transaction=True)


def serious_violations(browser, live_server, world, who, width) -> list[str]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    if who == "owner":
        sign_in_with_a_session(page, live_server, world.owner)
    found = []
    try:
        for name, page_who, url in pages(world):
            if page_who == who:
                page.goto(url)
                found += axe_findings(page, f"{name} ({url})")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, who, width):
    require_axe()
    world = make_world()
    found = serious_violations(browser, live_server, world, who, width)
    assert not found, "axe-core found:\n" + "\n".join(found)

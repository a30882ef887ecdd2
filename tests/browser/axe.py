"""axe-core in a page: its serious and critical violations, said the same way by every test.

axe comes from npm (`package-lock.json`, installed by `make install-dev`). Without it a test is
skipped with a message, or fails under REQUIRE_BROWSER=1 (CI). A page's context must bypass the
content security policy (`bypass_csp=True`): axe is injected as a script."""

import json
import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


def require_axe() -> None:
    if AXE.exists():
        return
    message = (
        f"axe-core is not installed ({AXE} is missing): run `make install-dev`, which runs "
        "`npm ci` (needs Node.js and npm)"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def axe_findings(page, where: str, *, include: list[list[str]] | None = None) -> list[str]:
    """The serious and critical violations axe finds in the page (or in `include`, a list of
    selectors), each as one line naming `where`, the rule, its help and the first elements."""
    page.add_script_tag(path=str(AXE))
    scope = "document" if include is None else json.dumps({"include": include})
    result = page.evaluate(f"async () => await axe.run({scope}, {{resultTypes: ['violations']}})")
    return [
        f"{where}: {v['impact']} {v['id']} — {v['help']} — at "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]

"""bandit over OfferBench's own code: no medium or high finding without a written reason.

A reason is the one ruff already asks for: ruff's S rules are bandit's checks under another
prefix (bandit B308 is ruff S308), so `# noqa: S308 - why it is safe` beside the flagged
statement answers both tools. `# nosec B308 - why` works too, and so does a bare `# noqa: S608`
under a comment line that says why. A suppression with no reason still fails.

Run: .venv/bin/python scripts/scan/bandit_check.py   (exit 1 when a finding has no reason)
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The app, its scripts and its tests; folders that do not exist yet are skipped.
CODE = [
    name
    for name in (
        "accounts",
        "benchmarks",
        "config",
        "offers",
        "perf",
        "scripts",
        "tests",
        "manage.py",
    )
    if (ROOT / name).exists()
]
EXCLUDE = "*/migrations/*,*/.venv/*,*/node_modules/*"
# bandit checks whose ruff twin has another number.
RUFF_TWIN = {"B703": "S308"}  # django_mark_safe ↔ suspicious-mark-safe-usage


def ruff_code(test_id: str) -> str:
    return RUFF_TWIN.get(test_id, "S" + test_id[1:])


def has_reason(finding: dict, lines: list[str]) -> bool:
    """True when a line of the flagged statement suppresses this check and says why."""
    test_id = finding["test_id"]
    codes = f"(?:{re.escape(test_id)}|{re.escape(ruff_code(test_id))})"
    suppressed = re.compile(rf"#\s*(?:noqa|nosec)\b[:\s]*[\w, ]*{codes}\b[\w, ]*(.*)")
    first, last = min(finding["line_range"]), max(finding["line_range"])
    for line in lines[first - 1 : last]:
        if match := suppressed.search(line):
            said_beside = re.match(r"\s*[-—:]\s*\w+", match.group(1))
            said_above = first > 1 and lines[first - 2].strip().startswith("# ")
            return bool(said_beside or said_above)
    return False


def findings() -> list[dict]:
    bandit = Path(sys.executable).with_name("bandit")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [str(bandit), "-q", "-r", *CODE, "-x", EXCLUDE, "-f", "json", "--severity-level", "medium"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1) or not result.stdout:
        raise SystemExit(f"bandit did not run:\n{result.stderr}")
    report = json.loads(result.stdout)
    if report["errors"]:
        raise SystemExit(f"bandit could not read some files: {report['errors']}")
    return report["results"]


def unexplained() -> tuple[list[dict], list[dict]]:
    """(findings without a written reason, findings with one)."""
    bare, reasoned = [], []
    for finding in findings():
        lines = (ROOT / finding["filename"]).read_text().splitlines()
        (reasoned if has_reason(finding, lines) else bare).append(finding)
    return bare, reasoned


def describe(finding: dict) -> str:
    return (
        f"{finding['filename']}:{finding['line_number']} {finding['test_id']} "
        f"{finding['issue_severity']}: {finding['issue_text']}"
    )


def main() -> int:
    bare, reasoned = unexplained()
    for finding in reasoned:
        print(f"reasoned  {describe(finding)}")
    for finding in bare:
        print(f"NO REASON {describe(finding)}")
    print(
        f"bandit: {len(bare) + len(reasoned)} medium/high findings, "
        f"{len(reasoned)} with a written reason, {len(bare)} without"
    )
    return 1 if bare else 0


if __name__ == "__main__":
    sys.exit(main())

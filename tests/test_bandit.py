"""bandit over the project's code: every medium or high finding carries a written reason."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "scan" / "bandit_check.py"
spec = importlib.util.spec_from_file_location("bandit_check", SCRIPT)
bandit_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bandit_check)


def test_no_medium_or_high_finding_without_a_reason():
    bare, _ = bandit_check.unexplained()
    assert bare == [], "bandit findings with no written reason:\n" + "\n".join(
        bandit_check.describe(finding) for finding in bare
    )


def finding(test_id: str, first: int, last: int | None = None) -> dict:
    return {"test_id": test_id, "line_range": list(range(first, (last or first) + 1))}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["x = mark_safe(s)  # noqa: S308 - escaped by format_html"], True),
        (["x = mark_safe(s)  # nosec B703 - escaped by format_html"], True),
        (["# Only quoted names are interpolated", "sql = f'...'  # noqa: S308"], True),
        (["x = mark_safe(s)  # noqa: S308"], False),
        (["x = mark_safe(s)  # noqa: S608 - wrong check"], False),
        (["x = mark_safe(s)"], False),
    ],
)
def test_a_reason_is_words_beside_or_above_the_suppression(lines, expected):
    assert bandit_check.has_reason(finding("B703", len(lines)), lines) is expected

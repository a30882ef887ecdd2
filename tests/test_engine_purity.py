"""The compensation engine is plain Python: it imports nothing from Django, so it can be read,
tested and reused without a project around it."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The arithmetic of offers, comparisons, counter-offers and band positions.
ENGINE = [
    "offers.compensation",
    "offers.comparison",
    "offers.negotiation",
    "offers.rounds",
    "offers.take_home",
    "offers.after_tax",
    "offers.equity_scenarios",
    "offers.timeline",
    "benchmarks.percentiles",
    "benchmarks.money",
]


def django_modules_after(imports: str) -> str:
    """The Django modules loaded by `imports` in a fresh interpreter with no settings."""
    probe = (
        f"import sys\nimport {imports}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("module", ENGINE)
def test_an_engine_module_imports_no_django(module):
    assert django_modules_after(module) == "", f"{module} pulls in Django"


def test_the_probe_sees_django_when_it_is_imported():
    # The check above can fail: an engine module importing Django would show up.
    assert "django.utils.html" in django_modules_after("offers.compensation, django.utils.html")

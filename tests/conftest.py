import os

import pytest
from django.core.cache import cache
from hypothesis import settings

from benchmarks import community_build
from tests.factories import TEST_PASSWORD, UserFactory, seattle_senior_tpm_market

TEST_SETTINGS = "config.settings.test"


def pytest_configure(config):
    # pytest-django lets an exported DJANGO_SETTINGS_MODULE win over pyproject.toml's: a shell
    # left on the development or production settings would test those, and fail oddly.
    from django.conf import settings as django_settings

    if django_settings.SETTINGS_MODULE != TEST_SETTINGS:
        raise pytest.UsageError(
            f"The suite runs with {TEST_SETTINGS} (pyproject.toml), not "
            f"{django_settings.SETTINGS_MODULE}: unset DJANGO_SETTINGS_MODULE."
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Views may cache market lookups; each test starts from nothing.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fair_share_limit(monkeypatch):
    # Tests ask for pages far faster than people do; tests/test_fair_share.py sets its own.
    from offers import fair_share

    monkeypatch.setattr(fair_share, "FAIR_SHARE", fair_share.FairShare(burst=float("inf")))


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def market(db):
    """See tests.factories.seattle_senior_tpm_market."""
    return seattle_senior_tpm_market()


# CI replays the same examples every run, so a submission never fails on a draw of the dice;
# everywhere else hypothesis explores new inputs each time and keeps failures it finds.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def rebuilds(monkeypatch):
    """Each rebuild asked for: its cells, or None for a full rebuild (the rebuild itself is
    tested with its module, and in tests that must see a band)."""
    asked: list[set | None] = []

    def record(*, cells=None, **kwargs):
        asked.append(set(cells) if cells is not None else None)
        return community_build.RebuildReport()

    monkeypatch.setattr(community_build, "rebuild_community_bands", record)
    return asked

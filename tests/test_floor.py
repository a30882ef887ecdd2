import subprocess
import sys

import pytest
from django.urls import reverse

from core.floor import FLOOR_BODY

pytestmark = pytest.mark.django_db


def test_floor_answers_its_constant(client):
    response = client.get(reverse("perf-floor"))
    assert response.status_code == 200
    assert response.content == FLOOR_BODY
    assert response["Content-Type"].startswith("text/plain")


def test_floor_answers_only_get(client):
    assert client.post(reverse("perf-floor")).status_code == 405


def test_the_signed_in_floor_answers_its_constant_after_the_session_and_the_user(
    user_client, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the session, the user
        response = user_client.get(reverse("perf-floor-signed-in"))
    assert response.status_code == 200
    assert response.content == FLOOR_BODY


def test_the_signed_in_floor_is_behind_the_sign_in(client):
    response = client.get(reverse("perf-floor-signed-in"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("flag", "served"), [("0", False), ("1", True)])
def test_production_serves_the_floor_only_when_benchmarking(flag, served):
    from tests.test_security import ROOT, production_env

    code = (
        "import django; django.setup(); from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/perf/floor'); print('served')\n"
        "except Resolver404:\n    print('absent')"
    )
    env = production_env(OFFERBENCH_PERF_FLOOR=flag)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ("served" if served else "absent")

import pytest
from django.urls import reverse

from config.floor import FLOOR_BODY

pytestmark = pytest.mark.django_db


def test_floor_answers_its_constant(client):
    response = client.get(reverse("perf-floor"))
    assert response.status_code == 200
    assert response.content == FLOOR_BODY
    assert response["Content-Type"].startswith("text/plain")


def test_floor_answers_only_get(client):
    assert client.post(reverse("perf-floor")).status_code == 405

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_htmx_request_when_signed_out_redirects_the_whole_page(client):
    response = client.get(reverse("benchmarks:explorer"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_plain_request_when_signed_out_is_an_ordinary_redirect(client):
    response = client.get(reverse("benchmarks:explorer"))
    assert response.status_code == 302
    assert "HX-Redirect" not in response

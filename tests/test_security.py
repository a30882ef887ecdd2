"""CSRF, security headers, production settings and error pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from offers.models import Offer
from tests.test_url_access import ROUTES, World, build_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def test_every_post_needs_a_csrf_token():
    """Every URL in the URL conf, the admin's included (so every one that accepts a POST, and any
    added tomorrow): a POST without the token is refused with the site's page, and changes nothing."""
    world = World()
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(world.staff)
    owner = Client(enforce_csrf_checks=True)
    owner.force_login(world.owner)
    mine = [world.offer.pk, world.second_offer.pk]
    offers_before = list(Offer.objects.filter(pk__in=mine).order_by("pk").values())
    wrong = []
    for route in ROUTES:
        client = staff if route.route.startswith("/admin/") else owner
        url = build_url(world, route)
        response = client.post(url, {})
        if response.status_code != 403 or b"You can't do that here" not in response.content:
            wrong.append(f"{url} ({route.key}): {response.status_code}")
    assert not wrong, "POST without a CSRF token was not refused:\n" + "\n".join(wrong)
    assert len(ROUTES) > 100  # the admin's URLs are in the walk
    assert list(Offer.objects.filter(pk__in=mine).order_by("pk").values()) == offers_before


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "DJANGO_SECRET_KEY": "x" * 60 + "production-like-secret-for-checks",
            **extra,
        }
    )
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_passes_in_production_settings():
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/15")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout


def test_deploy_check_warns_when_production_has_no_shared_cache():
    env = production_env()
    env.pop("REDIS_URL", None)
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "core.W001" in result.stderr + result.stdout
    assert "REDIS_URL is not set" in result.stderr + result.stdout


def test_production_settings_secure_cookies_and_headers():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_NAME','CSRF_COOKIE_NAME',"
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT',"
        "'DEBUG']} | {'csp': {k: [str(x) for x in v] for k, v in s.SECURE_CSP.items()},"
        "'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    env = production_env()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    policy = " ".join(" ".join(v) for v in values["csp"].values())
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_carry_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_secure_cookie_flags_when_served_as_in_production(client, settings, user):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SECURE_HSTS_SECONDS = 31536000
    page = client.get(reverse("accounts:login"), secure=True)
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["path"] == "/"
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "correct-horse-battery-staple"},
        secure=True,
    )
    session = signed_in.cookies["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_pages_use_no_inline_script_or_style(client):
    body = client.get("/").content.decode()
    assert "<script>" not in body and "<style" not in body
    assert ' style="' not in body


def test_not_found_page_leaks_nothing(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"urlpatterns" not in response.content and b"Traceback" not in response.content


def test_server_error_page_leaks_nothing(client, settings):
    from django.urls import path

    from config import urls as project_urls

    def broken(request):
        raise RuntimeError("secret internal detail")

    settings.DEBUG = False
    settings.ROOT_URLCONF = type(
        "BrokenUrls",
        (),
        {"urlpatterns": [path("broken/", broken)], "handler500": project_urls.handler500},
    )
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"secret internal detail" not in response.content


def test_forbidden_page(client):
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {})
    assert response.status_code == 403
    assert b"You can't do that here" in response.content


def test_pages_are_compressed_for_browsers_that_ask(user_client):
    response = user_client.get(reverse("offers:list"), headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_a_body_no_form_comes_near_is_refused_before_it_is_parsed(user_client):
    # 50 perks and 10,000 characters of notes fit in a few kilobytes; 300 KB is refused.
    response = user_client.post(reverse("offers:preview"), {"notes": "x" * 300_000})
    assert response.status_code == 400

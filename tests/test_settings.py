"""Which settings run where: chosen by DJANGO_SETTINGS_MODULE, with a default per entry point."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_SECRET = "x" * 60 + "production-like-secret-for-checks"

# What each run reports about the settings it got.
REPORT = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'module': s.SETTINGS_MODULE, 'debug': s.DEBUG, 'secret_key': s.SECRET_KEY,"
    "'cache': s.CACHES['default'], 'mail': s.MAILERS['default']['BACKEND'],"
    "'mail_options': s.MAILERS['default'].get('OPTIONS'),"
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'floor': s.PERF_FLOOR_ENABLED,"
    "'hashers': s.PASSWORD_HASHERS[:1], 'ssl_redirect': s.SECURE_SSL_REDIRECT,"
    "'session_cookie': s.SESSION_COOKIE_NAME}))"
)


def clean_env(**extra: str) -> dict[str, str]:
    """This machine's environment without anything that configures the app, plus `extra`."""
    configures = ("DJANGO_", "PYTEST", "REDIS_URL", "EMAIL_", "DATABASE_URL", "OFFERBENCH_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(configures)}
    return env | extra


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def reported(args: list[str], env: dict[str, str]) -> dict:
    result = run(args, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def through_manage_py(**env: str) -> dict:
    return reported(["manage.py", "shell", "-v0", "-c", REPORT], clean_env(**env))


def through_module(module: str, **env: str) -> dict:
    return reported(["-c", f"import {module}; {REPORT}"], clean_env(**env))


def test_manage_py_runs_the_development_settings_on_a_fresh_clone():
    # Nothing set, as `make run` on a fresh clone: no secret key needed, DEBUG on.
    values = through_manage_py()
    assert values["module"] == "config.settings.dev"
    assert values["debug"] is True
    assert values["secret_key"]
    assert values["mail"] == "django.core.mail.backends.console.EmailBackend"
    assert values["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert values["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["floor"] is True
    assert values["ssl_redirect"] is False
    assert values["session_cookie"] == "sessionid"


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_the_servers_entry_points_run_the_production_settings(entry_point):
    values = through_module(entry_point, DJANGO_SECRET_KEY=PRODUCTION_SECRET)
    assert values["module"] == "config.settings.prod"
    assert values["debug"] is False
    assert values["secret_key"] == PRODUCTION_SECRET
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["floor"] is False
    assert values["ssl_redirect"] is True
    assert values["session_cookie"] == "__Host-sessionid"


def test_a_settings_module_named_in_the_environment_wins_over_the_default():
    values = through_manage_py(
        DJANGO_SETTINGS_MODULE="config.settings.prod", DJANGO_SECRET_KEY=PRODUCTION_SECRET
    )
    assert values["module"] == "config.settings.prod"
    assert values["debug"] is False


@pytest.mark.parametrize(
    ("module", "flag", "advice"),
    [
        ("config.settings.dev", "0", "DJANGO_SETTINGS_MODULE=config.settings.prod"),
        ("config.settings.prod", "1", "DJANGO_SETTINGS_MODULE=config.settings.dev"),
    ],
)
def test_a_debug_flag_contradicting_the_settings_stops_start_up(module, flag, advice):
    # An old script's DJANGO_DEBUG=0 must not run the development settings against a server.
    env = clean_env(
        DJANGO_SETTINGS_MODULE=module, DJANGO_DEBUG=flag, DJANGO_SECRET_KEY=PRODUCTION_SECRET
    )
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert f"DJANGO_DEBUG={flag} contradicts {module}" in result.stderr
    assert advice in result.stderr


@pytest.mark.parametrize(
    ("module", "flag", "debug"),
    [("config.settings.dev", "1", True), ("config.settings.prod", "0", False)],
)
def test_a_debug_flag_agreeing_with_the_settings_is_accepted(module, flag, debug):
    values = through_manage_py(
        DJANGO_SETTINGS_MODULE=module, DJANGO_DEBUG=flag, DJANGO_SECRET_KEY=PRODUCTION_SECRET
    )
    assert values["debug"] is debug


def test_production_with_redis_url_shares_one_cache_that_never_hangs_a_page():
    values = through_module(
        "config.wsgi", DJANGO_SECRET_KEY=PRODUCTION_SECRET, REDIS_URL="redis://cache:6379/0"
    )
    assert values["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/0",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


def test_production_sends_mail_through_the_smtp_server_named_in_the_environment():
    values = through_module(
        "config.wsgi",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["mail_options"] == {
        "host": "smtp.example.com",
        "port": 587,
        "username": "",
        "password": "",
        "use_tls": True,
    }


def test_email_backend_in_the_environment_replaces_the_default():
    backend = "django.core.mail.backends.filebased.EmailBackend"
    assert through_manage_py(EMAIL_BACKEND=backend)["mail"] == backend


def test_the_test_settings_keep_their_own_cache_whatever_redis_url_says():
    values = reported(
        ["-c", f"import django; django.setup(); {REPORT}"],
        clean_env(DJANGO_SETTINGS_MODULE="config.settings.test", REDIS_URL="redis://cache:6379/0"),
    )
    assert values["cache"] == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_this_suite_runs_the_test_settings():
    assert settings.SETTINGS_MODULE == "config.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert settings.SECURE_SSL_REDIRECT is False

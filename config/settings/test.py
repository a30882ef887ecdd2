"""The test suite (pytest reads DJANGO_SETTINGS_MODULE from pyproject.toml): what production runs,
made fast and self-contained — a cheap hasher, mail kept in memory, tasks run at once, a cache of
its own."""

from config.settings.base import *  # noqa: F403
from config.settings.base import PLAIN_STORAGES

DEBUG = False
SECRET_KEY = "test-only-key-not-for-any-server"  # noqa: S105

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once, so a test sees their mail without waiting for a thread.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Every test process has its own cache, whatever REDIS_URL says: tests clear it between tests and
# must never clear, or read, a cache someone else is using.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STORAGES = PLAIN_STORAGES
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True

PERF_FLOOR_ENABLED = True

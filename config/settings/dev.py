"""Development on one's own machine (`make run`, and manage.py's default): DEBUG on, mail printed
to the console, static files straight from the source folders."""

from config.settings.base import *  # noqa: F403
from config.settings.base import PLAIN_STORAGES, SECRET_KEY, mailers, refuse_debug_flag

refuse_debug_flag(expected=True, module=__name__)

DEBUG = True
# Used only on a developer's machine: prod.py requires DJANGO_SECRET_KEY.
SECRET_KEY = SECRET_KEY or "insecure-development-key-not-for-production"

MAILERS = mailers("django.core.mail.backends.console.EmailBackend")

STORAGES = PLAIN_STORAGES
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True

PERF_FLOOR_ENABLED = True
# Community bands may count contributions the demo data made up (never outside development).
COMMUNITY_DEMO_DATA = True

"""Development on one's own machine (`make run`, and manage.py's default): DEBUG on, mail printed
to the console, static files straight from the source folders."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY, mailers, refuse_debug_flag

refuse_debug_flag(expected=True, module=__name__)

DEBUG = True
# Used only on a developer's machine: prod.py requires DJANGO_SECRET_KEY.
SECRET_KEY = SECRET_KEY or "insecure-development-key-not-for-production"

MAILERS = mailers("django.core.mail.backends.console.EmailBackend")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise finds files through the finders on each request, so an edited stylesheet shows at
# the next reload without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

PERF_FLOOR_ENABLED = True

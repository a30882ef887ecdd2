"""What every way of running OfferBench shares; dev.py, test.py and prod.py add their own.

Every variable read here is listed in the README's configuration table.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def refuse_debug_flag(expected: bool, module: str) -> None:
    """DJANGO_DEBUG no longer chooses anything: DJANGO_SETTINGS_MODULE does. A value that
    contradicts the module in use stops start-up instead of running the other way quietly."""
    if os.environ.get("DJANGO_DEBUG", "").strip() and env_bool("DJANGO_DEBUG") != expected:
        other = "config.settings.dev" if not expected else "config.settings.prod"
        raise ImproperlyConfigured(
            f"DJANGO_DEBUG={os.environ['DJANGO_DEBUG']} contradicts {module}, which has DEBUG "
            f"{'on' if expected else 'off'}: set DJANGO_SETTINGS_MODULE={other} instead "
            "(DJANGO_DEBUG is not needed)."
        )


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "import_export",
    "simple_history",
    # Local
    "core",
    "accounts",
    "benchmarks",
    "offers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink about fivefold. Django masks the CSRF token per response and pads gzip
    # output with random bytes, which is what keeps BREACH-style guessing out.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Market data's version is read at most once per request, by whatever needs it first.
    "benchmarks.market_cache.MarketVersionMiddleware",
    "core.database_outage.DatabaseOutageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.headers.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.htmx.HtmxSignInRedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins with our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work at once under gunicorn's several workers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails a page in two seconds instead of holding a
            # worker until the operating system gives up on the connection.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Development: this process's memory; production sets REDIS_URL (config/settings/prod.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},  # resolved bands and market rows, one entry each
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses over-limit sign-ins before axes and the hasher run (accounts/throttle.py).
    "accounts.backends.SignInRateLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "offers:list"
LOGOUT_REDIRECT_URL = None  # show the "signed out" page
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours, once

# Brute-force protection: 5 failures for one account from one address within 15 minutes lock
# that pair; accounts/throttle.py adds 20 failures per account from all addresses, and 20 sign-in
# attempts a minute per address (checked before hashing).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours; the lock lifts by itself
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Every spelling that signs in to an account ("Victim@…", " victim@…") is counted as one.
AXES_USERNAME_CALLABLE = "accounts.throttle.axes_username"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address: behind DJANGO_PROXY_COUNT proxies, the entry that many places from the
# right of X-Forwarded-For (each proxy appends the address it saw); with none, REMOTE_ADDR only,
# so a client cannot name its own address (accounts/throttle.py).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with hashed names, collected by collectstatic (dev and test use the plain
    # storage and WhiteNoise's finders instead).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Development and tests: plain names, found by WhiteNoise through the finders on each request, so an
# edited stylesheet shows at the next reload and no collectstatic run (or race with one) is needed.
PLAIN_STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def mailers(default_backend: str) -> dict:
    """Mail goes through EMAIL_BACKEND, or `default_backend`; SMTP reads the EMAIL_* server."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    options = {}
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


# A real server sends mail in production; dev.py prints it to the console.
MAILERS = mailers("django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OfferBench <noreply@localhost>")

# Every script and style is a file of ours or of an installed package: no inline code at all,
# so the policy needs neither 'unsafe-inline' nor 'unsafe-eval'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers on <body>.

# HTTPS, HSTS and secure cookies are in prod.py: dev and tests are served over plain HTTP.

# Mail on request (reset links, sign-up mail) is a task run after the answer (core/tasks.py).
TASKS = {"default": {"BACKEND": "core.tasks.ThreadBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Locked-out sign-ins are expected traffic, not errors worth a traceback.
        "axes": {"level": "WARNING"},
    },
}

# Each person's fair share of a worker's time (offers/fair_share.py). Off only for `make bench`,
# which asks one person's pages at full speed to measure them, as no person would.
FAIR_SHARE_ENABLED = env_bool("OFFERBENCH_FAIR_SHARE", default=True)

# Django reads a form's whole body before any view (the CSRF check): a body no form of ours
# comes near (50 perks, 10,000 characters of notes) is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# The benchmark's floor page (core/floor.py) exists only where it is measured (dev and test
# always serve it).
PERF_FLOOR_ENABLED = env_bool("OFFERBENCH_PERF_FLOOR")
# Whether community bands count contributions marked as demo data: development only (dev.py).
COMMUNITY_DEMO_DATA = False

# Load balancers probe over plain HTTP; the health check answers them without a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

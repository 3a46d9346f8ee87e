"""Settings for Kansenagenda: one module, everything from the environment.

Defaults are the safe production values; ``make run`` switches on the local
default (DEBUG, SQLite, a broker on the file system) through the environment.
See README.md "Configuration" for every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kansenagenda.env import env_bool, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# Outside DEBUG the secret key must come from the environment and be strong: a missing, short
# or placeholder key stops the start (kansenagenda.env.weak_secret_key_reason), not just a
# warning from `check --deploy`. The local default gets a fixed, clearly insecure key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-only-key") if DEBUG else env_secret_key("DJANGO_SECRET_KEY")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Our apps from the bottom layer up (the layers contract in pyproject.toml).
# core and accounts first, so our base and registration/ templates win over the admin's.
INSTALLED_APPS = [
    "core",
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # API keys, stored as digests with an expiry (accounts/api_tokens.py).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Counts failed logins, locks accounts and addresses out (AXES_* below, accounts/throttling.py).
    "axes",
    "activity",
    "invitations",
    "regions",
    "coalitions",
    "goals",
    "agendas",
    "reviews",
    "funding",
    "signals",
    "regiotoets",
    "kansenagenda",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "core.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for anonymous responses without a CSRF token or anything private (BREACH; core/compression.py).
    # Below WhiteNoise, which serves static files precompressed itself; above everything that sets cookies
    # or Cache-Control, so it sees them (responses pass the middleware bottom up).
    "core.compression.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DutchFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.is_verified(): a session confirmed with a one-time code (accounts.two_factor).
    "django_otp.middleware.OTPMiddleware",
    # No-store on everything a signed-in request gets back (drafts, private records), unless the
    # view set its own Cache-Control; below the authentication it reads (core/middleware.py).
    "core.middleware.PrivateResponsesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs out a session idle for SESSION_IDLE_TIMEOUT; after the auth and messages middleware it uses.
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a login refused by the lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kansenagenda.urls"
WSGI_APPLICATION = "kansenagenda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kansenagenda.views.data_context",
                "activity.views.notifications_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs the web server, a Celery worker with two processes and beat on one
    # file: write transactions take the lock when they begin (no "database is locked" half-way through
    # a transaction), waiting up to 20 s for it, and readers don't block writers (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt of a locked-out account or address before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrUsernameBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user row is not needed: anonymous visitors only ever
# see public data, which is not guarded by object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# After login everyone lands on what waits for them (kansenagenda/worklist_views.py).
LOGIN_REDIRECT_URL = "tasks"
LOGOUT_REDIRECT_URL = "home"
# Second factor (TOTP, django-otp): the name authenticator apps show. See accounts/two_factor.py.
OTP_TOTP_ISSUER = "Kansenagenda"
# A code verifies the session for this long; then money steps ask for a new one (accounts/two_factor.py).
TWO_FACTOR_VERIFICATION_AGE = timedelta(minutes=env_int("DJANGO_TWO_FACTOR_MINUTES", 30))
# A session ends after this long without a request (accounts/middleware.py), and at the latest
# SESSION_COOKIE_AGE (Django's default, two weeks) after the login.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("DJANGO_SESSION_IDLE_MINUTES", 120))

# Brute-force protection of logging in (django-axes; accounts/throttling.py). After
# AXES_FAILURE_LIMIT wrong passwords for one account, or from one client address, every
# attempt for it is refused (429) until AXES_COOLOFF_TIME after the last counted failure.
# Tries during the lock do not count, so it ends when the page says. Unlock early with
# `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login does not wipe the count: one's own account would reset an address's count.
AXES_RESET_ON_SUCCESS = False
# No row per successful login (who, from where, forever): only failed attempts are kept, for the cool-off.
AXES_DISABLE_ACCESS_LOG = True
AXES_USERNAME_CALLABLE = "accounts.throttling.login_name"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
# No start-up line on stdout for every manage.py command (it would end up in e.g. dumpdata's output).
AXES_VERBOSE = False
# The client's address (django-ipware): REMOTE_ADDR, so nobody picks their own with a header.
# Behind DJANGO_PROXY_COUNT reverse proxies that each append the address they saw to
# X-Forwarded-For, the client is the DJANGO_PROXY_COUNT-th address from its right end
# (ipware counts only the proxies listed in the header: the last one is REMOTE_ADDR).
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
if PROXY_COUNT > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    # Take the address at that position even when a client sent its own X-Forwarded-For in front.
    IPWARE_STRICT = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    # Uploaded files only go through Django's storage API, so a shared
    # backend (e.g. S3) can be plugged in here when web and worker run on
    # several machines.
    "default": {"BACKEND": env_str("DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several machines share no disk: with DJANGO_S3_BUCKET set, uploaded data
# files and generated letters go to an S3-compatible object store
# (django-storages; MinIO in docker-compose.yml). Objects stay private: every
# file is served through a view that checks the reader's rights.
S3_BUCKET = env_str("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("DJANGO_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("DJANGO_S3_REGION", "us-east-1"),
            "access_key": env_str("DJANGO_S3_ACCESS_KEY_ID", ""),
            "secret_key": env_str("DJANGO_S3_SECRET_ACCESS_KEY", ""),
            "addressing_style": "path",
            "default_acl": "private",
            "querystring_auth": True,
            # Like the file system: a second file with the same name gets a new name.
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------
# Production defaults; the local default (DEBUG) and the test run (plain
# http on localhost) switch the https-only parts off explicitly.
_HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _HTTPS
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts and style sheets only from our own files: no inline <script>, <style>, style="" or
# on...= handler anywhere (charts are SVG with presentation attributes, dynamic values travel in
# data- attributes read by a static script, the API docs load their start-up script from a URL:
# kansenagenda/urls.py). A page that truly needs an inline script gets a nonce, never 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Kansenagenda <noreply@kansenagenda.localhost>")
# For DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per connection.
EMAIL_FILE_PATH = env_str("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# E-mails link back to the site; a worker has no request to take the host from.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000")
# Reviewers get one reminder when their due date is this many days away or fewer.
REVIEW_REMINDER_DAYS = env_int("DJANGO_REVIEW_REMINDER_DAYS", 3)

# --- Cache ------------------------------------------------------------------
# The cache holds the CBS data snapshot, the region profiles and the list of
# current datasets. Several web and worker processes should share one
# (DJANGO_CACHE_URL=redis://...), so that a new import shows everywhere at
# once; the local default is each process's own memory.
CACHE_URL = env_str("DJANGO_CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}

# --- Celery -----------------------------------------------------------------
# Without CELERY_BROKER_URL the local default uses kombu's file-system
# transport, so `make run` needs no broker server. Production and CI use Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = BASE_DIR / "var" / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "out"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "out"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # An acks_late task stays in Redis' "unacked" set while it runs. When a
    # whole worker dies (SIGKILL, OOM, lost host) nobody acks it; another
    # worker puts it back on its queue once it is older than this, when it
    # starts and then every ~100 s. Keep it above the task time limit: a
    # running task older than this is delivered a second time (the scoring
    # jobs' claim makes that harmless, other tasks may not be).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Task modules outside an app's tasks.py (autodiscovery only finds those).
CELERY_IMPORTS = ["reviews.reminders"]
# Run by `celery beat` (bin/run-local, the beat service in docker-compose.yml).
CELERY_BEAT_SCHEDULE = {
    "send-review-reminders": {
        "task": "reviews.reminders.send_review_reminders_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # One sweep for every kind of background work whose message was lost or whose worker died:
    # e-mail, invitations, scoring and import jobs, letters (each app registers its part, core.background).
    "sweep-background-work": {"task": "core.tasks.sweep_background_work", "schedule": 60.0},
}
# A running scoring job whose heartbeat is older than this is taken over by
# another worker (reviews.jobs.run_job); a job beats at least every few seconds.
SCORING_STALE_SECONDS = env_int("SCORING_STALE_SECONDS", 120)
# An import job "running" longer than this was abandoned by a worker that died and is taken
# over (regions.services.import_job_run); above the import task's hard time limit (300 s).
IMPORT_TAKEOVER_SECONDS = env_int("IMPORT_TAKEOVER_SECONDS", 600)

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    # The key first: its scheme names the WWW-Authenticate header, so a missing, wrong or
    # expired key is 401 (with Session first it was 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # One input policy for every body: nesting depth, NUL characters, size (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "core.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "core.api_errors.api_exception_handler",
}
# API keys (django-rest-knox, accounts/api_tokens.py): only a digest is stored; a key works for
# DJANGO_API_TOKEN_DAYS after it was made. Using it extends nothing (no AUTO_REFRESH).
API_TOKEN_DAYS = env_int("DJANGO_API_TOKEN_DAYS", 30)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured(f"DJANGO_API_TOKEN_DAYS={API_TOKEN_DAYS} must be at least 1.")
# knox's table, with an id of our own (accounts.models.ApiToken).
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would create its (swapped out, unused) table with a
# foreign key to the users, which a test database flush cannot truncate past.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kansenagenda API",
    "DESCRIPTION": "Regio's, brede-welvaartsgegevens (Bron: CBS, CC BY 4.0), organisaties en coalities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would load an image from validator.swagger.io (blocked by the
    # Content-Security-Policy) and hand that site the schema's address.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "regions.models.Region.Kind",
        "OrganisationKindEnum": "coalitions.models.Organisation.Kind",
        "PriorityKindEnum": "agendas.models.PriorityKind",
        "MeasureStatusEnum": "agendas.models.MeasureStatus",
        "LinkStrengthEnum": "agendas.models.LinkStrength",
    },
}

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and its font subsetting log every step and glyph list at INFO on each PDF export.
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

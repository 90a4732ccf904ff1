"""Settings for Key Cities Hub, read from the environment.

Every value has a safe default for running on one machine (`make run`): an
SQLite database under var/, mail written to var/mail, the local-memory cache.
Production sets DEBUG=0 (the default), SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
(PostgreSQL) and EMAIL_URL; `manage.py check --deploy` is then clean.
There is one settings module: nothing branches on the name of an environment.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-local-development-key-only-used-when-DEBUG-is-set"  # noqa: S105 (DEBUG only)
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its templates and static files: /api/v1/docs works offline
    "csp",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "keycities.core",
    "keycities.accounts",
    "keycities.network",
    "keycities.observatory",
    "keycities.claims",
    "keycities.proposals",
    "keycities.consultations",
    "keycities.engagement",
    "keycities.briefings",
    "keycities.voice",
    "keycities.pilots",
    "keycities.library",
]

MIDDLEWARE = [
    # First: REMOTE_ADDR becomes the client's address behind the trusted proxies (see core.ratelimit).
    "keycities.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy headers (docs/adr/0012-content-security-policy.md).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "keycities.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English at /..., Welsh at /cy/...; the API answers in the language of Accept-Language.
    "keycities.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "keycities.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "keycities.core.middleware.ApiErrorEnvelopeMiddleware",
    # django-axes must come last: it turns a locked-out sign-in into a refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keycities.urls"
WSGI_APPLICATION = "keycities.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "keycities" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keycities.core.context_processors.site",
                "keycities.accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'keycities.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep connections open between requests (opening one was a fifth of a cached API request's time).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # SQLite: wait for a writer rather than fail at once, and use WAL so that
    # readers never block the writer (the local server and an import at once).
    # Transactions take the write lock when they begin (BEGIN IMMEDIATE): one that
    # read first and wrote later could otherwise fail at once with "database is
    # locked" when another wrote in between, instead of waiting its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://")
    if not env.str("REDIS_URL", default="")
    else {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
    }
}

# Tasks: one task system, django-tasks with its database backend; `manage.py db_worker` runs them
# (docs/adr/0011-one-task-system.md). Periodic tasks are enqueued by `manage.py schedule_tasks`.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Residents' voice: surveys started and sent per client address an hour (keycities/voice/views.py).
VOICE_RESPONSES_PER_HOUR = env.int("VOICE_RESPONSES_PER_HOUR", default=20)
PERIODIC_TASKS = {
    "erase-expired-proposals": {
        "task": "keycities.proposals.tasks.erase_expired_proposals",
        "every": "day",
        "at": "03:15",
    },
    "consultation-digest": {
        "task": "keycities.consultations.tasks.send_consultation_digest",
        "every": "day",
        "at": "07:30",
    },
    "follow-up-digest": {
        "task": "keycities.engagement.tasks.send_follow_up_digest",
        "every": "day",
        "at": "07:45",
    },
    "erase-expired-responses": {"task": "keycities.voice.tasks.erase_expired_responses", "every": "day", "at": "03:20"},
    "delete-stale-uploads": {"task": "keycities.core.tasks.delete_stale_uploads", "every": "hour"},
    "prune-task-results": {"task": "keycities.core.tasks.prune_task_results", "every": "day", "at": "04:00"},
}
# Files attached to a form that was never submitted are deleted after this many hours.
TEMPORARY_UPLOAD_MAX_AGE_HOURS = env.int("TEMPORARY_UPLOAD_MAX_AGE_HOURS", default=24)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:my-work"
LOGOUT_REDIRECT_URL = "core:home"

# Failed sign-ins (django-axes, with the limits of accounts.lockout), each counted over the last
# AXES_COOLOFF_HOURS: a username is locked after AXES_FAILURE_LIMIT failures from any addresses; an
# address after SIGNIN_ADDRESS_FAILURE_LIMIT failures across usernames; and sign-in pauses for
# everyone after SIGNIN_GLOBAL_FAILURE_LIMIT failures in all. A successful sign-in clears only
# its own username's failures.
AXES_HANDLER = "keycities.accounts.lockout.SignInLimits"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=20)
SIGNIN_GLOBAL_FAILURE_LIMIT = env.int("SIGNIN_GLOBAL_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "keycities.core.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no log of successful sign-ins (User.last_login is kept): see the privacy notice
AXES_VERBOSE = False
# Password reset requests: per client address, and per email address (beyond which no email is sent,
# and the page says the same as ever, so that it never tells whether an address has an account).
PASSWORD_RESETS_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_ADDRESS", default=10)
PASSWORD_RESETS_PER_EMAIL = env.int("PASSWORD_RESETS_PER_EMAIL", default=3)

# Audit trail (django-auditlog): who, when, before and after.
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_INCLUDE_ALL_MODELS = False

EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    # filemail:///absolute/path (django-environ drops the leading slash); filemail:// alone is var/mail.
    _mail_path = urlsplit(env.str("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")).path
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = _mail_path or str(VAR_DIR / "mail")
vars().update(EMAIL_CONFIG)
# Every email is queued and delivered by a task (keycities/core/mail.py), retried when the server fails.
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "keycities.core.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Key Cities Hub <hub@keycities.invalid>")
SECRETARIAT_EMAIL = env.str("SECRETARIAT_EMAIL", default="keycities@wakefield.gov.uk")

# Two languages, treated alike (Welsh Language Standards): English at /..., Welsh at /cy/...
# See docs/adr/0010-welsh.md. Each app keeps its own catalogue in keycities/<app>/locale/cy/;
# the shared templates' strings are in keycities/locale/cy/.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LANGUAGE_COOKIE_NAME = "kc_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [*sorted((BASE_DIR / "keycities").glob("*/locale")), BASE_DIR / "keycities" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "keycities" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploads go through Django's storage API: the file system under MEDIA_ROOT by default, or an S3-compatible
# bucket with MEDIA_STORAGE=s3 (django-storages; `pip install -e '.[s3]'`). Nothing else changes.
if env.str("MEDIA_STORAGE", default="filesystem") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Security headers. Behind HTTPS in production, all on; DEBUG turns them off so
# that http://127.0.0.1:8000 works.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
# How many proxies in front of the Hub append the address they received a request from to
# X-Forwarded-For (nginx's $proxy_add_x_forwarded_for does): rate limits, sign-in lockouts and the
# audit log key on the address that many entries from the right. One behind BEHIND_PROXY, else none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if env.bool("BEHIND_PROXY", default=False) else 0)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this many minutes without a request (each request starts the count again).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from the Hub's own origin; the few inline scripts and
# styles carry the request's nonce; no plug-ins, no framing, forms post only to the Hub.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if SECURE_SSL_REDIRECT:  # served over HTTPS: have browsers fetch every sub-resource over HTTPS too
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Permissions-Policy (django-permissions-policy): the Hub uses none of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in ("accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
                    "display-capture", "encrypted-media", "gamepad", "geolocation", "gyroscope", "hid",
                    "idle-detection", "local-fonts", "magnetometer", "microphone", "midi", "payment",
                    "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking")
}  # fmt: skip

# Upload and request size limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

NINJA_PAGINATION_PER_PAGE = 100

# Proposals: personal data of closed proposals is erased after this many days.
PROPOSAL_RETENTION_DAYS = env.int("PROPOSAL_RETENTION_DAYS", default=730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

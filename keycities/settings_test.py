"""Settings for the test suite: production settings with test doubles.

The database still comes from DATABASE_URL, so the same suite runs on SQLite
(the default) and PostgreSQL (`.ci/run` sets DATABASE_URL).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")

from keycities.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production, rather than SQLite's shared in-memory database: the concurrency tests
    # run requests in several threads at once, which shared-cache memory databases refuse at once
    # ("table is locked") where a file waits its turn. One file per test run, so that two runs at once
    # (two terminals, or CI beside a developer) never share it; pytest-django deletes it at the end.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; never used outside tests
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mail.outbox, through the queue
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

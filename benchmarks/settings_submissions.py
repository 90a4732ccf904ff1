"""Production settings for the submissions benchmark, but with static files named as they are on disk:
the benchmark measures proposals, not asset URLs, and so needs no `collectstatic` before it runs."""

from keycities.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

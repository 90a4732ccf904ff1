"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def test_check_deploy_is_clean_in_production_mode() -> None:
    # The browser journeys allow sync ORM calls beside Playwright's event loop; a deployment never does.
    unset = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {
        "DJANGO_SETTINGS_MODULE": "keycities.settings",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "hub.keycities.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env["DJANGO_SETTINGS_MODULE"] = "keycities.settings"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_migrations_are_up_to_date() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _settings_with(extra: dict[str, str], code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "keycities.settings", "SECRET_KEY": "x" * 60, **extra}
    script = f"import django; django.setup(); from django.conf import settings as s; print({code})"
    done = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_uploads_go_to_an_s3_bucket_by_configuration_alone() -> None:
    default = _settings_with({}, "s.STORAGES['default']['BACKEND']")
    assert default == "django.core.files.storage.FileSystemStorage"
    s3 = {"MEDIA_STORAGE": "s3", "S3_BUCKET": "hub-uploads", "S3_ENDPOINT_URL": "https://s3.example.org"}
    found = _settings_with(s3, "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'], "
                               "s.STORAGES['default']['OPTIONS']['file_overwrite']")  # fmt: skip
    assert found == "storages.backends.s3.S3Storage hub-uploads False"


def test_redis_cache_when_redis_url_is_set() -> None:
    found = _settings_with({"REDIS_URL": "redis://127.0.0.1:6379/15"}, "s.CACHES['default']['BACKEND']")
    assert found == "django.core.cache.backends.redis.RedisCache"
    import redis  # the client Django's RedisCache needs is a dependency

    assert redis.__version__

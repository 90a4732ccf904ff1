"""What every benchmark shares: paths, the Hub's environment, Django set-up, printing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = ROOT / "manage.py"


class BenchmarkError(RuntimeError):
    """A benchmark could not give a trustworthy figure (e.g. the two sides returned different rows)."""


def database_url(path: Path) -> str:
    return f"sqlite:///{path}"  # an absolute path gives sqlite://// + path


def hub_env(db: Path, *, allowed_hosts: str = "127.0.0.1") -> dict[str, str]:
    """The environment the Hub runs with in every benchmark: production settings (DEBUG off, so no query
    log), HTTPS-only settings off so that plain http on the loopback works, and the benchmark's database."""
    return {
        "DJANGO_SETTINGS_MODULE": "keycities.settings",
        "SECRET_KEY": "bench",
        "DEBUG": "0",
        "ALLOWED_HOSTS": allowed_hosts,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url(db),
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def child_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(extra)
    return env


_configured: Path | None = None


def setup_django(db: Path) -> None:
    """Point this process's Django at `db` (once per process: settings are read at start-up)."""
    global _configured
    if _configured is not None:
        if _configured != db:
            raise BenchmarkError(f"Django is already set up on {_configured}, not {db}")
        return
    # testserver: the in-process test client used by --profile.
    os.environ.update(hub_env(db, allowed_hosts="127.0.0.1,testserver"))
    import warnings

    import django

    # WhiteNoise's warning that var/static (collectstatic's output) is missing: no benchmark serves static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    _configured = db


def migrate(db: Path) -> None:
    """`manage.py migrate` on a fresh database file (not timed by any benchmark)."""
    if db.exists():
        raise BenchmarkError(f"{db} exists; the import benchmark needs an empty database")
    subprocess.run([sys.executable, str(MANAGE), "migrate", "--no-input", "-v0"], cwd=ROOT,
                   env=child_env(hub_env(db)), check=True)  # fmt: skip


def heading(text: str) -> None:
    print(f"\n== {text}", flush=True)


def say(text: str = "") -> None:
    print(text, flush=True)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")

"""What every benchmark shares: paths, the Hub's environment, Django set-up, printing."""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

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


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command for a benchmark's database; its output, or BenchmarkError with its errors."""
    done = subprocess.run([sys.executable, str(MANAGE), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BenchmarkError(f"manage.py {args[0]} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _postgres(url: str) -> tuple[str, str]:
    """(the database's name, a URL of the server's maintenance database) for a URL the benchmark may use."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        raise BenchmarkError(f"BENCH_POSTGRES_URL must name a database with 'bench' in its name, which the "
                             f"benchmark drops and creates; {name!r} does not")  # fmt: skip
    return name, parts._replace(path="/postgres").geturl()


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database a benchmark was given (its name must contain 'bench')."""
    import psycopg

    name, maintenance = _postgres(url)
    with psycopg.connect(maintenance, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')


def postgres_env(url: str) -> dict[str, str]:
    """The Hub's environment on a fresh PostgreSQL database with the registry and every bundled file imported."""
    recreate_database(url)
    env = child_env({**hub_env(Path("/nonexistent")), "DATABASE_URL": url})
    say("Preparing PostgreSQL: migrate, load_network, import_statistics (not timed) ...")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_network")
    manage(env, "import_statistics")
    return env


def drop_database(url: str) -> None:
    import psycopg

    name, maintenance = _postgres(url)
    with psycopg.connect(maintenance, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')


# Two accounts for the page benchmarks, an officer of Bradford and the secretariat, each with a session; the
# script prints "SESSION <username> <session key>" for each (run by `bench_sessions`).
SESSIONS_SCRIPT = """
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from keycities.accounts.models import Role, User
from keycities.network.models import Place
officer = User.objects.create_user("bench-officer", "officer@bradford.invalid", None, role=Role.MEMBER_OFFICER,
                                   place=Place.objects.get(slug="bradford"))
secretariat = User.objects.create_user("bench-sec", "sec@keycities.invalid", None, role=Role.SECRETARIAT)
for user in (officer, secretariat):
    s = SessionStore()
    s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    print("SESSION", user.username, s.session_key)
"""


def bench_sessions(env: dict[str, str]) -> dict[str, str]:
    """Username -> session key of the two benchmark accounts, made on the database `env` points at."""
    out = manage(env, "shell", "--no-imports", "-c", SESSIONS_SCRIPT)
    return {line.split()[1]: line.split()[2] for line in out.splitlines() if line.startswith("SESSION")}


def page_times(port: int, path: str, session: str, n: int, *, warmup: int, timeout: float = 30) -> tuple[float, float]:
    """p50 and p95 in ms of `n` GETs of `path` one after another on one connection, signed in by `session`,
    after `warmup` requests that warm the worker and are not counted."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    found = []
    for i in range(n + warmup):
        ms = _timed_get(conn, path, session)
        if i >= warmup:
            found.append(ms)
    conn.close()
    found.sort()
    return statistics.median(found), found[int(0.95 * (len(found) - 1))]


def _timed_get(conn: http.client.HTTPConnection, path: str, session: str) -> float:
    """Milliseconds of one signed-in GET of `path` that must answer 200."""
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise BenchmarkError(f"{path} answered {response.status}: {body[:300]!r}")
    return (time.perf_counter() - started) * 1000


# gunicorn's access log as the benchmarks write it: "<pid> status milliseconds path", one line a request.
ACCESS_FORMAT = "%(p)s %(s)s %(M)s %(U)s"


def worker_answers(log: Path, path: str, *, since: int = 0) -> dict[int, list[int]]:
    """Worker pid -> the milliseconds of each of its answers to `path` (without the query string), in order,
    from a gunicorn access log written in ACCESS_FORMAT, from its line `since` on."""
    found: dict[int, list[int]] = {}
    for line in access_lines(log)[since:]:
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[3] == path and parts[0].strip("<>").isdigit():
            found.setdefault(int(parts[0].strip("<>")), []).append(int(parts[2]))
    return found


def access_lines(log: Path) -> list[str]:
    try:
        return log.read_text(errors="replace").splitlines()
    except OSError:
        return []


def warm_every_worker(access_log: Path, path: str, load: Callable[[], None], *, workers: int, per_worker: int,
                      limit: float = 120.0, since: int | None = None) -> dict[int, list[int]]:  # fmt: skip
    """Call `load` (a round of requests for `path`) until each of the server's `workers` workers has answered
    `path` (without its query string) `per_worker` times, by the access log from its line `since` on (by
    default, from now): a worker keeps per-process data (compiled templates, charts drawn), so one that has not
    answered is still cold. Worker pid -> its answers' milliseconds; BenchmarkError after `limit` seconds."""
    since = len(access_lines(access_log)) if since is None else since
    path = urlsplit(path).path
    started = time.monotonic()
    while True:
        answers = worker_answers(access_log, path, since=since)
        if len(answers) >= workers and all(len(ms) >= per_worker for ms in answers.values()):
            return answers
        if time.monotonic() - started > limit:
            raise BenchmarkError(f"{path}: after {limit:g} s of warm-up, the workers' answers were "
                                 f"{ {pid: len(ms) for pid, ms in answers.items()} } (each must answer "
                                 f"{per_worker} times, {workers} workers)")  # fmt: skip
        load()


def warm_signed_in(port: int, path: str, session: str, access_log: Path, *, workers: int, per_worker: int,
                   limit: float = 120.0) -> dict[int, list[int]]:  # fmt: skip
    """`warm_every_worker` for a page behind sign-in: each round GETs `path`, signed in by `session`, four
    times from each of `workers` connections at once."""

    def one_connection() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(4):
            _timed_get(conn, path, session)
        conn.close()

    def load() -> None:
        threads = [threading.Thread(target=one_connection) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    return warm_every_worker(access_log, path, load, workers=workers, per_worker=per_worker, limit=limit)


def server_cpu_seconds(pidfile: Path) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers, from /proc."""
    try:
        master = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total

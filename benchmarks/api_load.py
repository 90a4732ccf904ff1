"""Benchmark (b): GET /api/v1/data under load, the Hub under gunicorn against Datasette.

The Hub: `gunicorn keycities.wsgi -w 2` on the database that the import
benchmark filled, answering `/api/v1/data?indicator=population&period=2024&
limit=1000` (one indicator for every area in one year, one page, with the
count). Datasette (one process, as `datasette serve` runs) serves the same
observations from an SQLite file built from the Hub's database: one
denormalised table with the Hub's twelve output columns for every observation
and an index on (indicator, period), queried through its table JSON API with
the same filter, order and page size (`_shape=objects`, which like the Hub's
page also counts the matching rows). Facet suggestions are turned off, since
the Hub offers none.

The Hub caches each page of /data until the next import, so the same URL
again and again measures its cache. It is therefore measured twice: as asked
(the figure the targets apply to), and "uncached", with a query parameter the
Hub ignores made unique for every request, so that every request builds its
page. Before the load, the answers are fetched and must hold the same rows;
then each target is loaded in turn, with the same load generator,
connections, warm-up and duration. For the Hub, the CPU time its gunicorn
processes used over the measured load is reported per request ("server CPU"):
less swayed than latency by other work on a shared machine.

When BENCH_POSTGRES_URL names a database the benchmark may drop and create,
the Hub is also run on PostgreSQL (migrate, load_network, import_statistics;
not timed), cached and uncached, with the same checks and load.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import loadgen
from .common import (
    ROOT,
    BenchmarkError,
    child_env,
    drop_database,
    heading,
    hub_env,
    postgres_env,
    ratio,
    say,
    server_cpu_seconds,
)

HUB_PATH = "/api/v1/data?indicator=population&period=2024&limit=1000"
DATASETTE_PATH = ("/bench/observations.json?indicator=population&period=2024&_sort=area_code&_size=max"
                  "&_shape=objects")  # fmt: skip
COLUMNS = ["indicator", "area_code", "area_name", "period", "value", "lower_ci", "upper_ci", "status", "note",
           "release_id", "release_dataset", "release_date"]  # fmt: skip
# The Hub caches each page of /data until the next import; a parameter it ignores, unique per request, makes
# every request build its page (the "uncached" figure).
UNIQUE = "_bench"
TARGET_RATIO = 1.0
TARGET_P95_MS = 50.0


@dataclass
class ServerFigures:
    name: str
    command: str
    url: str
    rows: int
    response_bytes: int
    load: loadgen.LoadResult
    cpu_ms: float | None = None  # the server's CPU time per request (gunicorn: master and workers), if measured


@dataclass
class ApiFigures:
    hub: ServerFigures
    hub_uncached: ServerFigures
    datasette: ServerFigures
    connections: int
    warmup: float
    duration: float
    rounds: int
    postgres: list[ServerFigures] = field(default_factory=list)  # cached and uncached on PostgreSQL, if run

    @property
    def ratio(self) -> float:
        return ratio(self.hub.load.rps, self.datasette.load.rps)

    @property
    def uncached_ratio(self) -> float:
        return ratio(self.hub_uncached.load.rps, self.datasette.load.rps)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_datasette_db(hub_db: Path, db: Path) -> int:
    """Every observation of the Hub's database as one table with the API's columns; returns its row count."""
    con = sqlite3.connect(db)
    con.execute("ATTACH DATABASE ? AS hub", (f"file:{hub_db}?mode=ro",))
    con.executescript("""
        CREATE TABLE observations (
            id INTEGER PRIMARY KEY, indicator TEXT NOT NULL, area_code TEXT NOT NULL, area_name TEXT NOT NULL,
            period INTEGER NOT NULL, value REAL, lower_ci REAL, upper_ci REAL, status TEXT NOT NULL,
            note TEXT NOT NULL, release_id INTEGER NOT NULL, release_dataset TEXT NOT NULL,
            release_date TEXT NOT NULL);
        INSERT INTO observations
            SELECT o.id, i.slug, a.code, a.name, o.period, o.value, o.lower_ci, o.upper_ci, o.status, o.note,
                   o.release_id, d.slug, r.release_date
            FROM hub.observatory_observation o
            JOIN hub.observatory_indicator i ON i.id = o.indicator_id
            JOIN hub.observatory_area a ON a.id = o.area_id
            JOIN hub.observatory_release r ON r.id = o.release_id
            JOIN hub.observatory_dataset d ON d.id = r.dataset_id;
        CREATE INDEX observations_indicator_period ON observations (indicator, period);
    """)
    con.commit()
    count = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    con.execute("DETACH DATABASE hub")
    con.close()
    return int(count)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server's whole process group (it was started in a session of its own)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # workers left behind by a leader that exited
        os.killpg(proc.pid, signal.SIGKILL)


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (http://127.0.0.1 only)
        return int(response.status), response.read()


@contextlib.contextmanager
def server(name: str, cmd: list[str], env: dict[str, str], probe: str, log: Path) -> Iterator[None]:
    """Run `cmd` until the block ends (even on error), once `probe` answers 200."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise BenchmarkError(f"{name} exited with {proc.returncode} on start-up:\n{_tail(log)}")
                try:
                    status, _ = _get(probe, timeout=5)
                    if status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise BenchmarkError(f"{name} did not answer {probe} within 60 s:\n{_tail(log)}")
                time.sleep(0.2)
            yield
        finally:
            _stop(proc)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _rows(name: str, url: str, key: str) -> tuple[list[dict[str, object]], int]:
    status, body = _get(url)
    if status != 200:
        raise BenchmarkError(f"{name} answered {status} for {url}")
    rows = json.loads(body)[key]
    return rows, len(body)


# (URL, query parameter made unique per request or None, gunicorn's pid file for its CPU time or None)
Target = tuple[str, str | None, Path | None]


def _measure(name: str, target: Target, connections: int, seconds: float) -> tuple[loadgen.LoadResult, float]:
    """The load's result and the server's CPU seconds over it (0 when not measured)."""
    pidfile = target[2]
    cpu_before = server_cpu_seconds(pidfile) if pidfile else 0.0
    result = loadgen.run(target[0], connections=connections, seconds=seconds, unique=target[1])
    cpu = server_cpu_seconds(pidfile) - cpu_before if pidfile else 0.0
    if result.errors:
        raise BenchmarkError(f"{name}: {result.errors} of {result.requests} requests failed under load")
    per_request = f"   server CPU {cpu * 1000 / max(1, result.requests):5.2f} ms/request" if pidfile else ""
    say(f"  {name:26} {result.rps:9,.1f} req/s   p50 {result.p50_ms:6.1f} ms   p95 {result.p95_ms:6.1f} ms   "
        f"({result.requests:,} requests in {result.seconds:.1f} s){per_request}   load average "
        f"{os.getloadavg()[0]:.2f}")  # fmt: skip
    return result, cpu


def _load(targets: dict[str, Target], connections: int, warmup: float, duration: float,
          rounds: int) -> dict[str, tuple[loadgen.LoadResult, float | None]]:  # fmt: skip
    """Warm each target up, then load them in turn, `rounds` times, rotating which goes first, so that a
    change in the machine's background load during the run falls on every side alike."""
    tool = "wrk" if loadgen.wrk_path() else "Python fallback"
    say(f"load: {tool}, {connections} connections; {warmup:g} s warm-up each, then {rounds} rounds of "
        f"{duration / rounds:g} s each, rotating")  # fmt: skip
    if warmup > 0:
        for url, unique, _ in targets.values():
            loadgen.run(url, connections=connections, seconds=warmup, unique=unique)
    measured: dict[str, list[tuple[loadgen.LoadResult, float]]] = {name: [] for name in targets}
    names = list(targets)
    for i in range(rounds):
        say(f"round {i + 1} of {rounds}")
        for name in names[i % len(names) :] + names[: i % len(names)]:
            measured[name].append(_measure(name, targets[name], connections, duration / rounds))
    combined: dict[str, tuple[loadgen.LoadResult, float | None]] = {}
    for name, results in measured.items():
        load = loadgen.combine([r for r, _ in results])
        cpu = sum(c for _, c in results) * 1000 / max(1, load.requests) if targets[name][2] else None
        combined[name] = (load, cpu)
    return combined


def run(workdir: Path, hub_db: Path, *, connections: int, warmup: float, duration: float,
        rounds: int = 3) -> ApiFigures:  # fmt: skip
    heading(f"(b) API under load: GET {HUB_PATH}")
    if loadgen.wrk_path() is None:
        say(loadgen.WRK_MISSING)
    ds_db = workdir / "bench.db"  # the database's name is the first part of Datasette's URLs: /bench/...
    total = build_datasette_db(hub_db, ds_db)
    say(f"Datasette database: {total:,} observations in {ds_db.name}, indexed on (indicator, period)")

    hub_port, ds_port = free_port(), free_port()
    hub_pid = workdir / "gunicorn-api.pid"
    hub_cmd = [sys.executable, "-m", "gunicorn", "keycities.wsgi", "-w", "2", "-b", f"127.0.0.1:{hub_port}"]
    ds_cmd = [sys.executable, "-m", "datasette", "serve", str(ds_db), "--host", "127.0.0.1", "--port", str(ds_port),
              "--setting", "suggest_facets", "off"]  # fmt: skip
    hub_url, ds_url = f"http://127.0.0.1:{hub_port}{HUB_PATH}", f"http://127.0.0.1:{ds_port}{DATASETTE_PATH}"
    env = child_env(hub_env(hub_db))
    postgres = os.environ.get("BENCH_POSTGRES_URL", "")
    if not postgres:
        say("PostgreSQL skipped: set BENCH_POSTGRES_URL to a database the benchmark may drop and create")
    pg_port, pg_pid = free_port(), workdir / "gunicorn-api-postgres.pid"
    pg_cmd = [*hub_cmd[:-1], f"127.0.0.1:{pg_port}", "-p", str(pg_pid)]
    pg_url = f"http://127.0.0.1:{pg_port}{HUB_PATH}"

    try:
        pg_env = postgres_env(postgres) if postgres else None
        with contextlib.ExitStack() as servers:
            servers.enter_context(server("gunicorn (Hub)", [*hub_cmd, "-p", str(hub_pid)], env, hub_url,
                                         workdir / "gunicorn.log"))  # fmt: skip
            servers.enter_context(server("Datasette", ds_cmd, child_env({}), ds_url, workdir / "datasette.log"))
            if pg_env is not None:
                servers.enter_context(server("gunicorn (Hub, PostgreSQL)", pg_cmd, pg_env, pg_url,
                                             workdir / "gunicorn-postgres.log"))  # fmt: skip
            hub_rows, hub_bytes = _rows("Hub", hub_url, "results")
            fresh_rows, _ = _rows("Hub", f"{hub_url}&{UNIQUE}=check", "results")
            ds_rows, ds_bytes = _rows("Datasette", ds_url, "rows")
            say(f"rows returned: Hub {len(hub_rows)} (with a unique query string: {len(fresh_rows)})   "
                f"Datasette {len(ds_rows)}")  # fmt: skip

            def key(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
                return sorted((r["area_code"], r["period"], r["release_id"], r["value"]) for r in rows)

            if key(hub_rows) != key(ds_rows) or key(fresh_rows) != key(hub_rows):
                raise BenchmarkError("the Hub and Datasette do not return the same rows; the comparison would be "
                                     "unfair")  # fmt: skip
            if hub_rows and set(hub_rows[0]) != set(COLUMNS):
                say(f"note: the Hub's rows now have the columns {sorted(hub_rows[0])}; Datasette's table has {COLUMNS}")
            say(f"response size: Hub {hub_bytes:,} bytes   Datasette {ds_bytes:,} bytes")

            targets: dict[str, Target] = {"Hub": (hub_url, None, hub_pid), "Hub, uncached": (hub_url, UNIQUE, hub_pid),
                                          "Datasette": (ds_url, None, None)}  # fmt: skip
            if pg_env is not None:
                pg_rows, pg_bytes = _rows("Hub on PostgreSQL", f"{pg_url}&{UNIQUE}=check", "results")

                # Release ids may differ between the two databases: compare what each row says.
                def said(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
                    return sorted((r["area_code"], r["period"], r["release_dataset"], r["value"]) for r in rows)

                if said(pg_rows) != said(hub_rows):
                    raise BenchmarkError("the Hub on PostgreSQL does not return the same rows as on SQLite")
                say(f"Hub on PostgreSQL: the same {len(pg_rows)} rows, {pg_bytes:,} bytes")
                targets |= {"Hub, PostgreSQL": (pg_url, None, pg_pid),
                            "Hub, PostgreSQL, uncached": (pg_url, UNIQUE, pg_pid)}  # fmt: skip
            loads = _load(targets, connections, warmup, duration, rounds)
    finally:
        if postgres:
            drop_database(postgres)
    (hub_load, hub_cpu), (fresh_load, fresh_cpu), (ds_load, _) = (
        loads["Hub"],
        loads["Hub, uncached"],
        loads["Datasette"],
    )

    gunicorn = " ".join(["gunicorn", *hub_cmd[3:]])
    figures = ApiFigures(
        ServerFigures("Hub (gunicorn -w 2, sync)", gunicorn, HUB_PATH, len(hub_rows), hub_bytes, hub_load, hub_cpu),
        ServerFigures("Hub, every request uncached", gunicorn, f"{HUB_PATH}&{UNIQUE}=<unique>", len(fresh_rows),
                      hub_bytes, fresh_load, fresh_cpu),
        ServerFigures("Datasette (1 process)", " ".join(["datasette", *ds_cmd[3:]]).replace(str(ds_db), ds_db.name),
                      DATASETTE_PATH, len(ds_rows), ds_bytes, ds_load),
        connections, warmup, duration, rounds,
    )  # fmt: skip
    if pg_env is not None:
        (pg_load, pg_cpu), (pg_fresh, pg_fresh_cpu) = loads["Hub, PostgreSQL"], loads["Hub, PostgreSQL, uncached"]
        figures.postgres = [
            ServerFigures("Hub on PostgreSQL", gunicorn, HUB_PATH, len(pg_rows), pg_bytes, pg_load, pg_cpu),
            ServerFigures("Hub on PostgreSQL, uncached", gunicorn, f"{HUB_PATH}&{UNIQUE}=<unique>", len(pg_rows),
                          pg_bytes, pg_fresh, pg_fresh_cpu),
        ]  # fmt: skip
    say()
    say(f"{'':30} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'server CPU ms/request':>22}")
    for s in (figures.hub, figures.hub_uncached, figures.datasette, *figures.postgres):
        cpu = "" if s.cpu_ms is None else f"{s.cpu_ms:22.2f}"
        say(f"{s.name:30} {s.load.rps:9,.1f} {s.load.p50_ms:8.1f} {s.load.p95_ms:8.1f} {s.load.p99_ms:8.1f} {cpu}")
    met = "met" if figures.ratio >= TARGET_RATIO else "NOT met"
    say(f"ratio Hub/Datasette (req/s): {figures.ratio:.2f}x  (target >= {TARGET_RATIO:g}: {met}); "
        f"uncached Hub/Datasette: {figures.uncached_ratio:.2f}x")  # fmt: skip
    for s in (figures.hub_uncached, figures.hub, *figures.postgres):
        p95_met = "met" if s.load.p95_ms < TARGET_P95_MS else "NOT met"
        say(f"{s.name} p95: {s.load.p95_ms:.1f} ms  (target < {TARGET_P95_MS:g} ms: {p95_met})")
    say(f"Datasette p95: {figures.datasette.load.p95_ms:.1f} ms; issue 9 item 10 asks p95 < {TARGET_P95_MS:g} ms of "
        f"the uncached Hub")  # fmt: skip
    return figures

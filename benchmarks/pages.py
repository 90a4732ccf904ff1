"""Benchmark (e): the evidence pages under gunicorn with production settings, no page cache.

The Hub runs as the README deploys it (`gunicorn keycities.wsgi -w 2`, `DEBUG=0`) on a database with the
member registry (`load_network`) and every bundled file imported, on SQLite and, when BENCH_POSTGRES_URL
names a database it may drop and create, on PostgreSQL too. Each page is asked for with a query parameter
the page ignores, unique to every request, so that nothing keyed by the address can answer it: every
request builds its page. The pages keep no cache of their own; what a worker process keeps between
requests is the coverage map and each imported release's values (a release never changes once imported;
docs/adr/0027-evidence-pages-speed.md), so the first request to each worker after a start or an import
reads them from the database: that figure is reported too ("first request").

Warm-up, per page: before anything is measured, EVERY worker must have answered the page (each worker keeps
its own per-process data, so a worker that has not is still cold: on PostgreSQL its first request takes
seconds). The server writes an access log (benchmark only: pid, status, milliseconds, path); the page is
loaded with twice as many connections as workers, one second at a time, until each worker's pid has answered
it WARM_PER_WORKER times (at most WARM_LIMIT seconds, else the benchmark stops: a worker that never answers is
a finding, not noise). Each worker's first answer to the page is printed ("cold"), so the slowness of a
cold worker is shown, not hidden. Then the page is loaded for `--warmup` seconds more, at the measured load,
for its latencies to settle, and only then measured.

The baseline, measured in the same run with the same load, is the accessibility statement: a page of the
same layout with no data, i.e. what any page costs through the same middleware, templates and server.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import common, loadgen
from .api_load import _get, free_port, server
from .common import (
    ACCESS_FORMAT,
    BenchmarkError,
    child_env,
    drop_database,
    heading,
    hub_env,
    manage,
    postgres_env,
    ratio,
    say,
    server_cpu_seconds,
)

BASELINE = ("layout, no data (baseline)", "/accessibility/?x=1")
# (name, address, p95 target in ms, HTML target in bytes)
PAGES = [
    ("place profile (Coventry)", "/evidence/places/coventry/?x=1", 150.0, None),
    ("place profile (Tees Valley, 5 areas)", "/evidence/places/tees-valley/?x=1", 150.0, None),
    ("indicator page (GVA per head, map)", "/evidence/gva-per-head/?x=1", 200.0, 200_000),
    ("indicator page (IMD score, map)", "/evidence/imd-average-score/?x=1", 200.0, 200_000),
]
UNIQUE = "_bench"
WORKERS = 2  # gunicorn's sync workers, as the README deploys it (-w 2 here)
CONNECTIONS = 2  # one request at a time for each of gunicorn's two workers: latency, not queueing
WARM_PER_WORKER = 3  # answers of the page from each worker before the time-based warm-up
WARM_LIMIT = 120.0  # seconds: a worker that has not answered three times by then stops the benchmark


@dataclass
class PageFigures:
    name: str
    path: str
    html_bytes: int
    first_ms: float
    load: loadgen.LoadResult
    target_ms: float | None
    target_bytes: int | None
    cpu_ms: float  # the server's CPU time per request (all its processes and threads)
    cold_ms: list[int]  # each worker's first answer to the page (server time, from the access log), before the load


def warm_every_worker(url: str, access_log: Path) -> dict[int, list[int]]:
    """Load `url` until every one of the WORKERS workers has answered it WARM_PER_WORKER times; worker pid ->
    its answers' milliseconds. BenchmarkError after WARM_LIMIT seconds."""
    return common.warm_every_worker(
        access_log, url, lambda: loadgen.run(url, connections=2 * WORKERS, seconds=1, unique=UNIQUE),
        workers=WORKERS, per_worker=WARM_PER_WORKER, limit=WARM_LIMIT, since=0,  # the first request's answer too
    )  # fmt: skip


@dataclass
class DatabasePages:
    database: str
    baseline: PageFigures
    pages: list[PageFigures]

    def ratio(self, page: PageFigures) -> float:
        return ratio(page.load.p95_ms, self.baseline.load.p95_ms)


@dataclass
class PagesFigures:
    command: str
    connections: int
    warmup: float
    duration: float
    results: list[DatabasePages]
    skipped: str = ""


def _one(label: str, env: dict[str, str], workdir: Path, warmup: float, duration: float) -> DatabasePages:
    heading(f"(e) Evidence pages on {label}")
    port = free_port()
    pidfile = workdir / f"gunicorn-{label.lower()}.pid"
    access_log = workdir / f"pages-access-{label.lower()}.log"
    cmd = [sys.executable, "-m", "gunicorn", "keycities.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
           "-p", str(pidfile), "--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    say(f"warm-up of each page: until each of the {WORKERS} workers has answered it {WARM_PER_WORKER} times "
        f"(its first answer is shown as 'cold'), then {warmup:g} s of the measured load")  # fmt: skip
    with server("gunicorn (Hub)", cmd, env, base + BASELINE[1], workdir / f"pages-{label.lower()}.log"):
        measured = []
        for name, path, target_ms, target_bytes in [(*BASELINE, None, None), *PAGES]:
            began = time.perf_counter()
            status, body = _get(base + path)
            first = (time.perf_counter() - began) * 1000
            if status != 200:
                raise BenchmarkError(f"{path} answered {status}")
            answers = warm_every_worker(base + path, access_log)
            cold = ", ".join(f"{ms[0]:,} ms" for ms in answers.values())
            say(f"  {name:38} warm-up: every worker answered {', '.join(str(len(ms)) for ms in answers.values())}"
                f" times; each worker's first answer (cold): {cold}")  # fmt: skip
            if warmup > 0:
                loadgen.run(base + path, connections=CONNECTIONS, seconds=warmup, unique=UNIQUE)
            cpu_before = server_cpu_seconds(pidfile)
            load = loadgen.run(base + path, connections=CONNECTIONS, seconds=duration, unique=UNIQUE)
            cpu_ms = (server_cpu_seconds(pidfile) - cpu_before) * 1000 / max(1, load.requests)
            if load.errors:
                raise BenchmarkError(f"{name}: {load.errors} of {load.requests} requests failed")
            say(f"  {name:38} {len(body):9,} bytes   first {first:7.1f} ms   p50 {load.p50_ms:6.1f} ms   "
                f"p95 {load.p95_ms:6.1f} ms   server CPU {cpu_ms:6.1f} ms/request   ({load.requests:,} requests, "
                f"load average {os.getloadavg()[0]:.2f})")  # fmt: skip
            cold_ms = [ms[0] for ms in answers.values()]
            measured.append(PageFigures(name, path, len(body), first, load, target_ms, target_bytes, cpu_ms, cold_ms))
    result = DatabasePages(label, measured[0], measured[1:])
    for page in result.pages:
        met = "" if page.target_ms is None else (" met" if page.load.p95_ms < page.target_ms else " NOT met")
        size = "" if page.target_bytes is None else (
            f"; HTML {page.html_bytes:,} bytes (target < {page.target_bytes:,}: "
            f"{'met' if page.html_bytes < page.target_bytes else 'NOT met'})")  # fmt: skip
        say(f"  {page.name}: p95 {page.load.p95_ms:.1f} ms = {result.ratio(page):.2f}x the baseline "
            f"(target < {page.target_ms:g} ms:{met}); server CPU {page.cpu_ms:.1f} ms/request = "
            f"{ratio(page.cpu_ms, result.baseline.cpu_ms):.2f}x the baseline's{size}")  # fmt: skip
    return result


def run(workdir: Path, hub_db: Path, *, warmup: float, duration: float) -> PagesFigures:
    """`hub_db`: an SQLite database with every bundled file imported (the import benchmark's)."""
    env = child_env(hub_env(hub_db))
    say("Preparing: load_network on the imported database, collectstatic (production serves hashed static "
        "file names) (not timed) ...")  # fmt: skip
    manage(env, "load_network")
    manage(env, "collectstatic", "--no-input", "-v0")
    results = [_one("SQLite", env, workdir, warmup, duration)]
    postgres = os.environ.get("BENCH_POSTGRES_URL", "")
    skipped = ""
    if postgres:
        try:
            results.append(_one("PostgreSQL", postgres_env(postgres), workdir, warmup, duration))
        finally:
            drop_database(postgres)
    else:
        skipped = "PostgreSQL skipped: set BENCH_POSTGRES_URL to a database the benchmark may drop and create"
        say(skipped)
    return PagesFigures(f"gunicorn keycities.wsgi -w {WORKERS}", CONNECTIONS, warmup, duration, results, skipped)

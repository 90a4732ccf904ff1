"""Benchmark (h): "My work" with 1,000 open items, under gunicorn with production settings.

For each database (SQLite, a file; PostgreSQL when BENCH_POSTGRES_URL names a database the benchmark may
drop and create): `migrate` and `load_network`, then an officer of Bradford and a secretariat account, and
ITEMS proposals about Skills (which Bradford leads), each waiting for a first response, due on dates from
30 days ago to 30 days ahead. They are generated for the benchmark only, in its own database, and never shown
anywhere else. The Hub is served as the README deploys it (gunicorn, two workers) and each account's
"My work" page is asked for REQUESTS times, one request at a time, signed in by a session cookie; nothing
is cached between requests (every signed-in page is no-store, and My work counts afresh every time).

The baseline, in the same run, with the same session, is the accessibility statement: a page of the same
layout with no data, i.e. what any signed-in page costs through the same middleware and templates.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .api_load import free_port, server
from .common import (
    bench_sessions,
    child_env,
    drop_database,
    heading,
    hub_env,
    manage,
    page_times,
    ratio,
    recreate_database,
    say,
)

ITEMS = 1000
REQUESTS = 200
TARGET_MS = 150.0
SETUP = """
import datetime as dt
from django.utils import timezone
from keycities.network.models import WorkArea
from keycities.proposals.models import Proposal
n = ITEMS
skills = WorkArea.objects.get(slug="skills")
today = timezone.localdate()
made = Proposal.objects.bulk_create([Proposal(
    reference=f"KC-BENCH-{i:05d}", token_hash=f"{i:064d}", name="Generated for the benchmark",
    email=f"bench{i}@example.invalid", organisation_type="other", title=f"Benchmark proposal {i}",
    summary="Generated for the benchmark.", details="", consent_at=timezone.now(),
    first_response_due=today + dt.timedelta(days=i % 61 - 30),
) for i in range(n)])
Proposal.work_areas.through.objects.bulk_create([
    Proposal.work_areas.through(proposal_id=p.pk, workarea_id=skills.pk) for p in made])
"""


@dataclass
class PageTimes:
    name: str
    p50_ms: float
    p95_ms: float


@dataclass
class DatabaseFigures:
    database: str
    baseline: PageTimes
    pages: list[PageTimes]


def _times(port: int, path: str, session: str, n: int) -> PageTimes:
    return PageTimes(path, *page_times(port, path, session, n, warmup=10))


def _one_database(label: str, database_url: str, workdir: Path) -> DatabaseFigures:
    heading(f"(h) My work with {ITEMS:,} open proposals on {label}")
    env = child_env({**hub_env(workdir / "unused.sqlite3"), "DATABASE_URL": database_url,
                     "DJANGO_SETTINGS_MODULE": "benchmarks.settings_submissions"})  # fmt: skip
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_network")
    manage(env, "shell", "--no-imports", "-c", SETUP.replace("ITEMS", str(ITEMS)))
    sessions = bench_sessions(env)
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", "keycities.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    with server(
        f"gunicorn on {label}",
        cmd,
        env,
        f"http://127.0.0.1:{port}/accessibility/",
        workdir / f"gunicorn-mywork-{label}.log",
    ):
        baseline = _times(port, "/accessibility/", sessions["bench-officer"], REQUESTS)
        pages = [_times(port, "/my-work/", sessions[who], REQUESTS) for who in ("bench-officer", "bench-sec")]
    pages[0].name, pages[1].name = "My work, officer of Bradford", "My work, secretariat"
    baseline.name = "layout, no data (baseline)"
    for page in (baseline, *pages):
        mark = (
            ""
            if page is baseline
            else f"   {ratio(page.p95_ms, baseline.p95_ms):.1f}x baseline"
            + ("   (target < 150 ms: met)" if page.p95_ms < TARGET_MS else "   (target < 150 ms: NOT met)")
        )
        say(f"  {page.name:32} p50 {page.p50_ms:6.1f} ms   p95 {page.p95_ms:6.1f} ms{mark}")
    return DatabaseFigures(label, baseline, pages)


def run(workdir: Path) -> list[DatabaseFigures]:
    results = [_one_database("SQLite", f"sqlite:///{workdir / 'mywork.sqlite3'}", workdir)]
    postgres = os.environ.get("BENCH_POSTGRES_URL", "")
    if postgres:
        recreate_database(postgres)
        try:
            results.append(_one_database("PostgreSQL", postgres, workdir))
        finally:
            drop_database(postgres)
    else:
        say("PostgreSQL skipped: set BENCH_POSTGRES_URL (a database name containing 'bench')")
    return results

"""Benchmark (i): engagement at scale (issue 11, item 9): the coverage page and the people search with
20,000 people, 5,000 organisations and 200,000 interactions, under gunicorn with production settings.

For each database (SQLite, a file; PostgreSQL when BENCH_POSTGRES_URL names a database the benchmark may
drop and create): `migrate`, `load_network` and `load_engagement` (the real MPs, constituencies, APPG,
departments and Ministers), then GENERATED rows, for the benchmark only and in its own database, never shown
anywhere else: 5,000 organisations named "Benchmark organisation n", 20,000 people named "Benchmark person n"
(each with a contact role at one of them), and 200,000 interactions over the last two years, each with two
people (one of them, one time in four, a real MP or Minister), an organisation (one time in ten a real
department), a member place and a work area.

Warm-up, per page: each of gunicorn's workers keeps per-process data (compiled templates, the charts it has
drawn), so the page is asked for from two connections at once until every worker has answered it
WARM_PER_WORKER times, by the server's access log (benchmark only: pid, status, milliseconds, path); each
worker's first answer is printed as "cold", so a cold worker's cost is shown, not hidden.

Measured, REQUESTS requests one at a time, signed in by a session cookie (nothing is cached: every staff page
is no-store): the coverage page for the secretariat and for an officer of Bradford, and the people search
(`/api/v1/people/?q=`, the same session) for the secretariat. The ratio for each is to the same queries run
directly in SQL: the exact statements the page ran (captured once in a Django shell with the same data), run
again through a database cursor, REQUESTS times, timed from the first statement to the last row fetched. The
ratio is the price of Python, templates and HTTP on top of the database's own work.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .api_load import free_port, server
from .common import (
    ACCESS_FORMAT,
    bench_sessions,
    child_env,
    drop_database,
    heading,
    hub_env,
    manage,
    page_times,
    recreate_database,
    say,
    warm_signed_in,
)

# BENCH_ENGAGEMENT_SCALE=0.01 makes a quick trial run of the benchmark itself (the figures mean nothing then).
SCALE = float(os.environ.get("BENCH_ENGAGEMENT_SCALE", "1"))
PEOPLE = int(20_000 * SCALE)
ORGANISATIONS = int(5_000 * SCALE)
INTERACTIONS = int(200_000 * SCALE)
REQUESTS = 100  # measured, one after another, once every worker is warm
WORKERS = 2  # gunicorn's sync workers, as the README deploys it
WARM_PER_WORKER = 3  # answers of the page from each worker before anything is measured
TARGET_MS = 200.0
SEARCH = "/api/v1/people/?q=person%2012&limit=50"

GENERATE = """
import datetime as dt, random
from django.db import transaction
from keycities.engagement.models import Interaction, Organisation, Person, Role, RoleKind
from keycities.network.models import Place, WorkArea
from keycities.engagement.queries import member_places
rng = random.Random(11)
kinds = ["media", "business", "university", "charity", "partner", "agency", "other"]
today = dt.date.today()
with transaction.atomic():
    orgs = Organisation.objects.bulk_create([Organisation(name=f"Benchmark organisation {i}",
        kind=kinds[i % len(kinds)], source="Generated for the benchmark") for i in range(N_ORGS)], batch_size=2000)
    people = Person.objects.bulk_create([Person(name=f"Benchmark person {i}", email=f"p{i}@bench.invalid")
                                         for i in range(N_PEOPLE)], batch_size=2000)
    Role.objects.bulk_create([Role(person=p, kind=RoleKind.CONTACT, organisation=orgs[i % len(orgs)],
                                   source="Generated for the benchmark") for i, p in enumerate(people)],
                        batch_size=5000)
    real = list(Person.objects.filter(roles__kind__in=["mp", "minister"]).distinct().values_list("pk", flat=True))
    departments = list(Organisation.objects.filter(kind="department").values_list("pk", flat=True))
    places = list(member_places().values_list("pk", flat=True))
    areas = list(WorkArea.objects.values_list("pk", flat=True))
    kinds_i = ["meeting", "letter", "email", "call", "event"]
    step = 20_000
    for start in range(0, N_INTERACTIONS, step):
        made = Interaction.objects.bulk_create([Interaction(kind=kinds_i[i % 5], title=f"Benchmark interaction {i}",
            date=today - dt.timedelta(days=rng.randrange(730)))
            for i in range(start, min(N_INTERACTIONS, start + step))],
            batch_size=5000)
        P, O, PL, W = (Interaction.people.through, Interaction.organisations.through, Interaction.places.through,
                       Interaction.work_areas.through)
        links, orgs_l, pl_l, w_l = [], [], [], []
        for i in made:
            a = people[rng.randrange(len(people))].pk
            b = real[rng.randrange(len(real))] if rng.random() < 0.25 else people[rng.randrange(len(people))].pk
            links += [P(interaction_id=i.pk, person_id=a, date=i.date)] + (
                [P(interaction_id=i.pk, person_id=b, date=i.date)] if b != a else [])
            o = (departments[rng.randrange(len(departments))] if rng.random() < 0.1
                 else orgs[rng.randrange(len(orgs))].pk)
            orgs_l.append(O(interaction_id=i.pk, organisation_id=o, date=i.date))
            pl_l.append(PL(interaction_id=i.pk, place_id=places[rng.randrange(len(places))]))
            w_l.append(W(interaction_id=i.pk, workarea_id=areas[rng.randrange(len(areas))]))
        P.objects.bulk_create(links, batch_size=10000)
        O.objects.bulk_create(orgs_l, batch_size=10000)
        PL.objects.bulk_create(pl_l, batch_size=10000)
        W.objects.bulk_create(w_l, batch_size=10000)
from django.db import connection
if connection.vendor == "postgresql":  # what autovacuum does soon after a bulk load: statistics, visibility map
    with connection.cursor() as cursor:
        for table in ("engagement_interaction", "engagement_interaction_people", "engagement_interaction_organisations",
                      "engagement_interaction_places", "engagement_interaction_work_areas", "engagement_person",
                      "engagement_organisation", "engagement_role"):
            cursor.execute(f"VACUUM ANALYZE {table}")
print("GENERATED", Person.objects.count(), Organisation.objects.count(), Interaction.objects.count())
"""

# The statements each page runs, captured once, then run again directly through a cursor.
DIRECT_SQL = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from keycities.accounts.models import User
out = {}
for name, who, path in PAGES:
    client = Client()
    client.force_login(User.objects.get(username=who))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(skip)
                  and "django_session" not in q["sql"] and "accounts_user" not in q["sql"]]
    times = []
    for i in range(REQUESTS + 5):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        if i >= 5:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    out[name] = {"statements": len(statements), "p50": statistics.median(times),
                 "p95": times[int(0.95 * (len(times) - 1))]}
print("DIRECT", json.dumps(out))
"""


@dataclass
class Figures:
    name: str
    p50_ms: float
    p95_ms: float
    sql_p95_ms: float
    statements: int


PAGES = [
    ("Coverage page, secretariat", "bench-sec", "/engagement/coverage/"),
    ("Coverage page, officer of Bradford", "bench-officer", "/engagement/coverage/"),
    ("People search (API), secretariat", "bench-sec", SEARCH),
]


def _one_database(label: str, database_url: str, workdir: Path) -> list[Figures]:
    heading(f"(i) Engagement with {PEOPLE:,} people, {ORGANISATIONS:,} organisations and {INTERACTIONS:,} "
            f"interactions (generated) on {label}")  # fmt: skip
    env = child_env({**hub_env(workdir / "unused.sqlite3"), "DATABASE_URL": database_url,
                     "DJANGO_SETTINGS_MODULE": "benchmarks.settings_submissions"})  # fmt: skip
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_network")
    manage(env, "load_engagement")
    started = time.monotonic()
    script = (GENERATE.replace("N_ORGS", str(ORGANISATIONS)).replace("N_PEOPLE", str(PEOPLE))
              .replace("N_INTERACTIONS", str(INTERACTIONS)))  # fmt: skip
    say("  " + manage(env, "shell", "--no-imports", "-c", script).strip().splitlines()[-1]
        + f" (generated in {time.monotonic() - started:.0f} s, not timed)")  # fmt: skip
    sessions = bench_sessions(env)
    direct_env = {**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    direct_out = manage(direct_env, "shell", "--no-imports", "-c",
                        DIRECT_SQL.replace("PAGES", repr(PAGES)).replace("REQUESTS", str(REQUESTS)))  # fmt: skip
    direct = json.loads(next(line for line in direct_out.splitlines() if line.startswith("DIRECT"))[7:])
    port = free_port()
    access_log = workdir / f"engagement-access-{label}.log"
    cmd = [sys.executable, "-m", "gunicorn", "keycities.wsgi", "--workers", str(WORKERS), "--bind",
           f"127.0.0.1:{port}", "--timeout", "120", "--access-logfile", str(access_log), "--access-logformat",
           ACCESS_FORMAT]  # fmt: skip
    results = []
    with server(f"gunicorn on {label}", cmd, env, f"http://127.0.0.1:{port}/accessibility/",
                workdir / f"gunicorn-engagement-{label}.log"):  # fmt: skip
        for name, who, path in PAGES:
            answers = warm_signed_in(port, path, sessions[who], access_log, workers=WORKERS, per_worker=WARM_PER_WORKER)
            say(f"  {name:36} warm-up: each worker's first answer (cold) "
                f"{', '.join(f'{ms[0]:,} ms' for ms in answers.values())}; answers per worker "
                f"{', '.join(str(len(ms)) for ms in answers.values())}")  # fmt: skip
            p50, p95 = page_times(port, path, sessions[who], REQUESTS, warmup=0, timeout=60)
            d = direct[name]
            results.append(Figures(name, p50, p95, d["p95"], d["statements"]))
    for f in results:
        met = "met" if f.p95_ms < TARGET_MS else "NOT met"
        say(f"  {f.name:36} p50 {f.p50_ms:7.1f} ms   p95 {f.p95_ms:7.1f} ms   same SQL directly ({f.statements} "
            f"statements) p95 {f.sql_p95_ms:6.1f} ms   ratio {f.p95_ms / f.sql_p95_ms if f.sql_p95_ms else 0:.1f}x"
            f"   (target < {TARGET_MS:.0f} ms: {met})")  # fmt: skip
    return results


def run(workdir: Path) -> list[list[Figures]]:
    # BENCH_ENGAGEMENT_SQLITE=0 measures PostgreSQL alone (a re-run of one database).
    results = []
    if os.environ.get("BENCH_ENGAGEMENT_SQLITE", "1") != "0":
        results.append(_one_database("SQLite", f"sqlite:///{workdir / 'engagement.sqlite3'}", workdir))
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

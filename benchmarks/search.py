"""Search quality and latency (ADR 0033): `python -m benchmarks search`.

On each database (SQLite, and PostgreSQL when BENCH_POSTGRES_URL names a database with "bench" in its name,
default postgres://postgres@127.0.0.1:5432/kc_search_bench, skipped if the server does not answer):

1. an empty database gets the real registry, statistics, claims and contacts, and the search index is built
   with each entry's sentence embedding (`rebuild_search_index --embed`, as `make run` does);
2. the labelled queries in benchmarks/data/search_queries.yaml (written before the ranking was tuned) are run
   as an anonymous visitor with four rankings: the engine's own rank (FTS5 bm25 / ts_rank; the baseline), the
   shared scorer, and each with the semantic re-ranking; MRR and nDCG@10 are printed with their ratio to the
   baseline;
3. 10,000 publications are generated (for this benchmark only) and indexed, with a stored embedding each (a
   made-up unit vector: the re-ranker reads stored embeddings and embeds only the query, and its cost does not
   depend on the values; embedding 10,000 made-up texts with the model takes many minutes on a shared machine),
   PostgreSQL's entries are vacuumed and its statistics refreshed (VACUUM ANALYZE, as autovacuum would), and
   every labelled query is timed (three passes): p95 and median latency of `search.run`, with and without
   re-ranking, against the same figures on the database before the publications were added. With re-ranking, the
   query-embedding cache is emptied before every call, so each timed search embeds its query.

Each database's work runs in a child process (Django is set up once per process).
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .common import ROOT, BenchmarkError, child_env, heading, hub_env, manage, ratio, recreate_database, say

QUERIES = ROOT / "benchmarks" / "data" / "search_queries.yaml"
PUBLICATIONS = 10_000
MODES = {"engine": ("engine", False), "engine+semantic": ("engine", True), "shared": ("shared", False),
         "shared+semantic": ("shared", True)}  # fmt: skip
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/kc_search_bench"


def load_queries() -> list[dict[str, Any]]:
    data = yaml.safe_load(QUERIES.read_text())
    return list(data["queries"])


def reciprocal_rank(urls: list[str], expect: dict[str, int]) -> float:
    for n, url in enumerate(urls, 1):
        if url in expect:
            return 1.0 / n
    return 0.0


def ndcg(urls: list[str], expect: dict[str, int], k: int = 10) -> float:
    gains = [expect.get(u, 0) for u in urls[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(expect.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


# --- the child: one database -------------------------------------------------------------------------------------


def _rank(query: str, rank: str, semantic: bool) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    from keycities.library import search

    results = search.run(AnonymousUser(), query, rank=rank, semantic=semantic)
    return [h.entry.url for h in results.hits[:10]]


def _quality(queries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode, (rank, semantic) in MODES.items():
        rr, nd, tops = [], [], []
        for q in queries:
            urls = _rank(q["q"], rank, semantic)
            expect = {str(k): int(v) for k, v in q["expect"].items()}
            rr.append(reciprocal_rank(urls, expect))
            nd.append(ndcg(urls, expect))
            tops.append(urls[:3])
        out[mode] = {"mrr": statistics.fmean(rr), "ndcg10": statistics.fmean(nd), "top3": tops}
    return out


def _latency(queries: list[dict[str, Any]], passes: int = 3) -> dict[str, float]:
    from django.contrib.auth.models import AnonymousUser

    from keycities.library import search

    out = {}
    for semantic in (False, True):
        search.run(AnonymousUser(), "warm up", semantic=semantic)
        times = []
        for _ in range(passes):
            for q in queries:
                if semantic:
                    search._query_vector.cache_clear()  # every timed search embeds its query
                started = time.perf_counter()
                search.run(AnonymousUser(), q["q"], semantic=semantic)
                times.append((time.perf_counter() - started) * 1000)
        mode = "semantic" if semantic else "lexical"
        out[mode], out[f"{mode}_median"] = p95(times), statistics.median(times)
    return out


def _generate(n: int) -> None:
    """`n` publications made up from the words of the real registry, indicators and claims (benchmark only)."""
    import datetime as dt

    from keycities.library import index
    from keycities.library.models import Kind, Publication, SearchEntry

    rng = random.Random(33)  # noqa: S311 (made-up text, not secrets)
    vocabulary = sorted({w for t in SearchEntry.objects.values_list("body", flat=True) for w in t.split()
                         if w.isalpha() and len(w) > 3})  # fmt: skip
    kinds = list(Kind.values)
    batch = []
    for i in range(n):
        title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(4, 9))).capitalize()
        summary = " ".join(rng.choice(vocabulary) for _ in range(30))
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(200, 800)))
        batch.append(Publication(title=title, summary=summary, text=text, authors="Key Cities",
                                 published_on=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 4000)),
                                 kind=rng.choice(kinds), file=f"library/bench/{i}.pdf", original_name=f"{i}.pdf",
                                 content_type="application/pdf", size=1000, is_public=rng.random() > 0.1))  # fmt: skip
    Publication.objects.bulk_create(batch, batch_size=1000)
    index.rebuild(["publication"])
    # A stored embedding for each generated publication, as `rebuild_search_index --embed` stores for real ones:
    # a made-up unit vector (the re-ranker's cost does not depend on the values, and embedding 10,000 made-up texts
    # takes many minutes on a shared machine); the real entries keep their real embeddings.
    generated = list(SearchEntry.objects.filter(source="publication").only("pk"))  # all generated: none is real
    for entry in generated:
        vector = [rng.gauss(0.0, 1.0) for _ in range(384)]
        norm = math.sqrt(sum(x * x for x in vector))
        entry.embedding = [round(x / norm, 6) for x in vector]
    SearchEntry.objects.bulk_update(generated, ["embedding"], batch_size=500)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load (it may be off on a shared benchmark server): the planner's
        # statistics, and the row versions the embeddings' update above left behind removed (10,000 dead rows that
        # every index scan would otherwise visit: the Hub's own rebuild --embed writes each entry once).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE library_searchentry")
            cursor.execute("ANALYZE")


def child(database_url: str) -> None:
    import django

    os.environ["DATABASE_URL"] = database_url
    django.setup()
    queries = load_queries()
    result: dict[str, Any] = {"quality": _quality(queries), "latency_small": _latency(queries)}
    from keycities.library.models import SearchEntry

    result["entries_small"] = SearchEntry.objects.count()
    _generate(PUBLICATIONS)
    result["entries"] = SearchEntry.objects.count()
    result["latency"] = _latency(queries)
    print("RESULT " + json.dumps(result))


# --- the parent ------------------------------------------------------------------------------------------------------


def _prepare(env: dict[str, str]) -> None:
    for command in (("migrate", "--no-input", "-v0"), ("load_network",), ("import_statistics",), ("load_claims",),
                    ("load_engagement",), ("rebuild_search_index", "--embed")):  # fmt: skip
        manage(env, *command)


def _run_on(label: str, database_url: str, env: dict[str, str]) -> dict[str, Any]:
    say(f"{label}: preparing the database (registry, statistics, claims, contacts, index; not timed) ...")
    env = {**env, "DATABASE_URL": database_url}
    _prepare(env)
    say(f"{label}: labelled queries, then {PUBLICATIONS:,} generated publications and the latency ...")
    done = subprocess.run([sys.executable, "-m", "benchmarks.search", "--child", database_url], cwd=ROOT,
                          env=child_env(env), capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise BenchmarkError(f"search benchmark on {label} failed:\n{done.stderr[-3000:]}")
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise BenchmarkError(f"search benchmark on {label} printed no result")
    return dict(json.loads(line[len("RESULT ") :]))


def _postgres_up(url: str) -> bool:
    try:
        import psycopg

        from .common import _postgres

        with psycopg.connect(_postgres(url)[1], connect_timeout=3):
            return True
    except Exception:  # any failure means: no server to benchmark on
        return False


def run() -> dict[str, Any]:
    heading("Search: quality on the labelled queries, latency with 10,000 publications")
    queries = load_queries()
    say(f"{len(queries)} labelled queries ({QUERIES.relative_to(ROOT)})")
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="keycities-search-") as tmp:
        db = Path(tmp) / "hub.sqlite3"
        env = hub_env(db)
        results["SQLite FTS5"] = _run_on("SQLite", f"sqlite:///{db}", env)
        pg = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG)
        if _postgres_up(pg):
            recreate_database(pg)
            try:
                results["PostgreSQL FTS"] = _run_on("PostgreSQL", pg, env)
            finally:
                from .common import drop_database

                drop_database(pg)
        else:
            say("PostgreSQL: no server answers at BENCH_POSTGRES_URL; skipped")
    for engine, r in results.items():
        base = r["quality"]["engine"]
        say(f"\n{engine}  (baseline: the engine's own rank)")
        say(f"  {'ranking':18} {'MRR':>6} {'ratio':>6} {'nDCG@10':>8} {'ratio':>6}")
        for mode, q in r["quality"].items():
            say(f"  {mode:18} {q['mrr']:6.3f} {ratio(q['mrr'], base['mrr']):6.2f} {q['ndcg10']:8.3f} "
                f"{ratio(q['ndcg10'], base['ndcg10']):6.2f}")  # fmt: skip
        small, big = r["latency_small"], r["latency"]
        say(f"  latency p95 with {r['entries']:,} entries ({PUBLICATIONS:,} generated publications), against "
            f"{r['entries_small']:,} entries before:")  # fmt: skip
        for mode in ("lexical", "semantic"):
            say(f"    {mode:9} {big[mode]:7.1f} ms  (median {big[f'{mode}_median']:.1f} ms; ratio "
                f"{ratio(big[mode], small[mode]):.2f} to {small[mode]:.1f} ms before; target 100 ms)")  # fmt: skip
    say(f"  machine load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if len(results) == 2:
        a, b = (r["quality"]["shared"]["top3"] for r in results.values())
        same_top1 = sum(1 for x, y in zip(a, b, strict=True) if x[:1] == y[:1])
        say(f"\nSame top result on both databases (shared ranking): {same_top1} of {len(a)} queries")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        run()

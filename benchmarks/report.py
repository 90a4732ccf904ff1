"""docs/benchmarks.md: overwritten by every run with its figures."""

from __future__ import annotations

from pathlib import Path

from .api_load import TARGET_P95_MS, TARGET_RATIO, ApiFigures, ServerFigures
from .common import ratio
from .importing import ImportFigures
from .pages import PageFigures, PagesFigures
from .submissions import SubmissionFigures

HEADER = """# Benchmarks

Speed is measured, not asserted. This file is written by `make bench`
(`python -m benchmarks`) and holds the figures of its latest run; each figure
sits beside a baseline measured in the same run, on the same machine.

## How to reproduce

```sh
apt-get install wrk   # Debian's package; without it the API benchmark uses a slower Python load generator
make bench            # installs the `bench` extra (DuckDB, Datasette), runs the benchmarks, rewrites this file
```

The API, evidence pages and submissions benchmarks run on SQLite, and on PostgreSQL too when
`BENCH_POSTGRES_URL` names a database it may drop and create (its name must
contain `bench`), e.g.
`BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/kc_bench make bench`.

`.venv/bin/python -m benchmarks --help` lists the options: run one benchmark
(`import`, `api`, `pages`, `suggest` or `submissions`, with `--submissions N`), change the load
(`--connections`, `--warmup`, `--duration`, `--rounds`, `--page-duration`), keep the temporary
databases (`--keep`), or print where the Hub's time goes (`--profile`, cProfile; does not rewrite this file).
"""


def _sections(text: str) -> dict[str, str]:
    """The file's "## (x) ..." sections by their letter, e.g. {"(a)": "## (a) Import ...\n..."}."""
    found: dict[str, str] = {}
    for part in ("\n" + text).split("\n## ")[1:]:
        key = part.split(" ", 1)[0]
        if key.startswith("(") and key.endswith(")"):
            found[key] = "## " + part.rstrip("\n") + "\n"
    return found


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _machine(machine: dict[str, str]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in machine.items())
    return f"## Machine\n\n| | |\n|---|---|\n{rows}\n"


def _import(f: ImportFigures) -> str:
    def secs(value: float | None) -> str:
        return "?" if value is None else f"{value:.2f}"

    sources = "\n".join(
        f"| `{s.key}` | `{s.reader}` | {s.method} | {s.hub_rows:,} | {s.baseline_rows:,} | {secs(s.hub_seconds)} "
        f"| {s.baseline_seconds:.2f} |"
        for s in f.sources
    )
    fallback = (
        f"\nRead with the Hub's own reader in the baseline too (a format the baseline does not handle): "
        f"{', '.join(f'`{k}`' for k in f.fallbacks)}.\n"
        if f.fallbacks
        else ""
    )
    return f"""## (a) Import into an empty SQLite database

| | seconds | CPU seconds | observations | areas |
|---|---:|---:|---:|---:|
{
        _row(
            "Hub: `services.import_all()`",
            f"{f.hub_seconds:.2f}",
            f"{f.hub_cpu_seconds:.2f}",
            f"{f.hub_observations:,}",
            f"{f.hub_areas:,}",
        )
    }
{
        _row(
            "Baseline: DuckDB / openpyxl + `sqlite3.executemany`",
            f"{f.baseline_seconds:.2f}",
            f"{f.baseline_cpu_seconds:.2f}",
            f"{f.baseline_observations:,}",
            f"{f.baseline_areas:,}",
        )
    }
{_row("**Ratio Hub / baseline**", f"**{f.ratio:.2f}×**", f"{f.cpu_ratio:.2f}×", "", "")}

Lower is better; 1.0× would be as fast as the baseline. The figure is wall
time; the process's CPU time is shown beside it because the two sides run one
after the other, and CPU time is less swayed by other work on the machine.

- **Hub**: `manage.py migrate` on a fresh database file (not timed), then
  `keycities.observatory.services.import_all()` in-process with production
  settings (`DEBUG=0`): the catalogue, the ONS area list and every source in
  `catalogue.SOURCES`, each file read, validated and written with
  `bulk_create` in its own transaction.
- **Baseline**: the same files, read with DuckDB (`read_csv` for CSV,
  `read_json` for JSON, including the area list) or, for the xlsx workbooks,
  openpyxl directly (read-only, values only: DuckDB's `excel` extension is not
  in the wheel and cannot be installed offline); the same number of rows
  written with plain `sqlite3` `executemany`, in one transaction, into tables
  with the Hub's own DDL (copied from the migrated database: every index,
  unique and foreign key constraint) and the same PRAGMAs (WAL,
  `synchronous=NORMAL`, `foreign_keys=ON`). The catalogue rows (datasets,
  indicators, releases) are copied before the clock starts; areas and
  observations are timed. The baseline validates nothing beyond the database's
  constraints: it is the floor.
- Every file is read once before either side is timed, so neither pays for a
  cold page cache. The run fails if the two row counts differ.

Per source (seconds from the importer's progress messages; the baseline's
exclude its final commit):

| source | Hub reader | baseline reads with | Hub rows | baseline rows | Hub s | baseline s |
|---|---|---|---:|---:|---:|---:|
{
        _row(
            "(catalogue and area list)",
            "",
            "DuckDB read_json, read_csv",
            "",
            "",
            secs(f.hub_setup_seconds),
            f"{f.baseline_areas_seconds:.2f}",
        )
    }
{sources}
{fallback}"""


def _server(s: ServerFigures) -> str:
    load = s.load
    cpu = "" if s.cpu_ms is None else f"{s.cpu_ms:.2f}"
    return _row(s.name, f"{load.rps:,.1f}", f"{load.p50_ms:.1f}", f"{load.p95_ms:.1f}", f"{load.p99_ms:.1f}",
                cpu, f"{load.requests:,}", f"{s.response_bytes:,}")  # fmt: skip


def _api(f: ApiFigures) -> str:
    h, d = f.hub, f.datasette
    met = "met" if f.ratio >= TARGET_RATIO else "**not met**"

    def p95(s: ServerFigures) -> str:
        return f"{s.load.p95_ms:.1f} ms, " + ("met" if s.load.p95_ms < TARGET_P95_MS else "**not met**")

    postgres = "".join(f"\n{_server(s)}" for s in f.postgres)
    on_postgres = f"; on PostgreSQL {p95(f.postgres[1])} (cached {p95(f.postgres[0])})" if f.postgres else ""
    return f"""## (b) API under load

`{h.url}`: one indicator for every area in one year, one page ({h.rows} rows).

| server | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/request | requests | response bytes |
|---|---:|---:|---:|---:|---:|---:|---:|
{_server(h)}
{_server(f.hub_uncached)}
{_server(d)}{postgres}
| **Ratio Hub / Datasette (req/s)** | **{f.ratio:.2f}×** | | | | | | |
| Ratio Hub uncached / Datasette (req/s) | {f.uncached_ratio:.2f}× | | | | | | |

Targets: ratio ≥ {TARGET_RATIO:g} ({met}); uncached Hub p95 < {TARGET_P95_MS:g} ms (issue 9 item 10): on SQLite
{p95(f.hub_uncached)} (cached {p95(h)}){on_postgres}. With
{f.connections} connections always waiting for an answer, the mean latency is
{f.connections} ÷ throughput (Little's law), so a p95 under {TARGET_P95_MS:g} ms needs
more than {f.connections / (TARGET_P95_MS / 1000):,.0f} req/s.

- Load: {h.load.tool}, {f.connections} concurrent connections on 127.0.0.1,
  one target at a time: {f.warmup:g} s warm-up each, then {f.duration:g} s
  measured per target in {f.rounds} rounds that rotate between the
  targets (so a change in the machine's background load falls on all). req/s
  is all requests over all measured time; p50/p95/p99 are the median of the
  rounds' values. The load generator runs on the same machine as the servers.
- The Hub caches each page of `/data` until the next import (keyed by the
  release set and the full path), so the same URL again and again measures
  that cache: the targets apply to this figure, as the Hub runs. "Hub, every
  request uncached" adds a parameter the Hub ignores, unique to each request
  (`{f.hub_uncached.url}`), so that every request builds its page: the cost of
  a first request, or of a query nobody has asked since the last import.
- Hub: `{h.command}` with `DEBUG=0`, `SECRET_KEY=bench`,
  `ALLOWED_HOSTS=127.0.0.1` and the HTTPS-only settings off, on the database
  the import benchmark filled; with `BENCH_POSTGRES_URL`, a second one on PostgreSQL (`migrate`,
  `load_network`, `import_statistics`; dropped afterwards), checked to return the same rows.
- "Server CPU" is the CPU time (user and system) gunicorn's master and workers used during the measured load,
  over the requests answered: less swayed than latency by other work on a shared machine. Each worker keeps
  per-process data that follows from the set of imported releases alone (the coverage map; each release's
  id, dataset and date as written in a row), never a page: see docs/adr/0027-evidence-pages-speed.md.
- Datasette: `{d.command}`, `{d.url}`, on
  one table holding every observation with the API's twelve columns (joined
  from the Hub's database) and an index on (indicator, period), served in
  Datasette's default (mutable) mode. `_shape=objects` counts the matching
  rows as the Hub's page does.
- gunicorn's sync workers close the connection after each response, so wrk
  opens a new one per request to the Hub; Datasette (uvicorn) keeps
  connections alive. Both are each server's ordinary way of running.
- Before the load, the answers (cached, uncached, Datasette) are fetched and
  must hold the same {h.rows} rows (area, period, release, value); the run
  fails otherwise, and if any request under load fails.
"""


def _submissions(f: SubmissionFigures) -> str:
    rows = "\n".join(
        _row(d.database, p.name, p.sent, f"**{p.lost}**" if p.lost else "0", f"{p.seconds:.2f}",
             f"{p.per_second:.1f}", f"**{d.ratio:.2f}×**" if p is d.measured else "1.00× (baseline)")
        for d in f.results for p in (d.baseline, d.measured)
    )  # fmt: skip
    checks = "; ".join(f"{d.database}: {d.references} proposals, {d.distinct} distinct references, "
                       f"{d.confirmations} confirmation emails" for d in f.results)  # fmt: skip
    skipped = f"\n{f.skipped}.\n" if f.skipped else ""
    return f"""## (d) {f.n} proposals sent at the same moment

| database | sent | proposals | lost | seconds | proposals/s | ratio |
|---|---|---:|---:|---:|---:|---:|
{rows}
{skipped}
Target: 0 lost. A proposal is lost unless its request is answered with the
redirect to the confirmation page and the proposal is in the database with a
reference of its own ({checks}).

- The Hub: `{f.command}`, as the README deploys it, on an empty database
  (`migrate`, `load_network`); mail written to files.
- {f.n * 2} visitors, each from its own address (sent in `X-Forwarded-For`, as
  the proxy would), first fill in the form, so that a valid draft waits on
  "check your answers" in each one's session (not timed). Each worker first
  loads the work-area model (not timed).
- Baseline: {f.n} of them send their proposal one after another. Measured: the
  other {f.n} send theirs at the same moment (one thread each, released by a
  barrier); seconds run from the release to the last answer. The ratio is
  proposals a second sent at once over one after another.
"""


def _cold(page: PageFigures) -> str:
    return " / ".join(f"{ms:,}" for ms in page.cold_ms)


def _pages(f: PagesFigures) -> str:
    def target(page: object, value: float, limit: float | None, unit: str) -> str:
        if limit is None:
            return ""
        return f" ({'met' if value < limit else '**not met**'}: < {limit:,g} {unit})"

    rows = []
    for d in f.results:
        b = d.baseline
        rows.append(_row(d.database, b.name, f"{b.html_bytes:,}", f"{b.first_ms:.0f}", _cold(b), f"{b.load.p50_ms:.1f}",
                         f"{b.load.p95_ms:.1f}", "1.00×", f"{b.cpu_ms:.1f}", "1.00×",
                         f"{b.load.requests:,}"))  # fmt: skip
        for p in d.pages:
            rows.append(_row(d.database, p.name, f"{p.html_bytes:,}" + target(p, p.html_bytes, p.target_bytes, "bytes"),
                             f"{p.first_ms:.0f}", _cold(p), f"{p.load.p50_ms:.1f}",
                             f"**{p.load.p95_ms:.1f}**" + target(p, p.load.p95_ms, p.target_ms, "ms"),
                             f"**{d.ratio(p):.2f}×**", f"{p.cpu_ms:.1f}", f"{ratio(p.cpu_ms, b.cpu_ms):.2f}×",
                             f"{p.load.requests:,}"))  # fmt: skip
    skipped = f"\n{f.skipped}.\n" if f.skipped else ""
    tool = f.results[0].baseline.load.tool if f.results else ""
    return f"""## (e) Evidence pages

| database | page | HTML bytes | first ms | workers' first ms | p50 ms | p95 ms | p95 / base | server CPU ms \
| CPU / base | requests |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}
{skipped}
Targets (issue 9): place profile p95 < 150 ms; indicator page p95 < 200 ms and HTML < 200 KB.

- The Hub: `{f.command}` with production settings (`DEBUG=0`, static files from `collectstatic`), on a
  database with the member registry and every bundled file imported (PostgreSQL: `migrate`, `load_network`,
  `import_statistics` into `BENCH_POSTGRES_URL`, dropped afterwards).
- Every request carries a query parameter unique to it (`{f.results[0].pages[0].path if f.results else ""}&_bench=...`),
  so nothing keyed by the address answers it. The pages have no page or chart cache; each worker keeps the
  coverage map and the values of each imported release it has read (a release never changes;
  `docs/adr/0027-evidence-pages-speed.md`). "First request" is one request to a freshly started server
  (one of its two workers), before any load ("first ms"): the cost of reading those from the database.
- Warm-up, per page, before it is measured: the page is loaded until **every** worker has answered it 3 times
  (read from a gunicorn access log the benchmark turns on: pid, status, milliseconds, path), so that no cold
  worker's first request falls in the measured window; "workers' first ms" is the server time of each
  worker's first answer to that page (the cold cost, shown rather than hidden). Then {f.warmup:g} s of the
  measured load, for the latencies to settle.
- Load: {tool}, {f.connections} concurrent connections (one per worker: latency, not queueing),
  then {f.duration:g} s per page, one page at a time. The baseline is the
  accessibility statement: the same layout and middleware with no data, measured the same way in the same run.
- "Server CPU" is the CPU time (user and system, every thread) gunicorn's processes used during the measured
  load, over the requests answered: less swayed than latency by other work on a shared machine, whose load
  average is under Machine.
"""


def write(path: Path, machine: dict[str, str], imported: ImportFigures | None, api: ApiFigures | None,
          submissions: SubmissionFigures | None = None, pages: PagesFigures | None = None) -> None:  # fmt: skip
    """Rewrite the file with this run's figures; a benchmark not run this time keeps its section from the last run
    that ran it (its own machine and date are in the git history of this file)."""
    earlier = _sections(path.read_text()) if path.exists() else {}
    parts = [HEADER, _machine(machine)]
    rendered = {"(a)": _import(imported) if imported else None, "(b)": _api(api) if api else None,
                "(d)": _submissions(submissions) if submissions else None,
                "(e)": _pages(pages) if pages else None}  # fmt: skip
    for key, section in rendered.items():
        if section is not None:
            parts.append(section)
        elif key in earlier:
            parts.append(earlier[key])
    path.write_text("\n".join(p.rstrip("\n") + "\n" for p in parts))

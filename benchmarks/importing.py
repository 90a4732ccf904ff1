"""Benchmark (a): import every bundled file into an empty SQLite database.

The Hub: `manage.py migrate` on a fresh database file (not timed), then
`services.import_all()` in this process (timed: areas, the catalogue and every
source in `catalogue.SOURCES`). The baseline (`baseline.run`): the same files,
read with DuckDB or openpyxl, written with plain sqlite3 to a copy of the same
tables. Both must end with the same number of observations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .common import ROOT, BenchmarkError, heading, migrate, ratio, say, setup_django

DATA_DIR = ROOT / "data"


@dataclass
class SourceRow:
    key: str
    reader: str
    method: str
    hub_rows: int
    baseline_rows: int
    hub_seconds: float | None  # from the importer's progress messages; None if they could not be matched
    baseline_seconds: float


@dataclass
class ImportFigures:
    hub_seconds: float
    baseline_seconds: float
    hub_cpu_seconds: float
    baseline_cpu_seconds: float
    hub_observations: int
    baseline_observations: int
    hub_areas: int
    baseline_areas: int
    sources: list[SourceRow]
    hub_setup_seconds: float | None  # catalogue and area list, before the first source
    baseline_areas_seconds: float

    @property
    def ratio(self) -> float:
        return ratio(self.hub_seconds, self.baseline_seconds)

    @property
    def cpu_ratio(self) -> float:
        return ratio(self.hub_cpu_seconds, self.baseline_cpu_seconds)

    @property
    def fallbacks(self) -> list[str]:
        return [s.key for s in self.sources if s.method.endswith("(fallback)")]


def warm_up() -> None:
    """Read every file once so that neither side pays for a cold page cache, and import what both use."""
    from keycities.observatory import catalogue

    for rel in [catalogue.AREA_LIST, catalogue.AREA_PARENTS, *(s.path for s in catalogue.SOURCES)]:
        (DATA_DIR / rel).read_bytes()


@dataclass
class HubRun:
    seconds: float
    cpu_seconds: float
    rows: dict[str, int]
    releases: dict[str, int]
    split: dict[str, float]  # seconds per source key, and "(areas)" for what came before the first source
    observations: int
    areas: int


def hub_import(db: Path) -> HubRun:
    """Time `import_all()` on the migrated, empty `db`; split the time by source with its progress messages
    (import_all reports each result as it finishes)."""
    setup_django(db)
    from keycities.observatory import services
    from keycities.observatory.models import Area, Observation

    if Observation.objects.exists():
        raise BenchmarkError(f"{db} is not empty")
    warm_up()
    said: list[tuple[float, str]] = []
    start, cpu_start = time.perf_counter(), time.process_time()
    results = services.import_all(progress=lambda message: said.append((time.perf_counter(), message)))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    split: dict[str, float] = {}
    finished = {message: at for at, message in said}
    previous = next((at for at, message in said if message.startswith("areas:")), None)
    if previous is not None:
        split["(areas)"] = previous - start
        for r in results:
            at = finished.get(str(r))
            if at is None:
                break
            split[r.source], previous = at - previous, at
    return HubRun(seconds, cpu_seconds, {r.source: r.rows for r in results},
                  {r.source: r.release.pk for r in results if r.release is not None}, split,
                  Observation.objects.count(), Area.objects.count())  # fmt: skip


def prepare_database(db: Path) -> None:
    """An imported database for the API benchmark when the import benchmark is skipped (untimed)."""
    migrate(db)
    setup_django(db)
    from keycities.observatory import services

    services.import_all()


def run(workdir: Path) -> ImportFigures:
    heading("(a) Import: every bundled file into an empty SQLite database")
    hub_db = workdir / "hub.sqlite3"
    migrate(hub_db)
    say(f"Hub: migrated {hub_db} (not timed); timing services.import_all() ...")
    hub = hub_import(hub_db)
    hub_seconds, hub_count, hub_areas = hub.seconds, hub.observations, hub.areas
    say(f"Hub: {hub_count:,} observations, {hub_areas:,} areas in {hub_seconds:.2f} s")

    from keycities.observatory import catalogue  # Django is set up by hub_import

    from . import baseline

    say("Baseline: DuckDB / openpyxl read, sqlite3 executemany in one transaction ...")
    result = baseline.run(hub_db, workdir / "baseline.sqlite3", DATA_DIR, hub.releases)
    say(f"Baseline: {result.observations:,} observations, {result.areas:,} areas in {result.seconds:.2f} s")

    by_key = {s.key: s for s in result.sources}
    sources = [SourceRow(s.key, f"{s.read.__module__.rsplit('.', 1)[-1]}.{s.read.__qualname__}",
                         by_key[s.key].method, hub.rows.get(s.key, 0), by_key[s.key].rows, hub.split.get(s.key),
                         by_key[s.key].seconds)
               for s in catalogue.SOURCES]  # fmt: skip
    figures = ImportFigures(
        hub_seconds, result.seconds, hub.cpu_seconds, result.cpu_seconds, hub_count, result.observations,
        hub_areas, result.areas, sources, hub.split.get("(areas)"), result.areas_seconds,
    )  # fmt: skip

    def secs(value: float | None) -> str:
        return "?" if value is None else f"{value:.2f}"

    say()
    say(f"{'source':26} {'Hub reader':26} {'baseline reads with':27} {'Hub rows':>9} {'baseline':>9} "
        f"{'Hub s':>6} {'base s':>6}")  # fmt: skip
    say(f"{'(catalogue and area list)':80} {'':9} {secs(figures.hub_setup_seconds):>6} "
        f"{result.areas_seconds:6.2f}")  # fmt: skip
    for s in sources:
        flag = "" if s.hub_rows == s.baseline_rows else "  <-- DIFFERENT"
        say(f"{s.key:26} {s.reader:26} {s.method:27} {s.hub_rows:9,} {s.baseline_rows:9,} "
            f"{secs(s.hub_seconds):>6} {s.baseline_seconds:6.2f}{flag}")  # fmt: skip
    for key in figures.fallbacks:
        say(f"note: {key} is read with the Hub's own reader in the baseline too (a format this baseline "
            "does not read with DuckDB/openpyxl)")  # fmt: skip
    say()
    say(f"rows imported:       Hub {hub_count:,}   baseline {result.observations:,}")
    say(f"areas:               Hub {hub_areas:,}   baseline {result.areas:,}")
    say(f"Hub import:          {hub_seconds:8.2f} s   (CPU {hub.cpu_seconds:.2f} s)")
    say(f"baseline:            {result.seconds:8.2f} s   (CPU {result.cpu_seconds:.2f} s)")
    say(f"ratio Hub/baseline:  {figures.ratio:8.2f}x  (lower is better; 1.0 = as fast as the baseline); "
        f"CPU time ratio {figures.cpu_ratio:.2f}x")  # fmt: skip

    different = [s.key for s in sources if s.hub_rows != s.baseline_rows]
    if hub_count != result.observations or different:
        raise BenchmarkError(
            f"the Hub imported {hub_count:,} observations and the baseline {result.observations:,}; sources that "
            f"differ: {', '.join(different) or 'none'}. The baseline no longer reads what the Hub reads: fix "
            "benchmarks/baseline.py before trusting the ratio."
        )
    if hub_areas != result.areas:
        say(f"warning: the Hub has {hub_areas:,} areas and the baseline {result.areas:,}")
    return figures

"""The import benchmark's baseline: the Hub's bundled files loaded with no framework.

The same files as `catalogue.SOURCES` are read with DuckDB where DuckDB reads
the format (`read_csv` for the tidy CSVs and the WIMD scores, `read_json` for
the columnar JSON and the area list); the xlsx workbooks are read with openpyxl
directly (read-only, values only), because DuckDB's excel extension is not
bundled with the wheel and cannot be installed offline. A source whose reader
this module does not know (one added to the catalogue since) is read with the
Hub's own reader, and the output says so.

The rows are written with plain `sqlite3` `executemany`, in one transaction,
into the same tables as the Hub's (the DDL, with every index, unique and
foreign key constraint, is copied from the Hub's migrated database), with the
same PRAGMAs (WAL, synchronous=NORMAL, foreign_keys=ON). The catalogue rows
(datasets, indicators, releases; a few dozen) are copied from the Hub's
database before the clock starts; areas and observations are timed.

Checks a baseline skips on purpose (it is the floor): no per-cell validation,
no checksum of the file, no duplicate check other than the unique constraint.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import load_workbook

from keycities.observatory import catalogue
from keycities.observatory.importers import ons_csv
from keycities.observatory.importers.base import Source
from keycities.observatory.importers.ons_workbook import MARKERS
from keycities.observatory.models import kind_of_code

# (indicator slug, area code, area name, period, value, lower_ci, upper_ci, status, note)
Obs = tuple[str, str, str, int, float | None, float | None, float | None, str, str]


@dataclass
class Context:
    duck: duckdb.DuckDBPyConnection
    data_dir: Path
    areas: list[tuple[str, str, str | None, int | None, int | None]] = field(default_factory=list)


@dataclass
class SourceResult:
    key: str
    method: str
    rows: int
    seconds: float


@dataclass
class BaselineResult:
    seconds: float
    cpu_seconds: float  # this process's CPU time (DuckDB's threads included)
    observations: int
    areas: int
    sources: list[SourceResult]
    areas_seconds: float


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _columns(ctx: Context, relation: str, path: Path) -> list[str]:
    return [r[0] for r in ctx.duck.execute(f"DESCRIBE SELECT * FROM {relation}", [str(path)]).fetchall()]


# --------------------------------------------------------------------------------------------- DuckDB readers


def read_tidy_csv(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """ONS tidy CSV with DuckDB: column aliases, indicator names and status markers mapped in SQL."""
    relation = "read_csv(?, header = true, all_varchar = true)"
    lowered = {c.strip().lower(): c for c in _columns(ctx, relation, path)}

    def col(name: str) -> str:
        for alias in ons_csv.COLUMNS[name]:
            if alias in lowered:
                return f"trim({_ident(lowered[alias])})"
        return "NULL"

    def num(name: str) -> str:
        return f"TRY_CAST(NULLIF(replace({col(name)}, ',', ''), '') AS DOUBLE)"

    slugs = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in source.indicators.items())
    markers = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in ons_csv.STATUS.items())
    provisional = [int(p) for p in source.options.get("provisional_periods", ())]  # type: ignore[attr-defined]
    rows = ctx.duck.execute(f"""
        WITH r AS (
            SELECT {col("areacd")} AS code, coalesce({col("areanm")}, '') AS name, {col("indicator")} AS ind,
                   CAST(substr({col("period")}, 1, 4) AS INTEGER) AS period, {num("observation")} AS value,
                   {num("lci")} AS lci, {num("uci")} AS uci, lower(coalesce({col("status")}, '')) AS marker,
                   left(coalesce({col("notes")}, ''), 200) AS note
            FROM {relation}
        )
        SELECT CASE ind {slugs} END, code, name, period, value, lci, uci,
               CASE WHEN value IS NULL THEN 'suppressed'
                    WHEN marker = '' AND list_contains({provisional}::INTEGER[], period) THEN 'provisional'
                    ELSE CASE marker {markers} END END,
               note
        FROM r WHERE coalesce(code, '') <> ''
    """, [str(path)]).fetchall()  # fmt: skip
    if any(r[0] is None for r in rows):
        raise ValueError(f"{path.name}: an indicator name is not in the catalogue")
    return rows


def read_population_json(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """ONS columnar JSON with DuckDB: the parallel arrays unnested side by side."""
    relation = "read_json(?)"
    columns = set(_columns(ctx, relation, path))
    ci = {c: f"unnest({c})::DOUBLE" if c in columns else "NULL" for c in ("lci", "uci")}
    found = ctx.duck.execute(f"""
        SELECT code, unnest(areacd), unnest(xDomainNumb)::INTEGER, unnest(value)::DOUBLE, {ci["lci"]}, {ci["uci"]}
        FROM {relation}
    """, [str(path)]).fetchall()  # fmt: skip
    out: list[Obs] = []
    for code, area, year, value, lci, uci in found:
        slug = source.indicators[code]
        out.append((slug, area, "", year, value, lci, uci, "" if value is not None else "suppressed", ""))
    return out


def read_wimd_csv(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """WIMD small-area scores with DuckDB: the two local authority summaries computed in SQL."""
    opts = source.options
    relation = "read_csv(?, header = true)"
    by_label = {c.strip(): c for c in _columns(ctx, relation, path)}
    la, score = _ident(by_label[str(opts["la_label"])]), _ident(by_label[str(opts["score_label"])])
    found = ctx.duck.execute(f"""
        WITH l AS (SELECT trim({la}) AS la, {score}::DOUBLE AS score,
                          row_number() OVER (ORDER BY {score} DESC) AS rank, count(*) OVER () AS n
                   FROM {relation})
        SELECT la, avg(score), count(*), count(*) FILTER (WHERE rank <= CAST(n / 10 + 0.5 AS INTEGER))
        FROM l GROUP BY la ORDER BY la
    """, [str(path)]).fetchall()  # fmt: skip
    welsh = {name: code for code, name, _, _, end in ctx.areas if code.startswith("W06") and end is None}
    period = int(opts["period"])  # type: ignore[call-overload]
    out: list[Obs] = []
    for name, mean, lsoas, most in found:
        code = welsh[name]
        out.append((str(opts["average"]), code, name, period, round(mean, 10), None, None, "", f"mean of {lsoas}"))
        out.append((str(opts["share_most_deprived"]), code, name, period, round(100 * most / lsoas, 10), None, None,
                    "", f"{most} of {lsoas} LSOAs"))  # fmt: skip
    return out


def read_area_list(ctx: Context) -> list[tuple[str, str, str | None, int | None, int | None]]:
    """The ONS area list (code, name, parent, start, end) with DuckDB, parents from the lookup CSV."""
    ctx.duck.execute("""
        CREATE OR REPLACE TEMP TABLE area_json AS SELECT * FROM read_json(?, columns = {
            areacd: 'VARCHAR[]', areanm: 'VARCHAR[]', parentcd: 'VARCHAR[]',
            "start": 'MAP(VARCHAR, INTEGER)', "end": 'MAP(VARCHAR, INTEGER)'})
    """, [str(ctx.data_dir / catalogue.AREA_LIST)])  # fmt: skip
    return ctx.duck.execute("""
        WITH a AS (SELECT unnest(areacd) AS code, unnest(areanm) AS name, unnest(parentcd) AS parent,
                          unnest(range(len(areacd))) AS i FROM area_json),
             s AS (SELECT unnest(map_keys("start"))::INTEGER AS i, unnest(map_values("start")) AS y FROM area_json),
             e AS (SELECT unnest(map_keys("end"))::INTEGER AS i, unnest(map_values("end")) AS y FROM area_json),
             p AS (SELECT trim(areacd) AS code, NULLIF(trim(parentcd), '') AS parent
                   FROM read_csv(?, header = true, all_varchar = true))
        SELECT a.code, trim(a.name), coalesce(p.parent, NULLIF(a.parent, '')), s.y, e.y
        FROM a LEFT JOIN s USING (i) LEFT JOIN e USING (i) LEFT JOIN p ON p.code = a.code ORDER BY a.i
    """, [str(ctx.data_dir / catalogue.AREA_PARENTS)]).fetchall()  # fmt: skip


# --------------------------------------------------------------------------------------------- openpyxl readers


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _cell(value: Any, markers: dict[str, tuple[str, str]]) -> tuple[float | None, str, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), "", ""
    status, note = markers.get(_text(value), ("suppressed", ""))
    return None, status, note


def _sheet_rows(wb: Any, sheet: str) -> list[tuple[Any, ...]]:
    return list(wb[sheet].iter_rows(values_only=True))


def _header_at(rows: list[tuple[Any, ...]], first_label: str) -> int:
    return next(i for i, cells in enumerate(rows) if cells and _text(cells[0]) == first_label)


def read_wide_workbook(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """ONS wide GDP workbook with openpyxl: one row per area and year column of each mapped sheet."""
    opts = source.options
    labels: list[str] = list(opts["labels"])  # type: ignore[call-overload]
    code_col, name_col = labels.index(str(opts["code_label"])), labels.index(str(opts["name_label"]))
    recode: dict[str, str] = dict(opts.get("recode", {}))  # type: ignore[call-overload]
    markers = {**MARKERS, **opts.get("markers", {})}  # type: ignore[dict-item]
    provisional: tuple[str, str] | None = opts.get("provisional")  # type: ignore[assignment]
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        out: list[Obs] = []
        marked: set[int] = set()
        for sheet, slug in source.indicators.items():
            rows = _sheet_rows(wb, sheet)
            h = _header_at(rows, labels[0])
            years: dict[int, int] = {}
            for col, head in enumerate(rows[h][len(labels) :], start=len(labels)):
                match = re.match(r"^(\d{4})\s*(p|\[p\]|\(p\))?", _text(head), re.IGNORECASE)
                if match:
                    years[col] = int(match.group(1))
                    if match.group(2):
                        marked.add(years[col])
            for cells in rows[h + 1 :]:
                published = _text(cells[code_col]) if len(cells) > code_col else ""
                if not published:
                    continue
                code = recode.get(published, published)
                name, recoded = _text(cells[name_col]), f"published as {published}" if code != published else ""
                for col, year in years.items():
                    value, status, note = _cell(cells[col] if col < len(cells) else None, markers)
                    out.append((slug, code, name, year, value, None, None, status,
                                "; ".join(n for n in (note, recoded) if n)))  # fmt: skip
        if provisional:
            sentence = " ".join(provisional[1].lower().split())
            said = any(sentence in " ".join(str(c).lower().split())
                       for cells in _sheet_rows(wb, provisional[0]) for c in cells if isinstance(c, str))  # fmt: skip
            latest = max(r[3] for r in out)
            out = [(*r[:7], "provisional", r[8]) if r[7] == "" and (r[3] in marked or (said and r[3] == latest))
                   else r for r in out]  # fmt: skip
        return out
    finally:
        wb.close()


def read_iod_workbook(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """IoD 2019 File 10 with openpyxl: one row per district and mapped column of each sheet."""
    opts = source.options
    period = int(opts["period"])  # type: ignore[call-overload]
    fractions = set(opts.get("fractions", ()))  # type: ignore[call-overload]
    columns: dict[str, dict[str, str]] = {}
    for key, slug in source.indicators.items():
        sheet, _, header = key.partition("!")
        columns.setdefault(sheet, {})[header] = slug
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        out: list[Obs] = []
        for sheet, wanted in columns.items():
            rows = _sheet_rows(wb, sheet)
            slugs = {col: wanted[h] for col, h in enumerate(_text(c) for c in rows[0]) if h in wanted}
            for cells in rows[1:]:
                code = _text(cells[0]) if cells else ""
                if not code:
                    continue
                name = _text(cells[1])
                for col, slug in slugs.items():
                    value, status, note = _cell(cells[col] if col < len(cells) else None, MARKERS)
                    if value is not None and slug in fractions:
                        value = round(value * 100, 10)
                    out.append((slug, code, name, period, value, None, None, status, note))
        return out
    finally:
        wb.close()


def read_trade_workbook(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """Subnational trade summary sheet with openpyxl: one row per area and mapped column."""
    opts = source.options
    labels: list[str] = list(opts["labels"])  # type: ignore[call-overload]
    code_col, name_col = labels.index(str(opts["code_label"])), labels.index(str(opts["name_label"]))
    period = int(opts["period"])  # type: ignore[call-overload]
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = _sheet_rows(wb, str(opts["sheet"]))
    finally:
        wb.close()
    h = _header_at(rows, labels[0])
    slugs = {col: source.indicators[t] for col, t in enumerate(_text(c) for c in rows[h]) if t in source.indicators}
    out: list[Obs] = []
    for cells in rows[h + 1 :]:
        code = _text(cells[code_col]) if len(cells) > code_col else ""
        if not code:
            continue
        name = _text(cells[name_col])
        for col, slug in slugs.items():
            value, status, note = _cell(cells[col] if col < len(cells) else None, MARKERS)
            out.append((slug, code, name, period, value, None, None, status, note))
    return out


def read_with_hub(ctx: Context, path: Path, source: Source) -> list[Obs]:
    """Fallback for a reader this baseline does not know: the Hub's own reader."""
    return [(r.indicator, r.area_code, r.area_name, r.period, r.value, r.lower_ci, r.upper_ci, r.status, r.note)
            for r in source.read(path, source)]  # fmt: skip


Reader = Callable[[Context, Path, Source], list[Obs]]
_IMPORTERS = "keycities.observatory.importers"
READERS: dict[str, tuple[Reader, str]] = {
    f"{_IMPORTERS}.ons_csv.read": (read_tidy_csv, "DuckDB read_csv"),
    f"{_IMPORTERS}.ons_json.read_population": (read_population_json, "DuckDB read_json"),
    f"{_IMPORTERS}.deprivation.read_wimd": (read_wimd_csv, "DuckDB read_csv + GROUP BY"),
    f"{_IMPORTERS}.ons_workbook.read": (read_wide_workbook, "openpyxl"),
    f"{_IMPORTERS}.deprivation.read_iod": (read_iod_workbook, "openpyxl"),
    f"{_IMPORTERS}.trade.read": (read_trade_workbook, "openpyxl"),
}
FALLBACK = (read_with_hub, "Hub's own reader (fallback)")


def reader_name(source: Source) -> str:
    return f"{source.read.__module__}.{source.read.__qualname__}"


def reader_for(source: Source) -> tuple[Reader, str]:
    return READERS.get(reader_name(source), FALLBACK)


# --------------------------------------------------------------------------------------------- the load

TABLES = ("observatory_dataset", "observatory_indicator", "observatory_release")  # copied, not timed
AREA_COLUMNS = ("id", "code", "name", "kind", "parent_id", "start_year", "end_year")
OBS_COLUMNS = ("release_id", "indicator_id", "area_id", "period", "value", "lower_ci", "upper_ci", "status", "note")


def _prepare(hub_db: Path, db: Path) -> sqlite3.Connection:
    """A database with the Hub's observatory tables (same DDL) and its catalogue rows."""
    hub = sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True)
    ddl = [sql for (sql,) in hub.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name LIKE 'observatory%' AND sql IS NOT NULL "
        "ORDER BY type = 'index', rowid")]  # fmt: skip
    hub.close()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    for sql in ddl:
        con.execute(sql)
    con.execute("ATTACH DATABASE ? AS hub", (f"file:{hub_db}?mode=ro",))
    for table in TABLES:
        con.execute(f"INSERT INTO main.{table} SELECT * FROM hub.{table}")
    con.execute("DETACH DATABASE hub")
    return con


def run(hub_db: Path, db: Path, data_dir: Path, release_ids: dict[str, int]) -> BaselineResult:
    """Load every source in `catalogue.SOURCES` into `db`; `release_ids` maps each source key to the release the
    Hub created for it (the observations carry the same release ids)."""
    con = _prepare(hub_db, db)
    indicators = dict(con.execute("SELECT slug, id FROM observatory_indicator").fetchall())
    ctx = Context(duck=duckdb.connect(), data_dir=data_dir)
    ctx.duck.execute("SELECT 42").fetchall()  # DuckDB started before the clock
    area_sql = f"INSERT INTO observatory_area ({', '.join(AREA_COLUMNS)}) VALUES ({', '.join('?' * len(AREA_COLUMNS))})"
    obs_sql = (
        f"INSERT INTO observatory_observation ({', '.join(OBS_COLUMNS)}) VALUES ({', '.join('?' * len(OBS_COLUMNS))})"
    )

    start, cpu_start = time.perf_counter(), time.process_time()
    con.execute("BEGIN")
    ctx.areas = read_area_list(ctx)
    known = {a[0] for a in ctx.areas}
    listed = list(ctx.areas)
    for code, extra in catalogue.EXTRA_AREAS.items():  # a name, or (name, last year) for an abolished area
        if code not in known:
            name, end = (extra, None) if isinstance(extra, str) else extra
            listed.append((code, name, None, None, end))
    ids = {a[0]: i for i, a in enumerate(listed, start=1)}
    parents = {a[0]: a[2] for a in listed}
    for code in ids:
        if code.startswith("E12"):
            parents[code] = "E92000001"
        elif code[:3] in {"E92", "W92", "S92", "N92"}:
            parents[code] = "K02000001"
    con.executemany(area_sql, ((ids[code], code, name, str(kind_of_code(code)), ids.get(parents[code] or ""), s, e)
                               for code, name, _, s, e in listed))  # fmt: skip

    areas_seconds = time.perf_counter() - start
    sources: list[SourceResult] = []
    for source in catalogue.SOURCES:
        began = time.perf_counter()
        read, method = reader_for(source)
        rows = read(ctx, data_dir / source.path, source)
        new = {}
        for r in rows:
            if r[1] not in ids and r[1] not in new:
                new[r[1]] = r[2]
        for code, name in new.items():
            ids[code] = len(ids) + 1
            con.execute(area_sql, (ids[code], code, name, str(kind_of_code(code)), None, None, None))
        release = release_ids[source.key]
        con.executemany(obs_sql, ((release, indicators[r[0]], ids[r[1]], *r[3:]) for r in rows))
        sources.append(SourceResult(source.key, method, len(rows), time.perf_counter() - began))
    con.execute("COMMIT")
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start

    observations = con.execute("SELECT count(*) FROM observatory_observation").fetchone()[0]  # type: ignore[index]
    areas = con.execute("SELECT count(*) FROM observatory_area").fetchone()[0]  # type: ignore[index]
    con.close()
    ctx.duck.close()
    return BaselineResult(seconds, cpu_seconds, observations, areas, sources, areas_seconds)

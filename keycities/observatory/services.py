"""Writes to the observatory: load areas, indicators and releases.

Each import is extract → validate → load. A file is read and every row
checked before anything is written; the load is one transaction, so a bad
file changes nothing. A file whose checksum was imported before is skipped;
a changed file for the same dataset becomes a new release beside the old.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from keycities.core.errors import DataFileError
from keycities.core.files import sha256_of

from . import catalogue
from .importers import ons_json
from .importers.base import Row, Source
from .models import REGISTERED_FROM_FILES, Area, Dataset, Indicator, Observation, Release, kind_of_code
from .signals import release_imported

DATA_DIR = Path(settings.BASE_DIR) / "data"
BATCH = 5000
OBSERVATION_COLUMNS = ["release_id", "indicator_id", "area_id", "period", "value", "lower_ci", "upper_ci", "status",
                       "note"]  # fmt: skip
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ImportResult:
    source: str
    release: Release | None
    created: bool
    rows: int

    def __str__(self) -> str:
        if not self.created:
            return f"{self.source}: unchanged (already imported)"
        return f"{self.source}: {self.rows:,} observations imported as a new release"


@transaction.atomic
def sync_catalogue() -> None:
    """Create or update the indicators and datasets that the catalogue defines. Only what differs is written
    (each through the model, so that the audit log records it); an unchanged catalogue writes nothing."""
    datasets = {d.slug: d for d in Dataset.objects.all()}
    for slug, values in catalogue.DATASETS.items():
        dataset = datasets.get(slug)
        if dataset is None:
            Dataset.objects.create(slug=slug, **values)
        elif _differs(dataset, values):
            Dataset.objects.update_or_create(slug=slug, defaults=values)
    existing = {i.slug: i for i in Indicator.objects.all()}
    by_slug: dict[str, Indicator] = {}
    for position, d in enumerate(catalogue.INDICATORS):
        fields: dict[str, object] = {
            "name": d.name, "topic": d.topic, "unit": d.unit, "aggregation": d.aggregation,
            "definition": d.definition, "caveats": d.caveats, "scale": d.scale, "base": d.base,
            "name_cy": d.name_cy, "topic_cy": d.topic_cy, "definition_cy": d.definition_cy, "caveats_cy": d.caveats_cy,
            "derived": d.derived, "higher_is_better": d.higher_is_better, "period_label": d.period_label,
            "position": position,
        }  # fmt: skip
        ind = existing.get(d.slug)
        if ind is None:  # created with the links it can have already (its parts listed before it), saved once
            known = {f"{name}_id": by_slug[target].pk for name, target in _links(d) if target and target in by_slug}
            by_slug[d.slug] = Indicator.objects.create(slug=d.slug, **fields, **known)
        elif _differs(ind, fields):
            by_slug[d.slug], _ = Indicator.objects.update_or_create(slug=d.slug, defaults=fields)
        else:
            by_slug[d.slug] = ind
    for d in catalogue.INDICATORS:
        ind = by_slug[d.slug]
        links = {f"{name}_id": by_slug[target].pk if target else None for name, target in _links(d)}
        if _differs(ind, links):
            for k, v in links.items():
                setattr(ind, k, v)
            ind.save(update_fields=["numerator", "denominator", "weight"])


def _links(d: catalogue.IndicatorDef) -> list[tuple[str, str | None]]:
    return [("numerator", d.numerator), ("denominator", d.denominator), ("weight", d.weight)]


def _differs(obj: object, values: Mapping[str, object]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


@transaction.atomic
def import_areas(areas_file: Path | None = None, parents_file: Path | None = None) -> int:
    """Create or update every area in the ONS area list; returns how many were created. Written with plain
    `executemany` (the rows are checked by the reader), and only the areas that are new or differ."""
    rows = ons_json.read_areas(areas_file or DATA_DIR / catalogue.AREA_LIST,
                               parents_file or DATA_DIR / catalogue.AREA_PARENTS)  # fmt: skip
    known = {r.code for r in rows}
    for code, extra in catalogue.EXTRA_AREAS.items():
        if code not in known:
            name, end = (extra, None) if isinstance(extra, str) else extra
            rows.append(ons_json.AreaRow(code, name, None, None, end))
    fields = ("pk", "code", "name", "kind", "start_year", "end_year", "parent_id")
    existing = {code: (pk, rest) for pk, code, *rest in Area.objects.values_list(*fields)}
    new, changed = [], []
    for r in rows:
        values = (r.name, str(kind_of_code(r.code)), r.start_year, r.end_year)
        found = existing.get(r.code)
        if found is None:
            new.append((r.code, *values))
        elif tuple(found[1][:4]) != values:
            changed.append((*values, found[0]))
    _write(Area, ["code", "name", "kind", "start_year", "end_year"], new)
    _write(Area, ["name", "kind", "start_year", "end_year"], changed, update=True)
    ids = dict(Area.objects.values_list("code", "id"))
    parents = {r.code: r.parent for r in rows}
    for code in ids:
        if code.startswith("E12"):
            parents[code] = "E92000001"
        elif code[:3] in {"E92", "W92", "S92", "N92"}:
            parents[code] = "K02000001"
    now = {code: found[1][4] for code, found in existing.items()}
    updates = [(ids[p], ids[c]) for c, p in parents.items() if p and c in ids and p in ids and now.get(c) != ids[p]]
    _write(Area, ["parent_id"], updates, update=True)
    _run.area_ids = None  # a run that imports the area list reads it again
    return len(new)


def _write(model: type[models.Model], columns: list[str], rows: Sequence[Sequence[Any]], *,
           update: bool = False) -> None:  # fmt: skip
    """INSERT `rows` into `model`'s table (or, with `update`, set `columns` where the id is the row's last value)
    with one `executemany` per BATCH rows: the database's own constraints still apply (types, NOT NULL, unique,
    foreign keys), but no model is built, which cost most of an import's time."""
    if not rows:
        return
    q = connection.ops.quote_name  # names from the model, values as parameters
    table, names = q(model._meta.db_table), [q(c) for c in columns]
    if update:
        sql = f"UPDATE {table} SET {', '.join(f'{n} = %s' for n in names)} WHERE {q('id')} = %s"  # noqa: S608
    else:
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _check_rows(path: Path, rows: list[Row]) -> None:
    if not rows:
        raise DataFileError(path, "has no rows")
    seen: dict[tuple[str, str, int], int] = {}
    for row in rows:
        key = (row.indicator, row.area_code, row.period)
        if key in seen:
            raise DataFileError(path, f"repeats {row.indicator} for {row.area_code} in {row.period} (first at row "
                                      f"{seen[key]})", row=row.line)  # fmt: skip
        seen[key] = row.line


def _areas_to_register(path: Path, rows: Iterable[Row], known: Iterable[str]) -> dict[str, str]:
    """The codes to register from the file, with their names. Unknown local authority, region and nation
    codes are refused; ITL regions and city regions, which the ONS area list does not hold, are registered
    from the file with the name it gives."""
    known = set(known)
    to_register: dict[str, str] = {}
    for row in rows:
        if row.area_code in known or row.area_code in to_register:
            continue
        if kind_of_code(row.area_code) in REGISTERED_FROM_FILES or row.area_code == "UK":
            if not row.area_name:
                raise DataFileError(path, f"area {row.area_code} has no name", row=row.line)
            to_register[row.area_code] = row.area_name
        else:
            raise DataFileError(path, f"unknown area code {row.area_code!r}", row=row.line, column="area code")
    return to_register


def _area_ids() -> dict[str, int]:
    """Area code -> id. Read once per import run (and kept with it: `import_run`), not once or twice per file;
    a file that registers areas adds them, and a failed file empties it."""
    run_ids: dict[str, int] | None = getattr(_run, "area_ids", None)
    if run_ids is not None:
        return run_ids
    ids = dict(Area.objects.values_list("code", "id"))
    if getattr(_run, "releases", None) is not None:
        _run.area_ids = ids
    return ids


def _resolve_areas(path: Path, rows: Iterable[Row], ids: dict[str, int] | None = None) -> dict[str, int]:
    """Map each code to an area id, registering the areas the file may add (`_areas_to_register`)."""
    ids = _area_ids() if ids is None else ids
    to_register = _areas_to_register(path, rows, ids)
    for code, name in to_register.items():
        ids[code] = Area.objects.create(code=code, name=name, kind=kind_of_code(code)).id
    return ids


def read_source(source: Source, path: Path) -> list[Row]:
    """Extract and validate a file of `source` without writing anything: every row checked, no duplicates,
    every indicator in the catalogue. Raises DataFileError naming the file, row and column."""
    if not path.exists():
        raise DataFileError(path, "does not exist")
    rows = list(source.read(path, source))  # extract and validate: raises DataFileError, writes nothing
    _check_rows(path, rows)
    indicators = set(Indicator.objects.values_list("slug", flat=True))
    if not indicators:
        sync_catalogue()
        indicators = set(Indicator.objects.values_list("slug", flat=True))
    for row in rows:
        if row.indicator not in indicators:
            raise DataFileError(path, f"indicator {row.indicator!r} is not in the catalogue", row=row.line)
    _areas_to_register(path, rows, _area_ids())  # refuses unknown areas
    return rows


# --------------------------------------------------------------------------- import runs

_run = threading.local()


@contextmanager
def import_run() -> Iterator[list[Release]]:
    """One import run: the releases it imports, and any committed earlier but never announced, are announced
    together when the run ends, with one `release_imported` signal, so that listeners (the claims register)
    re-check once per run however many files it imports. New releases are announced once they have committed
    (at once, unless the run is inside a larger transaction); releases found unannounced were committed by an
    earlier run and are announced when this one ends. Runs nest: an inner run joins the outer one."""
    if getattr(_run, "releases", None) is not None:
        yield _run.releases
        return
    releases: list[Release] = []
    _run.releases, _run.area_ids = releases, None
    pending = list(Release.objects.filter(status=Release.Status.DONE, announced_at__isnull=True))
    try:
        yield releases
    finally:
        _run.releases = _run.area_ids = None
        if releases:
            everything = pending + releases
            transaction.on_commit(lambda: _announce(everything))
        elif pending:
            _announce(pending)


def import_source(source: Source, *, path: Path | None = None, release_date: dt.date | None = None,
                  progress: Progress | None = None) -> ImportResult:  # fmt: skip
    """Import one file as a release of its dataset. Atomic and idempotent; a run of its own unless it is
    part of a larger one (`import_run`)."""
    path = path or DATA_DIR / source.path
    say = progress or (lambda message: None)
    if not path.exists():
        raise DataFileError(path, "does not exist")
    with import_run() as run:
        digest = sha256_of(path)
        dataset = Dataset.objects.filter(slug=source.dataset).first()
        if dataset is None:
            sync_catalogue()
            dataset = Dataset.objects.get(slug=source.dataset)
        if Release.objects.filter(dataset=dataset, sha256=digest, status=Release.Status.DONE).exists():
            return ImportResult(source.key, None, False, 0)

        say(f"{source.key}: reading {path.name}")
        rows = read_source(source, path)
        indicators = dict(Indicator.objects.values_list("slug", "id"))

        try:
            with transaction.atomic():
                area_ids = _resolve_areas(path, rows)
                release = Release.objects.create(
                    dataset=dataset, release_date=release_date or dt.date.fromisoformat(source.release_date),
                    file_name=path.name, sha256=digest,
                )  # fmt: skip
                # Every row was validated by its reader and read_source; the database checks the rest (types,
                # unique, foreign keys). Tuples, not models: building 300,000 models was most of an import.
                for start in range(0, len(rows), BATCH):
                    _write(Observation, OBSERVATION_COLUMNS, [
                        (release.pk, indicators[r.indicator], area_ids[r.area_code], r.period, r.value, r.lower_ci,
                         r.upper_ci, r.status, r.note)
                        for r in rows[start : start + BATCH]
                    ])  # fmt: skip
                    say(f"{source.key}: {min(start + BATCH, len(rows)):,} of {len(rows):,} rows loaded")
                release.rows = len(rows)
                release.status = Release.Status.DONE
                release.save(update_fields=["rows", "status"])
        except BaseException:
            _run.area_ids = None  # the areas it registered were rolled back
            raise
        run.append(release)  # announced when the run ends, once committed
    return ImportResult(source.key, release, True, len(rows))


def _announce(releases: list[Release]) -> None:
    release_imported.send(sender=Release, releases=list(releases))
    Release.objects.filter(pk__in=[r.pk for r in releases]).update(announced_at=timezone.now())


def announce_pending() -> int:
    """Send `release_imported` for every release committed but never announced (an import killed between
    its commit and its announcement), so that listeners (claims) catch up; one signal for all of them."""
    pending = Release.objects.filter(status=Release.Status.DONE, announced_at__isnull=True).count()
    with import_run():
        return pending


def import_all(progress: Progress | None = None) -> list[ImportResult]:
    """Areas, the catalogue and every bundled source. Each file is its own transaction."""
    say = progress or (lambda message: None)
    sync_catalogue()
    created = import_areas()
    say(f"areas: {created:,} created, {Area.objects.count():,} in all")
    results = []
    with import_run():  # the claims are re-checked once, after the last file
        for s in catalogue.SOURCES:
            result = import_source(s, progress=progress)
            say(str(result))
            results.append(result)
    return results

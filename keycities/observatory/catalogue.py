"""What the observatory measures and where each bundled figure comes from, read from data files.

The catalogue is data, not code (docs/adr/0026-releases-without-code.md):

- `data/catalogue/indicators.yaml` defines each indicator once: unit, how it may be aggregated (DESIGN.md §2),
  definition, direction and caveats;
- `data/catalogue/sources.yaml` names every dataset (publication) with its publisher, and every bundled file
  (a *source*: one release of a dataset) with its release date, its format and the indicators it carries.

Both files are validated when this module is imported (pydantic models, unknown keys refused, every reference
checked), so a mistake in them stops the Hub at start-up with the file and the place to fix, never halfway
through an import. The only code here is `FORMATS`: which reader reads which format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from keycities.core.errors import DataFileError

from .importers import deprivation, ons_csv, ons_json, ons_workbook, population_age, trade
from .importers.base import Row, Source

CATALOGUE_DIR = Path(settings.BASE_DIR) / "data" / "catalogue"
INDICATORS_FILE = CATALOGUE_DIR / "indicators.yaml"
SOURCES_FILE = CATALOGUE_DIR / "sources.yaml"

# Format name (sources.yaml) -> the reader that extracts and validates such a file (keycities/observatory/importers).
FORMATS: dict[str, Callable[[Path, Source], Iterator[Row]]] = {
    "ons-csv": ons_csv.read,
    "ons-json-population": ons_json.read_population,
    "ons-gdp-workbook": ons_workbook.read,
    "mhclg-iod-workbook": deprivation.read_iod,
    "wimd-csv": deprivation.read_wimd,
    "ons-trade-workbook": trade.read,
    "ons-census-age-csv": population_age.read_census,
    "ons-mye-age-workbook": population_age.read_mye,
}


@dataclass(frozen=True)
class IndicatorDef:
    slug: str
    name: str
    topic: str
    unit: str
    aggregation: str
    definition: str
    higher_is_better: bool | None
    caveats: str = ""
    name_cy: str = ""  # Welsh twins (docs/adr/0010-welsh.md): blank where not yet translated
    topic_cy: str = ""
    definition_cy: str = ""
    caveats_cy: str = ""
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    weight: str | None = None
    base: str = ""
    derived: bool = False
    period_label: str = "{year}"
    extra: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- the files' shape


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$", max_length=50)
    name: str = Field(min_length=1, max_length=150)
    topic: str = Field(min_length=1, max_length=60)
    unit: Literal["persons", "£m", "£", "%", "ratio", "index-2019", "score", "rank"]
    aggregation: Literal["sum", "ratio", "weighted-mean", "growth", "not-combinable"]
    definition: str = Field(min_length=1)
    higher_is_better: bool | None
    caveats: str = ""
    name_cy: str = Field(default="", max_length=150)
    topic_cy: str = Field(default="", max_length=60)
    definition_cy: str = ""
    caveats_cy: str = ""
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    weight: str | None = None
    base: str = Field(default="", max_length=200)
    derived: bool = False
    period_label: str = Field(default="{year}", pattern=r"\{year\}", max_length=60)


class IndicatorsFile(_Strict):
    indicators: list[IndicatorIn]


class DatasetIn(_Strict):
    title: str = Field(min_length=1, max_length=200)
    publisher: str = Field(min_length=1, max_length=120)
    source_url: str = Field(pattern=r"^https://", max_length=400)
    geography: str = Field(min_length=1, max_length=200)
    licence: str = Field(default="Open Government Licence v3.0", max_length=120)
    description: str = ""


class SourceIn(_Strict):
    key: str = Field(pattern=r"^[a-z0-9-]+$", max_length=60)
    dataset: str
    file: str = Field(min_length=1)
    format: str
    released: dt.date
    indicators: dict[str, str] = {}
    options: dict[str, Any] = {}


class ExtraAreaIn(_Strict):
    name: str = Field(min_length=1, max_length=150)
    end_year: int | None = None


class AreasIn(_Strict):
    list: str
    parents: str
    boundaries: str
    extra: dict[str, ExtraAreaIn] = {}


class SourcesFile(_Strict):
    areas: AreasIn
    datasets: dict[str, DatasetIn]
    sources: list[SourceIn]


# --------------------------------------------------------------------------- loading


def _tuples(value: Any) -> Any:
    """YAML lists as tuples, as the readers expect of their options (`str.startswith` takes a tuple)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader where PyYAML has it: 10 times faster


def _read(path: Path, model: type[BaseModel]) -> Any:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader, C or Python)
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(path, f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                            row=mark.line + 1 if mark else None) from exc  # fmt: skip
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DataFileError(path, f"{first['msg']} (at {'.'.join(str(p) for p in first['loc'])})") from exc


@dataclass(frozen=True)
class Catalogue:
    indicators: list[IndicatorDef]
    datasets: dict[str, dict[str, str]]
    sources: list[Source]
    area_list: str
    area_parents: str
    boundaries: str
    extra_areas: dict[str, str | tuple[str, int]]


def load(indicators_file: Path = INDICATORS_FILE, sources_file: Path = SOURCES_FILE) -> Catalogue:
    """Read and check both files; DataFileError names the file and what to fix."""
    ind_data: IndicatorsFile = _read(indicators_file, IndicatorsFile)
    src_data: SourcesFile = _read(sources_file, SourcesFile)
    indicators = [IndicatorDef(**i.model_dump()) for i in ind_data.indicators]
    slugs = [d.slug for d in indicators]
    if len(set(slugs)) != len(slugs):
        twice = sorted({s for s in slugs if slugs.count(s) > 1})
        raise DataFileError(indicators_file, f"defines {', '.join(twice)} more than once")
    for d in indicators:
        for part in ("numerator", "denominator", "weight"):
            ref = getattr(d, part)
            if ref is not None and ref not in slugs:
                raise DataFileError(indicators_file, f"{d.slug}: {part} {ref!r} is not an indicator")
        if d.aggregation == "ratio" and not (d.numerator and d.denominator):
            raise DataFileError(indicators_file, f"{d.slug}: a ratio needs a numerator and a denominator")
        if d.aggregation == "weighted-mean" and not d.weight:
            raise DataFileError(indicators_file, f"{d.slug}: a weighted mean needs a weight")
        if d.aggregation == "growth" and not d.numerator:
            raise DataFileError(indicators_file, f"{d.slug}: growth needs the level it is computed from (numerator)")
        if d.caveats_cy and not d.caveats:
            raise DataFileError(indicators_file, f"{d.slug}: caveats_cy translates caveats, which are missing")
    topics_cy: dict[str, str] = {}
    for d in indicators:
        if d.topic_cy and topics_cy.setdefault(d.topic, d.topic_cy) != d.topic_cy:
            raise DataFileError(indicators_file, f"{d.slug}: topic {d.topic!r} is {topics_cy[d.topic]!r} in Welsh "
                                                 f"elsewhere, not {d.topic_cy!r}")  # fmt: skip

    known = set(slugs)
    sources: list[Source] = []
    for s in src_data.sources:
        where = f"source {s.key}"
        if s.dataset not in src_data.datasets:
            raise DataFileError(sources_file, f"{where}: dataset {s.dataset!r} is not in datasets")
        if s.format not in FORMATS:
            raise DataFileError(sources_file, f"{where}: format {s.format!r} is not one of {', '.join(FORMATS)}")
        unknown = sorted(set(s.indicators.values()) - known)
        if unknown:
            raise DataFileError(sources_file, f"{where}: {', '.join(unknown)} not in {indicators_file.name}")
        sources.append(Source(key=s.key, dataset=s.dataset, path=s.file, read=FORMATS[s.format],
                              release_date=s.released.isoformat(), indicators=dict(s.indicators),
                              options=_tuples(dict(s.options)), format=s.format))  # fmt: skip
    keys = [s.key for s in sources]
    if len(set(keys)) != len(keys):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        raise DataFileError(sources_file, f"names a source more than once: {', '.join(twice)}")
    datasets = {slug: d.model_dump(exclude_defaults=False) for slug, d in src_data.datasets.items()}
    for values in datasets.values():
        if not values["description"]:
            del values["description"]
    extra: dict[str, str | tuple[str, int]] = {
        code: a.name if a.end_year is None else (a.name, a.end_year) for code, a in src_data.areas.extra.items()
    }
    return Catalogue(indicators, datasets, sources, src_data.areas.list, src_data.areas.parents,
                     src_data.areas.boundaries, extra)  # fmt: skip


_CATALOGUE = load()

INDICATORS: list[IndicatorDef] = _CATALOGUE.indicators
DATASETS: dict[str, dict[str, str]] = _CATALOGUE.datasets
SOURCES: list[Source] = _CATALOGUE.sources
AREA_LIST = _CATALOGUE.area_list
AREA_PARENTS = _CATALOGUE.area_parents
BOUNDARIES = _CATALOGUE.boundaries
# Areas the statistics publish that the ONS area list omits: a name, or (name, last year the area existed).
EXTRA_AREAS: dict[str, str | tuple[str, int]] = _CATALOGUE.extra_areas


def source(key: str) -> Source:
    """The source called `key`; a dataset's slug also names its source when the dataset has only one."""
    for s in SOURCES:
        if s.key == key:
            return s
    of_dataset = [s for s in SOURCES if s.dataset == key]
    if len(of_dataset) == 1:
        return of_dataset[0]
    raise KeyError(key)

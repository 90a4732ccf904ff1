"""ONS area JSON: the Explore Local Statistics columnar files.

`read_population` reads an indicator file (`areacd`, `value`, `lci`, `uci`,
`xDomainNumb` arrays); `read_areas` reads the area list (`areacd`, `areanm`,
`parentcd`, `start`/`end`) with the LA → region lookup CSV beside it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keycities.core.errors import DataFileError

from .base import Row, Source, check_area_code, read_text


def _load(path: Path, arrays: tuple[str, ...]) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"is not valid JSON ({exc.msg})", row=exc.lineno) from exc
    if not isinstance(data, dict):
        raise DataFileError(path, "is not a JSON object of columns")
    for name in arrays:
        if not isinstance(data.get(name), list):
            raise DataFileError(path, "has no such array", column=name)
    lengths = {name: len(data[name]) for name in arrays}
    if len(set(lengths.values())) != 1:
        raise DataFileError(path, f"has columns of different lengths: {lengths}")
    if not data[arrays[0]]:
        raise DataFileError(path, "has no rows")
    return data


def _number(value: Any, path: Path, index: int, column: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataFileError(path, f"{value!r} is not a number", row=index, column=column)
    return float(value)


def read_population(path: Path, source: Source) -> Iterator[Row]:
    data = _load(path, ("areacd", "value", "xDomainNumb"))
    slug = source.indicators.get(str(data.get("code", "")))
    if slug is None:
        raise DataFileError(path, f"unknown indicator {data.get('code')!r}", column="code")
    lci, uci = data.get("lci") or [], data.get("uci") or []
    for i, code in enumerate(data["areacd"]):
        item = i + 1  # the i-th entry of each array, counted from 1
        year = data["xDomainNumb"][i]
        if not isinstance(year, int) or not 1900 <= year <= 2100:
            raise DataFileError(path, f"{year!r} is not a year", row=item, column="xDomainNumb")
        value = _number(data["value"][i], path, item, "value")
        yield Row(
            line=item,
            indicator=slug,
            area_code=check_area_code(str(code), path, item, "areacd"),
            period=year,
            value=value,
            lower_ci=_number(lci[i], path, item, "lci") if i < len(lci) else None,
            upper_ci=_number(uci[i], path, item, "uci") if i < len(uci) else None,
            status="" if value is not None else "suppressed",
        )


@dataclass(frozen=True, slots=True)
class AreaRow:
    code: str
    name: str
    parent: str | None
    start_year: int | None
    end_year: int | None


def read_areas(areas_path: Path, lookup_path: Path) -> list[AreaRow]:
    """The ONS area list, with each local authority's region or nation from the lookup."""
    data = _load(areas_path, ("areacd", "areanm", "parentcd"))
    starts, ends = data.get("start") or {}, data.get("end") or {}
    parents: dict[str, str] = {}
    reader = csv.DictReader(io.StringIO(read_text(lookup_path), newline=""))
    for column in ("areacd", "parentcd"):
        if column not in (reader.fieldnames or []):
            raise DataFileError(lookup_path, "has no such column in its header", row=1, column=column)
    for line, row in enumerate(reader, start=2):
        code = check_area_code(row["areacd"], lookup_path, line, "areacd")
        if row["parentcd"].strip():  # the top of the hierarchy (K04, K02) has no parent
            parents[code] = check_area_code(row["parentcd"], lookup_path, line, "parentcd")
    rows: list[AreaRow] = []
    seen: set[str] = set()
    for i, code in enumerate(data["areacd"]):
        name = data["areanm"][i]
        if not isinstance(code, str) or not isinstance(name, str) or not name.strip():
            raise DataFileError(areas_path, f"entry {code!r} has no name", row=i + 1, column="areanm")
        if code in seen:
            raise DataFileError(areas_path, f"lists {code} twice", row=i + 1, column="areacd")
        seen.add(code)
        rows.append(AreaRow(
            code=code, name=name.strip(), parent=parents.get(code) or data["parentcd"][i] or None,
            start_year=starts.get(str(i)), end_year=ends.get(str(i)),
        ))  # fmt: skip
    return rows

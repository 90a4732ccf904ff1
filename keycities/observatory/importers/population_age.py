"""Population by age: the residents aged 16 to 64 (or another span of single years) of each area.

Two ONS products are read, each summing its single years of age from `age_from` to `age_to`:

- `read_mye`: the mid-year estimates workbook by single year of age (`mye22final.xlsx`, sheet
  `MYE2 - Persons`): a header `Code, Name, Geography, All ages, 0, 1, …, 89, 90+` below notes rows, then one
  row per area (UK, nations, regions, counties and every UK local authority on April 2023 boundaries).
- `read_census`: Census 2021 TS007 "Age by single year of age" as Nomis bulk CSV: `date, geography,
  geography code, Age: Total; measures: Value`, then band subtotals mixed with single years (`Age: Aged 16
  years; measures: Value`). Only the single-year columns are summed, never the subtotals.

Options: `indicator` (our slug), `period`, `age_from`, `age_to`, and for the workbook `sheet` and
`skip_geographies` (values of its Geography column left out: the metropolitan counties, which the ONS area list
does not hold and which are the sums of their districts).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from keycities.core.errors import DataFileError

from .base import Row, Source, check_area_code, read_text
from .ons_workbook import area_code, cell_error, find_header, number, opt, read_sheets, text


def _ages(source: Source) -> range:
    return range(int(opt(source, "age_from")), int(opt(source, "age_to")) + 1)


def read_mye(path: Path, source: Source) -> Iterator[Row]:
    sheet: str = opt(source, "sheet")
    slug, period, ages = opt(source, "indicator"), int(opt(source, "period")), _ages(source)
    skip = set(opt(source, "skip_geographies", ()))
    rows = read_sheets(path, [sheet])[sheet]
    title = text(rows[0][0]) if rows and rows[0] else ""
    if not title.endswith(f"mid-{period}"):
        raise cell_error(path, sheet, 1, 0, f"is titled {title!r}; expected a title ending 'mid-{period}'")
    h = find_header(path, sheet, rows, ["Code", "Name", "Geography", "All ages"])
    header = [text(c) for c in rows[h]]
    columns = {}
    for age in ages:
        if str(age) not in header:
            raise cell_error(path, sheet, h + 1, 0, f"has no column for age {age}")
        columns[age] = header.index(str(age))
    for i, cells in enumerate(rows[h + 1 :]):
        line = h + 2 + i
        if not cells or cells[0] is None or text(cells[2]) in skip:
            continue
        code, _published = area_code(cells[0], path, sheet, line, 0)
        parts = [number(cells[c], path, sheet, line, c, {})[0] for c in columns.values()]
        yield Row(line=line, indicator=slug, area_code=code, period=period, area_name=text(cells[1]),
                  value=float(sum(p for p in parts if p is not None)))  # fmt: skip


SINGLE_YEAR = re.compile(r"^Age: Aged (\d+) years?; measures: Value$")


def read_census(path: Path, source: Source) -> Iterator[Row]:
    slug, period, ages = opt(source, "indicator"), int(opt(source, "period")), _ages(source)
    reader = csv.reader(io.StringIO(read_text(path)))
    header = next(reader, None)
    if not header or header[:3] != ["date", "geography", "geography code"]:
        raise DataFileError(path, "does not start with the Nomis columns date, geography, geography code", row=1)
    single = {int(m.group(1)): i for i, h in enumerate(header) if (m := SINGLE_YEAR.match(h))}
    missing = [a for a in ages if a not in single]
    if missing:
        raise DataFileError(path, f"has no single-year column for age {missing[0]}", row=1)
    count = 0
    for line, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if cells[0].strip() != str(period):
            raise DataFileError(path, f"is dated {cells[0]!r}; expected {period}", row=line, column="date")
        code = check_area_code(cells[2].strip(), path, line, "geography code")
        try:
            value = float(sum(int(cells[single[a]]) for a in ages))
        except (ValueError, IndexError) as exc:
            raise DataFileError(path, f"has a count that is not a whole number ({exc})", row=line) from exc
        count += 1
        yield Row(line=line, indicator=slug, area_code=code, period=period, value=value, area_name=cells[1].strip())
    if count == 0:
        raise DataFileError(path, "has a header but no rows")

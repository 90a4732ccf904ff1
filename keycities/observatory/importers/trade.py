"""ONS subnational trade workbooks ("International trade in UK nations, regions and cities").

Reads the `Summary Sheet` of the goods or the services workbook: a title
ending in the year ("Total value of trade in goods in the UK by ITL breakdown,
2022"), notes rows (one says "Figures in £ millions"), then a header `ITL level,
ITL code, ITL name, EU - Imports, EU - Exports, EU - Balance, Non-EU - ...,
Total - ...` and one row per area: the UK (K02000001), England (E92000001),
ITL1, ITL2 and ITL3 regions (2021 ITL codes), and one unallocated row (goods:
K99000003 Extra-regio; services: K99000001 Unknown).

`Source.indicators` maps each value column to our slug and must name them all.
Options: `sheet`, `labels` (the three header cells before the values, exactly),
`code_label`, `name_label`, `code_prefixes`, `period` (checked against the
title), `unit_note` (the notes row that states the unit). `[c]` (confidential)
and `[z]` (not applicable) give a blank value with status "suppressed".

The `ITL level` column is not used: an area's level follows from its code (the
goods sheet labels TLN0, an ITL2 area, "ITL3" and TLN0G, an ITL3 area, "ITL1").
The other sheets (industry and partner-country breakdowns, City Regions, the
long-form full data) are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from keycities.core.errors import DataFileError

from .base import Row, Source
from .ons_workbook import area_code, cell_error, find_header, is_blank, number, opt, read_sheets, text


def read(path: Path, source: Source) -> Iterator[Row]:
    sheet: str = opt(source, "sheet")
    labels: Sequence[str] = opt(source, "labels")
    code_col, name_col = labels.index(opt(source, "code_label")), labels.index(opt(source, "name_label"))
    period: int = opt(source, "period")
    rows = read_sheets(path, [sheet])[sheet]

    title = text(next((c for c in rows[0] if c is not None), ""))
    match = re.search(r"(\d{4})$", title)
    if not match or int(match.group(1)) != period:
        raise cell_error(path, sheet, 1, 0, f"is titled {title!r}; expected a title ending in the year {period}")
    h = find_header(path, sheet, rows, labels)
    unit_note = opt(source, "unit_note")
    if unit_note and not any(text(c).lower() == unit_note.lower() for cells in rows[:h] for c in cells):
        raise DataFileError(path, f"sheet {sheet!r} does not say {unit_note!r} above its header", row=h + 1)

    header = [text(c) for c in rows[h]]
    slugs: dict[int, str] = {}
    for col in range(len(labels), len(header)):
        if not header[col]:
            for i, cells in enumerate(rows[h + 1 :]):
                if col < len(cells) and not is_blank(cells[col : col + 1]):
                    raise cell_error(path, sheet, h + 2 + i, col, "has a value under an empty header")
            continue
        if header[col] not in source.indicators:
            raise cell_error(path, sheet, h + 1, col, f"column {header[col]!r} is not one this importer knows")
        if source.indicators[header[col]] in slugs.values():
            raise cell_error(path, sheet, h + 1, col, f"repeats the column {header[col]!r}")
        slugs[col] = source.indicators[header[col]]
    for name in source.indicators:
        if name not in header:
            raise DataFileError(path, f"sheet {sheet!r} has no column {name!r} (renamed or removed?)", row=h + 1,
                                column=f"{sheet}!{name}")  # fmt: skip

    seen: dict[str, int] = {}
    for i, cells in enumerate(rows[h + 1 :]):
        line = h + 2 + i
        if is_blank(cells):
            continue
        code, _ = area_code(cells[code_col], path, sheet, line, code_col, prefixes=opt(source, "code_prefixes", ()))
        if code in seen:
            raise cell_error(path, sheet, line, code_col, f"repeats area {code} (first at row {seen[code]})")
        seen[code] = line
        name = text(cells[name_col])
        if not name:
            raise cell_error(path, sheet, line, name_col, f"area {code} has no name")
        for col, slug in slugs.items():
            value, status, note = number(cells[col] if col < len(cells) else None, path, sheet, line, col)
            yield Row(line=line, indicator=slug, area_code=code, period=period, value=value, status=status,
                      note=note, area_name=name)  # fmt: skip
    if not seen:
        raise DataFileError(path, f"sheet {sheet!r} has a header but no rows", row=h + 1)

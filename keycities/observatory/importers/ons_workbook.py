"""ONS wide workbooks: one sheet per measure, one row per area, one column per year.

The regional GDP reference tables (local authorities; all ITL regions) are laid
out this way: a title in A1, a header row (`ITL1 Region, LA code, LA name,
1998, 1999, ...` or `ITL, ITL code, Region name, ...`), then one row per area.
`Source.indicators` maps each sheet to our indicator slug; `Source.options`
holds what the reader checks:

- `titles`: sheet -> text its title must contain, so a renumbered table is
  refused rather than loaded as the wrong measure;
- `labels`: the header cells before the first year, exactly; `code_label`
  and `name_label` say which of them hold the area's code and name;
- `markers`: cell shorthand beyond the standard ONS ones ([c], [x], [z], [u]),
  e.g. the ITL workbook's bare `u` (its note 5: suppressed, low reliability);
- `code_prefixes`: the area codes the file may hold (checked before recoding);
- `recode`: published code -> our code (ONS's `UKX`, "UK less Extra-Regio",
  is K99000002 in ONS's own Explore Local Statistics data);
- `extra_codes`: codes outside the GSS/ITL pattern of `base.AREA_CODE` that the
  file legitimately publishes (`TLZ`, Extra-Regio);
- `ignored_sheets`: sheets without statistics (cover, contents, notes); any
  other sheet not mapped is refused, so a new table is never silently left out;
- `provisional`: (sheet, sentence): when that sheet says so, every value of
  the workbook's latest year is provisional. A year header may also mark
  itself provisional (`2020p`, `2020 [p]`); note markers (`2020 [note 3]`) are
  allowed and ignored.

The helpers at the top are shared by every xlsx reader: cells are read with
openpyxl in read-only, values-only mode, and every refusal names the file, the
sheet and the cell (`column="Table 1!D12"`, `row=12`).
"""

from __future__ import annotations

import dataclasses
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from keycities.core.errors import DataFileError

from .base import Row, Source, check_area_code

Cells = tuple[Any, ...]

# Errors openpyxl raises for a file that is not a readable xlsx workbook (a CSV renamed .xlsx, a truncated
# download, a damaged zip or sheet XML). SyntaxError covers xml.etree's ParseError.
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError,
               SyntaxError)  # fmt: skip

# ONS shorthand in cells (GSS guidance on symbols in tables). Each gives a status and a note; the value is blank.
MARKERS: dict[str, tuple[str, str]] = {
    "[c]": ("suppressed", "[c] confidential"),
    "[x]": ("suppressed", "[x] not available"),
    "[z]": ("suppressed", "[z] not applicable"),
    "[u]": ("suppressed", "[u] suppressed: low reliability"),
}

YEAR_HEADER = re.compile(r"^(\d{4})\s*(p|\[p\]|\(p\))?\s*(?:\[notes?\s+\d+(?:\s*,\s*\d+)*\])?$", re.IGNORECASE)


# --------------------------------------------------------------------------- shared xlsx plumbing


def cell_ref(sheet: str, row: int, col: int) -> str:
    """'Table 1!D12' for the 0-based column `col` of sheet row `row`."""
    return f"{sheet}!{get_column_letter(col + 1)}{row}"


def cell_error(path: Path, sheet: str, row: int, col: int, message: str) -> DataFileError:
    return DataFileError(path, message, row=row, column=cell_ref(sheet, row, col))


def is_blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def text(value: Any) -> str:
    """A header or label cell as text, with runs of whitespace made single."""
    return " ".join(str(value).split()) if value is not None else ""


def read_sheets(path: Path, wanted: Sequence[str], *, allowed: Sequence[str] | None = None) -> dict[str, list[Cells]]:
    """The rows of each wanted sheet (trailing blank rows dropped). A missing or
    empty sheet is refused; with `allowed`, so is any sheet not in wanted + allowed."""
    sheets: dict[str, list[Cells]] = {}
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except _UNREADABLE as exc:
        raise DataFileError(path, f"is not a readable Excel workbook (.xlsx): {exc}") from exc
    try:
        names = list(wb.sheetnames)
        for name in wanted:
            if name not in names:
                raise DataFileError(path, f"has no sheet {name!r} (its sheets are: {', '.join(names)})")
        if allowed is not None:
            for name in names:
                if name not in wanted and name not in allowed:
                    raise DataFileError(path, f"has a sheet {name!r} that this importer does not know; a new "
                                              "table must be added to the catalogue, not left out")  # fmt: skip
        for name in wanted:
            try:
                rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
            except _UNREADABLE as exc:
                raise DataFileError(path, f"sheet {name!r} cannot be read: {exc}") from exc
            while rows and is_blank(rows[-1]):
                rows.pop()
            if not rows:
                raise DataFileError(path, f"sheet {name!r} is empty")
            sheets[name] = rows
    finally:
        wb.close()
    return sheets


def find_header(path: Path, sheet: str, rows: list[Cells], labels: Sequence[str], *, search: int = 15) -> int:
    """Index of the header row: the first row (within `search`) that starts with
    labels[0]. Every label must then match exactly (whitespace aside)."""
    for i, cells in enumerate(rows[:search]):
        if cells and text(cells[0]) == labels[0]:
            for j, label in enumerate(labels):
                found = text(cells[j]) if j < len(cells) else ""
                if found != label:
                    raise cell_error(path, sheet, i + 1, j, f"header {found!r} should be {label!r}")
            return i
    raise DataFileError(path, f"sheet {sheet!r} has no header row starting {labels[0]!r} in its first {search} "
                              "rows", column=f"{sheet}!A")  # fmt: skip


def number(value: Any, path: Path, sheet: str, row: int, col: int,
           markers: Mapping[str, tuple[str, str]] = MARKERS) -> tuple[float | None, str, str]:  # fmt: skip
    """(value, status, note) of a cell that must hold a number or a known marker."""
    if isinstance(value, bool):
        raise cell_error(path, sheet, row, col, f"{value!r} is not a number")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise cell_error(path, sheet, row, col, f"{value!r} is not a finite number")
        return float(value), "", ""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise cell_error(path, sheet, row, col, "is empty where a number or a marker such as [c] was expected")
    if isinstance(value, str) and value.strip() in markers:
        status, note = markers[value.strip()]
        return None, status, note
    if isinstance(value, str) and re.fullmatch(r"\s*-?[\d,]+(\.\d+)?\s*", value):
        raise cell_error(path, sheet, row, col, f"{value!r} is text, not a number (a cell stored as text?)")
    raise cell_error(path, sheet, row, col, f"{value!r} is not a number (nor a marker this importer knows: "
                                            f"{', '.join(markers)})")  # fmt: skip


def area_code(value: Any, path: Path, sheet: str, row: int, col: int, *, prefixes: Sequence[str] = (),
              recode: Mapping[str, str] | None = None, extra: Sequence[str] = ()) -> tuple[str, str]:  # fmt: skip
    """(our code, the code as published) of an area-code cell, checked."""
    published = text(value)
    if not published:
        raise cell_error(path, sheet, row, col, "has no area code")
    if prefixes and not published.startswith(tuple(prefixes)):
        raise cell_error(path, sheet, row, col, f"{published!r} is not an area code this file should hold "
                                                f"(expected codes starting {', '.join(prefixes)})")  # fmt: skip
    code = (recode or {}).get(published, published)
    if published in extra:
        return code, published
    return check_area_code(code, path, row, cell_ref(sheet, row, col)), published


def opt(source: Source, key: str, default: Any = None) -> Any:
    return source.options.get(key, default)


# --------------------------------------------------------------------------- the wide GDP tables


def parse_year_header(value: Any) -> tuple[int, bool] | None:
    """(year, provisional) of a year header such as 2020, '2020', '2020p', '2020 [note 3]'; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, False) if 1900 <= value <= 2100 else None
    if isinstance(value, float) and value.is_integer():
        return parse_year_header(int(value))
    match = YEAR_HEADER.match(text(value))
    if not match or not 1900 <= int(match.group(1)) <= 2100:
        return None
    return int(match.group(1)), bool(match.group(2))


def _says_latest_is_provisional(rows: list[Cells], sentence: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.replace("’", "'").lower().split())

    wanted = norm(sentence)
    return any(isinstance(c, str) and wanted in norm(c) for cells in rows for c in cells)


def read(path: Path, source: Source) -> Iterator[Row]:
    """Every value of every mapped sheet, one Row per (area, year)."""
    labels: Sequence[str] = opt(source, "labels", ())
    code_col, name_col = labels.index(opt(source, "code_label")), labels.index(opt(source, "name_label"))
    titles: Mapping[str, str] = opt(source, "titles", {})
    markers = {**MARKERS, **opt(source, "markers", {})}
    codes = {"prefixes": opt(source, "code_prefixes", ()), "recode": opt(source, "recode", {}),
             "extra": opt(source, "extra_codes", ())}  # fmt: skip
    provisional: tuple[str, str] | None = opt(source, "provisional")

    wanted = list(source.indicators)
    if provisional and provisional[0] not in wanted:
        wanted.append(provisional[0])
    sheets = read_sheets(path, wanted, allowed=opt(source, "ignored_sheets", None))
    latest_is_provisional = provisional is not None and _says_latest_is_provisional(sheets[provisional[0]],
                                                                                     provisional[1])  # fmt: skip

    rows: list[Row] = []
    for sheet, slug in source.indicators.items():
        rows += _read_sheet(path, sheet, slug, sheets[sheet], labels, titles.get(sheet), code_col, name_col, codes,
                            markers)  # fmt: skip
    latest = max(r.period for r in rows)
    for r in rows:
        if latest_is_provisional and r.period == latest and r.status == "":
            yield dataclasses.replace(r, status="provisional")
        else:
            yield r


def _read_sheet(path: Path, sheet: str, slug: str, rows: list[Cells], labels: Sequence[str], title: str | None,
                code_col: int, name_col: int, codes: Mapping[str, Any],
                markers: Mapping[str, tuple[str, str]]) -> list[Row]:  # fmt: skip
    """The sheet's rows; a year whose header marks it provisional gives provisional values."""
    if title is not None:
        heading = text(next((c for c in rows[0] if c is not None), ""))
        if text(title).lower() not in heading.lower():
            raise cell_error(path, sheet, 1, 0, f"is titled {heading!r}; expected a title containing {title!r} "
                                                "(has the table been renumbered?)")  # fmt: skip
    h = find_header(path, sheet, rows, labels)
    header = rows[h]
    data = rows[h + 1 :]
    years: dict[int, int] = {}  # column -> year
    provisional_years: set[int] = set()
    for col in range(len(labels), len(header)):
        head = header[col]
        if head is None or (isinstance(head, str) and not head.strip()):
            for i, cells in enumerate(data):
                if col < len(cells) and not is_blank(cells[col : col + 1]):
                    raise cell_error(path, sheet, h + 2 + i, col, "has a value under an empty header")
            continue
        parsed = parse_year_header(head)
        if parsed is None:
            raise cell_error(path, sheet, h + 1, col, f"header {head!r} is not a year")
        year, is_provisional = parsed
        if year in years.values():
            raise cell_error(path, sheet, h + 1, col, f"repeats the year {year}")
        years[col] = year
        if is_provisional:
            provisional_years.add(year)
    if not years:
        raise DataFileError(path, f"sheet {sheet!r} has no year columns", row=h + 1)

    out: list[Row] = []
    seen: dict[str, int] = {}
    for i, cells in enumerate(data):
        line = h + 2 + i  # the sheet's own row number
        if is_blank(cells):
            continue
        code, published = area_code(cells[code_col], path, sheet, line, code_col, **codes)
        if code in seen:
            raise cell_error(path, sheet, line, code_col, f"repeats area {published} (first at row {seen[code]})")
        seen[code] = line
        name = text(cells[name_col])
        if not name:
            raise cell_error(path, sheet, line, name_col, f"area {published} has no name")
        recoded = f"published as {published}" if published != code else ""
        for col, year in years.items():
            value, status, note = number(cells[col] if col < len(cells) else None, path, sheet, line, col, markers)
            if status == "" and year in provisional_years:
                status = "provisional"
            out.append(Row(line=line, indicator=slug, area_code=code, period=year, value=value, status=status,
                           note="; ".join(n for n in (note, recoded) if n), area_name=name))  # fmt: skip
    if not out:
        raise DataFileError(path, f"sheet {sheet!r} has a header but no rows", row=h + 1)
    return out

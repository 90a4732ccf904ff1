"""ONS tidy CSV (the Explore Local Statistics layout).

Columns `areacd, areanm, geography, indicator, period, observation, measure,
unit, lci_95, uci_95, status, notes`; one file uses capitalised names and
long confidence-interval headers, which are accepted as aliases.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from keycities.core.errors import DataFileError

from .base import Row, Source, check_area_code, parse_number, parse_year, read_text

COLUMNS = {
    "areacd": ("areacd",),
    "areanm": ("areanm",),
    "indicator": ("indicator",),
    "period": ("period",),
    "observation": ("observation",),
    "lci": ("lci_95", "lower confidence interval (95%)"),
    "uci": ("uci_95", "upper confidence interval (95%)"),
    "status": ("status", "observation status"),
    "notes": ("notes",),
}
REQUIRED = ("areacd", "areanm", "indicator", "period", "observation")
# ONS status markers: x = not available, c = confidential (suppressed), u = low reliability.
STATUS = {"": "", "x": "suppressed", "c": "suppressed", "u": "unreliable", "p": "provisional", "z": "suppressed"}
# A blank value keeps the publisher's marker in its note, so that the reason can be given (as the workbooks do).
MARKER_NOTES = {"x": "[x] not available", "c": "[c] confidential", "u": "[u] low reliability",
                "z": "[z] not applicable"}  # fmt: skip


def _note(marker: str, notes: str) -> str:
    said = MARKER_NOTES.get(marker, "")
    return f"{said}; {notes}" if said and notes else said or notes


def read(path: Path, source: Source) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(path, "is empty") from None
    lowered = [h.strip().lower() for h in header]
    position: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in lowered:
                position[name] = lowered.index(alias)
                break
    for name in REQUIRED:
        if name not in position:
            raise DataFileError(path, "has no such column in its header", row=1, column=name)

    provisional = set(source.options.get("provisional_periods", ()))  # type: ignore[call-overload]
    count = 0
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise DataFileError(path, f"has {len(cells)} cells where the header has {len(header)}", row=line)

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[position[name]].strip() if name in position else ""

        name = cell("indicator")
        slug = source.indicators.get(name)
        if slug is None:
            raise DataFileError(path, f"unknown indicator {name!r}", row=line, column="indicator")
        value = parse_number(cell("observation"), path, line, header[position["observation"]])
        marker = cell("status").lower()
        if marker not in STATUS:
            raise DataFileError(path, f"unknown status {marker!r}", row=line, column="status")
        status = STATUS[marker]
        if value is None:
            status = "suppressed"
        elif status == "suppressed":
            raise DataFileError(path, "has a value although its status says it is suppressed", row=line,
                                column="status")  # fmt: skip
        period = parse_year(cell("period"), path, line, "period")
        if period in provisional and status == "":
            status = "provisional"
        count += 1
        yield Row(
            line=line,
            indicator=slug,
            area_code=check_area_code(cell("areacd"), path, line, "areacd"),
            area_name=cell("areanm"),
            period=period,
            value=value,
            lower_ci=parse_number(cell("lci"), path, line, "lci_95") if "lci" in position else None,
            upper_ci=parse_number(cell("uci"), path, line, "uci_95") if "uci" in position else None,
            status=status,
            note=_note(marker if value is None else "", cell("notes"))[:200],
        )
    if count == 0:
        raise DataFileError(path, "has a header but no rows")

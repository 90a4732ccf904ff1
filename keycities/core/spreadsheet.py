"""CSV cells that a spreadsheet will not run.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is read by
Excel, LibreOffice and Google Sheets as a formula: a proposal titled `=HYPERLINK("http://evil",
"Click")` or `=cmd|' /C calc'!A0` in an export runs when a member of staff opens the file. Every
CSV the Hub writes goes through `safe_cell`, which puts an apostrophe before such a text cell
(OWASP's advice; spreadsheets then show the text as typed). Numbers, and text that is exactly a
number such as "-3.2", are left alone: they are data, and a spreadsheet reads them as numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell: None as empty, formula-like text neutralised, anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


class SafeWriter:
    """csv.writer that neutralises every cell it writes. Lines end with CRLF, as RFC 4180 says: Python's
    writer quotes a cell holding a line break only if the break is in the line ending, so with "\n" alone a
    carriage return inside a cell would split the row."""

    def __init__(self, out: Any) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)

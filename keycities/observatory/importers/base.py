"""What every reader yields, and the checks they share."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from keycities.core.errors import DataFileError

AREA_CODE = re.compile(r"^(?:[EWSNK]\d{8}|TL[A-N][0-9A-Z]{0,2}|UK)$")


@dataclass(frozen=True, slots=True)
class Row:
    """One validated observation read from a file."""

    line: int  # where it is in the file (row number, counting the header as 1)
    indicator: str  # our indicator slug
    area_code: str
    period: int
    value: float | None
    lower_ci: float | None = None
    upper_ci: float | None = None
    status: str = ""
    note: str = ""
    area_name: str = ""  # used to register ITL regions, which the ONS area list does not hold


@dataclass(frozen=True)
class Source:
    """One file of the catalogue (data/catalogue/sources.yaml): one release (vintage) of a dataset."""

    key: str  # unique name of this source, e.g. "els-claimant-count"
    dataset: str  # Dataset slug
    path: str  # relative to data/
    read: Callable[[Path, Source], Iterator[Row]]
    release_date: str  # ISO date the publisher released it
    indicators: dict[str, str] = field(default_factory=dict)  # name in the file -> our slug
    options: dict[str, object] = field(default_factory=dict)
    format: str = ""  # the format's name in data/catalogue/sources.yaml (catalogue.FORMATS)


def read_text(path: Path) -> str:
    """The file as UTF-8 text (a byte-order mark is allowed); anything else is refused."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from exc
    if not data.strip():
        raise DataFileError(path, "is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(path, f"is not UTF-8 text (byte {exc.start} cannot be decoded)", row=line) from exc


def parse_number(text: str, path: Path, line: int, column: str) -> float | None:
    """A published number, or None for an empty cell. Thousands separators are allowed."""
    cleaned = text.strip().replace(",", "")
    if cleaned == "":
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise DataFileError(path, f"{text.strip()!r} is not a number", row=line, column=column) from None
    if not math.isfinite(value):
        raise DataFileError(path, f"{text.strip()!r} is not a finite number", row=line, column=column)
    return value


def check_area_code(code: str, path: Path, line: int, column: str) -> str:
    code = code.strip()
    if not AREA_CODE.match(code):
        raise DataFileError(path, f"{code!r} is not a GSS or ITL area code", row=line, column=column)
    return code


def parse_year(text: str, path: Path, line: int, column: str) -> int:
    """'2004', '2004-01-01/P1Y', '2025-04-30' -> the year."""
    match = re.match(r"^\s*(\d{4})(?:$|[-/\s])", text)
    if not match or not 1900 <= int(match.group(1)) <= 2100:
        raise DataFileError(path, f"{text.strip()!r} is not a period this importer understands", row=line,
                            column=column)  # fmt: skip
    return int(match.group(1))

"""Errors that carry enough to tell a person exactly what to fix."""

from __future__ import annotations

from pathlib import Path


class DataFileError(Exception):
    """A data file was refused. The message names the file, and the row and
    column where there is one, so that the file can be corrected."""

    def __init__(self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None):
        self.path = Path(path)
        self.row = row
        self.column = column
        self.reason = message
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")

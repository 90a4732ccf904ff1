"""Indices of deprivation: England's local authority summaries and Wales's small-area scores.

`read_iod` reads MHCLG's English Indices of Deprivation 2019, File 10 (local
authority district summaries, lower tier): one sheet per index or domain
(`IMD`, `Income`, ... `IDAOPI`), a header row, then one row per district.
`Source.indicators` maps "sheet!header" to our slug, and must name every
column: a column the catalogue does not know, or a known one that is missing,
is refused. Options: `code_label`, `name_label` (the first two headers),
`code_prefixes`, `ignored_sheets` (the empty `Notes`), `period`, and
`fractions` (slugs published as proportions 0–1 and stored as per cent).

`read_wimd` reads the Welsh Government's WIMD 2019 scores for the 1,909 small
areas (LSOAs) of Wales, which name their local authority but give no code, and
computes two local authority summaries (Source.options `average` and
`share_most_deprived` name the slugs):

- the unweighted mean of the LSOAs' WIMD 2019 scores;
- the percentage of the authority's LSOAs among the most deprived 10% in Wales:
  WIMD ranks 1 to 191 (`round(1909 / 10)`, the convention of the Welsh
  Government's local authority analysis). The file is in rank order (scores
  descending), and its scores are rounded to one decimal place, so where
  rounded scores tie across the 191st place the file's order decides, and the
  affected authorities' rows say so in their note.

Local authority names are matched exactly to the Welsh (W06) codes of the ONS
area list (`options["area_list"]`, relative to data/); a name that does not
match is refused.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from keycities.core.errors import DataFileError

from .base import Row, Source, parse_number, read_text
from .ons_workbook import area_code, cell_error, is_blank, number, opt, read_sheets, text

# --------------------------------------------------------------------------- England: IoD 2019 File 10


def read_iod(path: Path, source: Source) -> Iterator[Row]:
    period: int = opt(source, "period")
    fractions: set[str] = set(opt(source, "fractions", ()))
    prefixes: Sequence[str] = opt(source, "code_prefixes", ())
    labels = (opt(source, "code_label"), opt(source, "name_label"))
    columns: dict[str, dict[str, str]] = {}  # sheet -> header -> slug
    for key, slug in source.indicators.items():
        sheet, _, header = key.partition("!")
        columns.setdefault(sheet, {})[header] = slug
    sheets = read_sheets(path, list(columns), allowed=opt(source, "ignored_sheets", ()))

    for sheet, wanted in columns.items():
        rows = sheets[sheet]
        headers = [text(c) for c in rows[0]]
        for col, label in enumerate(labels):
            if col >= len(headers) or headers[col] != label:
                found = headers[col] if col < len(headers) else ""
                raise cell_error(path, sheet, 1, col, f"header {found!r} should be {label!r}")
        slugs: dict[int, str] = {}
        for col in range(len(labels), len(headers)):
            if not headers[col]:
                for i, cells in enumerate(rows[1:]):
                    if col < len(cells) and not is_blank(cells[col : col + 1]):
                        raise cell_error(path, sheet, i + 2, col, "has a value under an empty header")
                continue
            if headers[col] not in wanted:
                raise cell_error(path, sheet, 1, col, f"column {headers[col]!r} is not one this importer knows; add "
                                                      "it to the catalogue rather than leave it out")  # fmt: skip
            if wanted[headers[col]] in slugs.values():
                raise cell_error(path, sheet, 1, col, f"repeats the column {headers[col]!r}")
            slugs[col] = wanted[headers[col]]
        for name in wanted:
            if name not in headers:
                raise DataFileError(path, f"sheet {sheet!r} has no column {name!r} (renamed or removed?)", row=1,
                                    column=f"{sheet}!{name}")  # fmt: skip

        seen: dict[str, int] = {}
        count = 0
        for i, cells in enumerate(rows[1:]):
            line = i + 2
            if is_blank(cells):
                continue
            code, _ = area_code(cells[0], path, sheet, line, 0, prefixes=prefixes)
            if code in seen:
                raise cell_error(path, sheet, line, 0, f"repeats {code} (first at row {seen[code]})")
            seen[code] = line
            name = text(cells[1])
            if not name:
                raise cell_error(path, sheet, line, 1, f"district {code} has no name")
            for col, slug in slugs.items():
                value, status, note = number(cells[col] if col < len(cells) else None, path, sheet, line, col)
                if value is not None and slug in fractions:
                    if not 0 <= value <= 1:
                        raise cell_error(path, sheet, line, col, f"{value} is not a proportion between 0 and 1")
                    value = round(value * 100, 10)
                yield Row(line=line, indicator=slug, area_code=code, period=period, value=value, status=status,
                          note=note, area_name=name)  # fmt: skip
            count += 1
        if count == 0:
            raise DataFileError(path, f"sheet {sheet!r} has a header but no rows", row=1)


# --------------------------------------------------------------------------- Wales: WIMD 2019 small areas

LSOA_CODE = re.compile(r"^W01\d{6}$")


def welsh_authorities(path: Path) -> dict[str, str]:
    """Name -> W06 code of every Welsh local authority in the ONS area list that has not ended."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"is not valid JSON ({exc.msg})", row=exc.lineno) from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) for k in ("areacd", "areanm")):
        raise DataFileError(path, "has no areacd and areanm arrays")
    ends: Mapping[str, Any] = data.get("end") or {}
    names: dict[str, str] = {}
    for i, (code, name) in enumerate(zip(data["areacd"], data["areanm"], strict=True)):
        if isinstance(code, str) and code.startswith("W06") and ends.get(str(i)) is None:
            if name in names:
                raise DataFileError(path, f"names two Welsh authorities {name!r} ({names[name]}, {code})", row=i + 1)
            names[name] = code
    if not names:
        raise DataFileError(path, "lists no Welsh local authorities (W06 codes)")
    return names


def read_wimd(path: Path, source: Source) -> Iterator[Row]:
    period: int = opt(source, "period")
    expected: Sequence[str] = opt(source, "header")  # the header cells, whitespace stripped
    code_col, la_col, score_col = (expected.index(opt(source, k)) for k in ("code_label", "la_label", "score_label"))
    authorities = welsh_authorities(Path(settings.BASE_DIR) / "data" / opt(source, "area_list"))

    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = next(reader, None)
    if header is None:
        raise DataFileError(path, "is empty")
    for col, name in enumerate(expected):
        found = header[col].strip() if col < len(header) else ""
        if found != name:
            raise DataFileError(path, f"header {found!r} should be {name!r}", row=1, column=name)
    if len(header) != len(expected):
        raise DataFileError(path, f"has {len(header)} columns where {len(expected)} were expected", row=1)

    seen: dict[str, int] = {}
    lsoas: list[tuple[int, str, float]] = []  # (line, authority code, WIMD score), in file order
    previous: float | None = None
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise DataFileError(path, f"has {len(cells)} cells where the header has {len(header)}", row=line)
        code = cells[code_col].strip()
        if not LSOA_CODE.match(code):
            raise DataFileError(path, f"{code!r} is not a Welsh LSOA code (W01 and six digits)", row=line,
                                column=header[code_col])  # fmt: skip
        if code in seen:
            raise DataFileError(path, f"repeats LSOA {code} (first at row {seen[code]})", row=line,
                                column=header[code_col])  # fmt: skip
        seen[code] = line
        name = cells[la_col].strip()
        if name not in authorities:
            raise DataFileError(path, f"local authority {name!r} matches no Welsh authority (W06) in the ONS area "
                                      "list", row=line, column=header[la_col])  # fmt: skip
        scores = {col: parse_number(cells[col], path, line, header[col]) for col in range(len(header))
                  if col not in (code_col, la_col) and expected[col] != "LSOA Name"}  # fmt: skip
        for col, value in scores.items():
            if value is None:
                raise DataFileError(path, "has no score", row=line, column=header[col])
        score = scores[score_col]
        assert score is not None
        if previous is not None and score > previous:
            raise DataFileError(path, f"is not in WIMD rank order: score {score} follows {previous}; the 10% "
                                      "most deprived are read from that order", row=line,
                                column=header[score_col])  # fmt: skip
        previous = score
        lsoas.append((line, authorities[name], score))

    if not lsoas:
        raise DataFileError(path, "has a header but no rows")
    if len(lsoas) != opt(source, "expected_rows", len(lsoas)):
        raise DataFileError(path, f"has {len(lsoas)} small areas where WIMD 2019 has {opt(source, 'expected_rows')}")
    yield from _wimd_summaries(lsoas, source, period, {code: name for name, code in authorities.items()})


def _wimd_summaries(lsoas: list[tuple[int, str, float]], source: Source, period: int,
                    names: Mapping[str, str]) -> Iterator[Row]:  # fmt: skip
    top = int(len(lsoas) / 10 + 0.5)  # 1,909 -> 191: WIMD's "most deprived 10%" is ranks 1 to 191
    boundary = lsoas[top - 1][2]
    tie_note, tied = "", set()
    if top < len(lsoas) and lsoas[top][2] == boundary:  # rounded scores tie across the boundary
        at_boundary = [(rank, code) for rank, (_, code, score) in enumerate(lsoas, start=1) if score == boundary]
        tied = {code for _, code in at_boundary}
        inside = sum(1 for rank, _ in at_boundary if rank <= top)
        tie_note = (f"{len(at_boundary)} LSOAs share the rounded score {boundary:g} at the 10% boundary; the file's "
                    f"rank order puts {inside} of them in the most deprived {top}")  # fmt: skip
    first: dict[str, int] = {}
    scores: dict[str, list[float]] = {}
    most_deprived: dict[str, int] = {}
    for rank, (line, code, score) in enumerate(lsoas, start=1):
        first.setdefault(code, line)
        scores.setdefault(code, []).append(score)
        most_deprived[code] = most_deprived.get(code, 0) + (rank <= top)
    for code in sorted(scores):
        values = scores[code]
        yield Row(line=first[code], indicator=opt(source, "average"), area_code=code, period=period,
                  value=round(sum(values) / len(values), 10), note=f"mean of {len(values)} LSOAs",
                  area_name=names[code])  # fmt: skip
        note = f"{most_deprived[code]} of {len(values)} LSOAs"
        yield Row(line=first[code], indicator=opt(source, "share_most_deprived"), area_code=code, period=period,
                  value=round(100 * most_deprived[code] / len(values), 10),
                  note=f"{note}; {tie_note}" if code in tied else note, area_name=names[code])  # fmt: skip

"""The population a survey's respondents are compared with and weighted to: usual residents aged 16 and over of
each local authority by the survey's age band (`AgeBand`) and sex, on Census Day (21 March 2021).

Extract and validate only; `services.import_population` loads. Three ONS Census 2021 files (data/PROVENANCE.md):

- TS007, age by single year (persons, unrounded): the count of each age band (its subtotals 16-19, 20-24,
  25-34, 35-49, 50-64, 65-74, 75-84, 85+).
- The first-results workbook, sheet P03, sex by five-year band (rounded to the nearest 100): the share of
  women and men within each band (16-24 uses the 15-19 and 20-24 bands).
- TS007A, five-year bands (persons, unrounded): a cross-check. P03's women plus men must agree with it in every
  five-year band to within the rounding (two figures each rounded to 100, plus the Census's own small
  perturbation between tables), or the file is refused.

A cell is therefore round(persons in band from TS007 x share of that sex in the band from P03): persons are
exact; only the split between the sexes carries P03's rounding. Nothing is written; any problem raises
`DataFileError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from keycities.core.errors import DataFileError

from .models import AgeBand, Sex

DIR = Path(settings.BASE_DIR) / "data" / "ons" / "population-by-age"
TS007 = DIR / "census2021-ts007-ltla.csv"
TS007A = DIR / "census2021-ts007a-ltla.csv"
P03 = DIR / "census2021firstresultsenglandwales1.xlsx"
DESCRIPTION = ("ONS Census 2021 (21 March 2021): TS007 age by single year, TS007A five-year bands, first results "
               "P03 sex by five-year band (rounded to 100). Open Government Licence v3.0.")  # fmt: skip

# TS007 subtotal columns that make up each band.
TS007_BANDS: dict[str, tuple[str, ...]] = {
    AgeBand.A16_24: ("16 to 19 years", "20 to 24 years"),
    AgeBand.A25_34: ("25 to 34 years",),
    AgeBand.A35_49: ("35 to 49 years",),
    AgeBand.A50_64: ("50 to 64 years",),
    AgeBand.A65_74: ("65 to 74 years",),
    AgeBand.A75_PLUS: ("75 to 84 years", "85 years and over"),
}
FIVE_YEAR = ["4 years and under", "5 to 9 years", "10 to 14 years", "15 to 19 years", "20 to 24 years",
             "25 to 29 years", "30 to 34 years", "35 to 39 years", "40 to 44 years", "45 to 49 years",
             "50 to 54 years", "55 to 59 years", "60 to 64 years", "65 to 69 years", "70 to 74 years",
             "75 to 79 years", "80 to 84 years"]  # fmt: skip
# P03's five-year bands (which go on to 85-89 and 90+) that give each band's split by sex.
P03_BANDS: dict[str, tuple[str, ...]] = {
    AgeBand.A16_24: ("15 to 19 years", "20 to 24 years"),
    AgeBand.A25_34: ("25 to 29 years", "30 to 34 years"),
    AgeBand.A35_49: ("35 to 39 years", "40 to 44 years", "45 to 49 years"),
    AgeBand.A50_64: ("50 to 54 years", "55 to 59 years", "60 to 64 years"),
    AgeBand.A65_74: ("65 to 69 years", "70 to 74 years"),
    AgeBand.A75_PLUS: ("75 to 79 years", "80 to 84 years", "85 to 89 years", "90 years and over"),
}
TOLERANCE = 150  # persons: P03 women + men against TS007A in one five-year band


@dataclass(frozen=True)
class Cell:
    area_code: str
    age_band: str
    sex: str
    count: int


def checksum() -> str:
    digest = hashlib.sha256()
    for path in (TS007, TS007A, P03):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _int(value: object, path: Path, row: int, column: str) -> int:
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        raise DataFileError(path, f"not a whole number: {value!r}", row=row, column=column) from None
    if number < 0:
        raise DataFileError(path, f"negative: {number}", row=row, column=column)
    return number


def read_ts007(path: Path | None = None) -> dict[str, dict[str, int]]:
    """Area code -> TS007 subtotal label -> persons."""
    path = path or TS007
    out: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        wanted = {label for labels in TS007_BANDS.values() for label in labels}
        columns = {label: f"Age: Aged {label}; measures: Value" for label in wanted}
        missing = [c for c in columns.values() if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(path, "column missing", row=1, column=missing[0])
        for number, row in enumerate(reader, start=2):
            code = (row.get("geography code") or "").strip()
            if not code:
                raise DataFileError(path, "empty", row=number, column="geography code")
            out[code] = {label: _int(row[col], path, number, col) for label, col in columns.items()}
    return out


def read_ts007a(path: Path | None = None) -> dict[str, dict[str, int]]:
    path = path or TS007A
    out: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        for number, row in enumerate(reader, start=2):
            code = (row.get("geography code") or "").strip()
            values = {}
            for label in FIVE_YEAR:
                column = f"Age: Aged {label}"
                if column not in row:
                    raise DataFileError(path, "column missing", row=1, column=column)
                values[label] = _int(row[column], path, number, column)
            out[code] = values
    return out


def read_p03(path: Path | None = None) -> dict[str, dict[tuple[str, str], int]]:
    """Area code -> (sex, five-year label) -> persons, rounded to 100 as published."""
    path = path or P03
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book["P03"]
        rows = sheet.iter_rows(values_only=True)
        header: list[str] | None = None
        out: dict[str, dict[tuple[str, str], int]] = {}
        for number, row in enumerate(rows, start=1):
            if header is None:
                if row and str(row[0] or "").startswith("Area code"):
                    header = [str(c or "") for c in row]
                continue
            if not row or not row[0]:
                continue
            values: dict[tuple[str, str], int] = {}
            for index, name in enumerate(header):
                if ":" not in name:
                    continue
                sex_part, band = name.split(":", 1)
                label = band.split("[")[0].strip().removeprefix("Aged ").strip()
                sex = {"Females": Sex.FEMALE, "Males": Sex.MALE}.get(sex_part.strip())
                if sex is None:
                    raise DataFileError(path, "unknown sex", row=number, column=name)
                values[(str(sex), label)] = _int(row[index], path, number, name)
            out[str(row[0]).strip()] = values
        if header is None:
            raise DataFileError(path, "no header row on sheet P03")
        return out
    finally:
        book.close()


def cells(codes: set[str]) -> list[Cell]:
    """The cells of every area in `codes`, validated; DataFileError if any area is missing or inconsistent."""
    ts007, ts007a, p03 = read_ts007(), read_ts007a(), read_p03()
    out: list[Cell] = []
    for code in sorted(codes):
        for path, table in ((TS007, ts007), (TS007A, ts007a), (P03, p03)):
            if code not in table:
                raise DataFileError(path, f"{code} is not in the file", column="geography code")
        for label in FIVE_YEAR[3:]:
            both = p03[code][(Sex.FEMALE, label)] + p03[code][(Sex.MALE, label)]
            if abs(both - ts007a[code][label]) > TOLERANCE:
                raise DataFileError(P03, f"{code}: women and men {both} against TS007A's {ts007a[code][label]}",
                                    column=label)  # fmt: skip
        for band in AgeBand.values:
            persons = sum(ts007[code][label] for label in TS007_BANDS[band])
            women = sum(p03[code][(Sex.FEMALE, label)] for label in P03_BANDS[band])
            men = sum(p03[code][(Sex.MALE, label)] for label in P03_BANDS[band])
            if women + men == 0:
                raise DataFileError(P03, f"{code}: no residents in the band", column=band)
            female = round(persons * women / (women + men))
            out.append(Cell(code, band, Sex.FEMALE, female))
            out.append(Cell(code, band, Sex.MALE, persons - female))
    return out

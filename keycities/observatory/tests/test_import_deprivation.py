"""English Indices of Deprivation 2019 (File 10) and WIMD 2019 through the import pipeline.

IoD: a small real extract (every sheet's header and five districts' rows).
WIMD: the whole bundled CSV (1,909 rows, read in milliseconds), because the
10% most deprived small areas are a national ranking that an extract cannot
reproduce; the malformed cases are edits of it. Expected values were read by
hand from the bundled files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from keycities.observatory import catalogue, services
from keycities.observatory.models import Area, Observation, Release

from .test_import_workbooks import (
    DATA,
    assert_refused,
    edit_workbook,
    extract_workbook,
    observation,
    prepare,
    values_of,
)

pytestmark = pytest.mark.django_db

IOD = catalogue.source("mhclg-iod-2019")
WIMD = catalogue.source("wimd-2019")
IOD_FILE = DATA / IOD.path
WIMD_FILE = DATA / WIMD.path
# Hartlepool, Coventry, Carlisle, BCP, and Aylesbury Vale (abolished 2020, not in the ONS area list).
IOD_CODES = ("E06000001", "E08000026", "E07000028", "E06000058", "E07000004")
# The 2019 districts in File 10 that the ONS area list (data/ons/els-app/areas-list.json) does not hold.
ABOLISHED = {
    "E07000004": "Aylesbury Vale", "E07000005": "Chiltern", "E07000006": "South Bucks", "E07000007": "Wycombe",
    "E07000150": "Corby", "E07000151": "Daventry", "E07000152": "East Northamptonshire", "E07000153": "Kettering",
    "E07000154": "Northampton", "E07000155": "South Northamptonshire", "E07000156": "Wellingborough",
}  # fmt: skip
IOD_SHEETS = ("IMD", "Income", "Employment", "Education", "Health", "Crime", "Barriers", "Living", "IDACI", "IDAOPI")


@pytest.fixture(scope="module")
def iod_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keep: dict[str, Callable[[int, tuple[Any, ...]], bool] | None] = {
        "Notes": None, **{s: (lambda i, row: i == 1 or row[0] in IOD_CODES) for s in IOD_SHEETS},
    }  # fmt: skip
    return extract_workbook(IOD_FILE, tmp_path_factory.mktemp("iod") / "iod-extract.xlsx", keep)


# --------------------------------------------------------------------------- England


def test_iod_district_summaries_are_imported_with_their_values(tmp_path: Path, iod_extract: Path) -> None:
    prepare(tmp_path, IOD_CODES)
    result = services.import_source(IOD, path=iod_extract)
    release = result.release
    assert release is not None and release.release_date.isoformat() == "2019-09-26"
    # 5 districts x (IMD 10 columns + Income 8 + Employment 8 + 7 other sheets x 6)
    assert result.rows == 5 * (10 + 8 + 8 + 7 * 6) == Observation.objects.filter(release=release).count()
    value = values_of(release)
    assert value("imd-average-score", "E08000026", 2019) == (25.613, "")
    assert value("imd-rank-average-score", "E06000001", 2019) == (10, "")
    assert value("imd-average-rank", "E06000001", 2019) == (22581.98, "")
    assert value("imd-rank-average-rank", "E06000001", 2019) == (25, "")
    # Published as proportions (0.3621, 0.4973); stored as per cent.
    assert value("imd-share-most-deprived-10pc", "E06000001", 2019) == (36.21, "")
    assert value("imd-share-most-deprived-10pc", "E08000026", 2019) == (14.36, "")
    assert value("imd-extent", "E06000001", 2019) == (49.73, "")
    assert value("imd-rank-extent", "E06000001", 2019) == (14, "")
    assert value("imd-local-concentration", "E06000001", 2019) == (32560.44, "")
    assert value("imd-rank-local-concentration", "E06000001", 2019) == (10, "")
    assert value("iod-income-average-score", "E06000001", 2019) == (0.228, "")
    assert value("iod-income-share-most-deprived-10pc", "E06000001", 2019) == (37.93, "")
    assert value("iod-income-scale", "E06000001", 2019) == (21084, "")
    assert value("iod-income-rank-scale", "E06000001", 2019) == (110, "")
    assert value("iod-employment-scale", "E06000001", 2019) == (9715.25, "")
    assert value("iod-education-average-score", "E06000001", 2019) == (30.255, "")
    assert value("iod-health-average-score", "E06000001", 2019) == (0.869, "")
    assert value("iod-crime-average-score", "E06000001", 2019) == (0.566, "")
    assert value("iod-barriers-average-score", "E06000001", 2019) == (14.242, "")
    assert value("iod-living-average-score", "E06000001", 2019) == (6.943, "")
    assert value("iod-idaci-average-score", "E06000001", 2019) == (0.283, "")
    assert value("iod-idaopi-average-score", "E06000001", 2019) == (0.228, "")
    assert value("iod-idaopi-rank-share-most-deprived-10pc", "E06000001", 2019) == (15, "")
    assert observation(release, "imd-average-score", "E07000004", 2019).value == 11.183
    assert observation(release, "imd-average-score", "E07000028", 2019).area.name == "Carlisle"


def test_iod_codes_missing_from_the_ons_area_list_are_the_eleven_abolished_districts() -> None:
    areas = json.loads((DATA / catalogue.AREA_LIST).read_text(encoding="utf-8"))
    known = set(areas["areacd"])
    book = load_workbook(IOD_FILE, read_only=True, data_only=True)
    rows = list(book["IMD"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert len(rows) == 317
    assert {code: name for code, name, *_ in rows if code not in known} == ABOLISHED
    # They are registered from the catalogue (EXTRA_AREAS), so the bundled file imports.
    registered = {code: catalogue.EXTRA_AREAS.get(code) for code in ABOLISHED}
    assert {code: extra[0] for code, extra in registered.items() if isinstance(extra, tuple)} == ABOLISHED
    assert Area.objects.get(code="E07000004").end_year == 2019 and Area.objects.get(code="E07000150").end_year == 2020


def test_without_those_registrations_the_import_is_refused(tmp_path: Path, iod_extract: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(catalogue, "EXTRA_AREAS", {k: v for k, v in catalogue.EXTRA_AREAS.items()
                                                   if k not in ABOLISHED})  # fmt: skip
    prepare(tmp_path, IOD_CODES)
    Area.objects.filter(code__in=ABOLISHED).delete()  # as on a database loaded without them
    message = assert_refused(IOD, iod_extract, "unknown area code 'E07000004'", "row ")
    assert "column 'area code'" in message


def test_iod_twice_is_one_release(tmp_path: Path, iod_extract: Path) -> None:
    prepare(tmp_path, IOD_CODES)
    releases = Release.objects.filter(dataset__slug="mhclg-iod-2019")
    before = releases.count()
    assert services.import_source(IOD, path=iod_extract).created
    assert not services.import_source(IOD, path=iod_extract).created
    assert releases.count() == before + 1


def _set(sheet: str, cell: str, new: object) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet][cell] = new

    return change


def _empty(sheet: str) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        index = wb.sheetnames.index(sheet)
        wb.remove(wb[sheet])
        wb.create_sheet(sheet, index)

    return change


def _repeat_row(sheet: str, row: int) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[sheet].append([c.value for c in wb[sheet][row]])

    return change


MALFORMED_IOD = {
    "missing sheet": (lambda wb: wb.remove(wb["Crime"]), ["has no sheet 'Crime'"]),
    "renamed header": (_set("IMD", "E1", "IMD - Mean score"), ["row 1", "IMD!E1", "'IMD - Mean score' is not one"]),
    "missing column": (lambda wb: wb["Health"].delete_cols(8), ["row 1", "sheet 'Health' has no column",
                                                               "Rank of proportion of LSOAs"]),
    "renamed code header": (_set("Living", "A1", "LAD19CD"), ["row 1", "Living!A1", "should be 'Local Authority"]),
    "text in a number cell": (_set("Income", "C3", "high"), ["row 3", "Income!C3", "'high' is not a number"]),
    "area code format": (_set("Barriers", "A4", "E6000001"), ["row 4", "Barriers!A4", "is not an area code"]),
    "Welsh code in England's file": (_set("IMD", "A2", "W06000011"), ["row 2", "IMD!A2", "is not an area code"]),
    "proportion above 1": (_set("IDACI", "G3", 36.21), ["row 3", "IDACI!G3", "not a proportion between 0 and 1"]),
    "empty sheet": (_empty("Education"), ["sheet 'Education' is empty"]),
    "duplicate row": (_repeat_row("Employment", 3), ["row 7", "Employment!A7", "repeats", "first at row 3"]),
    "unknown sheet": (lambda wb: wb.create_sheet("Sub-domains"), ["sheet 'Sub-domains'", "does not know"]),
}  # fmt: skip


def test_malformed_iod_workbooks_are_refused_and_change_nothing(tmp_path: Path, iod_extract: Path) -> None:
    prepare(tmp_path, IOD_CODES)
    for case, (change, fragments) in MALFORMED_IOD.items():
        assert_refused(IOD, edit_workbook(iod_extract, tmp_path / f"bad {case}.xlsx", change), *fragments)


# --------------------------------------------------------------------------- Wales

WELSH = ("W06000011", "W06000022", "W06000024", "W06000003", "W06000004")


def test_wimd_local_authority_summaries_are_computed_from_the_small_areas(tmp_path: Path) -> None:
    prepare(tmp_path, WELSH)
    result = services.import_source(WIMD, path=WIMD_FILE)
    release = result.release
    assert release is not None and release.release_date.isoformat() == "2019-11-27"
    assert result.rows == 22 * 2
    obs = Observation.objects.filter(release=release)
    # Swansea: 148 LSOAs whose WIMD 2019 scores sum to 3,158.9; 17 of them rank in the most deprived 191.
    swansea = observation(release, "wimd-average-score", "W06000011", 2019)
    assert swansea.value == pytest.approx(3158.9 / 148) and swansea.note == "mean of 148 LSOAs"
    assert observation(release, "wimd-share-most-deprived-10pc", "W06000011", 2019).value == pytest.approx(
        100 * 17 / 148
    )
    # Newport: 95 LSOAs, scores summing to 2,488.7, 23 in the most deprived 10%.
    assert observation(release, "wimd-average-score", "W06000022", 2019).value == pytest.approx(2488.7 / 95)
    assert observation(release, "wimd-share-most-deprived-10pc", "W06000022", 2019).value == pytest.approx(
        100 * 23 / 95
    )
    # Merthyr Tydfil: 8 of 36.
    assert observation(release, "wimd-share-most-deprived-10pc", "W06000024", 2019).value == pytest.approx(100 * 8 / 36)
    # Exactly 191 LSOAs are counted as the most deprived 10% (ranks 1-191 of 1,909).
    shares = obs.filter(indicator__slug="wimd-share-most-deprived-10pc").values_list("note", flat=True)
    assert sum(int(note.split(" of ")[0]) for note in shares) == 191
    # Ranks 190-192 share the rounded score 44.0 (Conwy, Denbighshire, Rhondda Cynon Taf); the file's rank
    # order puts the first two inside the 191, and their rows say so.
    conwy = observation(release, "wimd-share-most-deprived-10pc", "W06000003", 2019)
    assert conwy.value == pytest.approx(100 * 4 / 71)
    assert "3 LSOAs share the rounded score 44" in conwy.note and "puts 2 of them" in conwy.note
    assert "share the rounded score" in observation(release, "wimd-share-most-deprived-10pc", "W06000004",
                                                    2019).note  # fmt: skip
    assert "share" not in observation(release, "wimd-share-most-deprived-10pc", "W06000011", 2019).note
    assert set(obs.values_list("area__code", flat=True)) == {f"W060000{n:02d}" for n in
                                                             (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18,
                                                              19, 20, 21, 22, 23, 24)}  # fmt: skip


def test_wimd_twice_is_one_release(tmp_path: Path) -> None:
    prepare(tmp_path, WELSH)
    releases = Release.objects.filter(dataset__slug="welsh-government-wimd-2019")
    before = releases.count()
    assert services.import_source(WIMD, path=WIMD_FILE).created
    assert not services.import_source(WIMD, path=WIMD_FILE).created
    assert releases.count() == before + 1


def _lines() -> list[str]:
    return WIMD_FILE.read_text(encoding="utf-8-sig").splitlines()


def _write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _replace(line: int, old: str, new: str) -> Callable[[list[str]], list[str]]:
    """Change the file's `line` (1 = header)."""

    def change(lines: list[str]) -> list[str]:
        assert old in lines[line - 1]
        lines[line - 1] = lines[line - 1].replace(old, new, 1)
        return lines

    return change


MALFORMED_WIMD: dict[str, tuple[Callable[[list[str]], list[str]], list[str]]] = {
    "renamed header": (_replace(1, "WIMD 2019", "WIMD2019"), ["row 1", "'WIMD2019' should be 'WIMD 2019'"]),
    "missing column": (lambda ls: [",".join(x.split(",")[:-1]) for x in ls],
                       ["row 1", "should be 'Physical Environment'"]),
    "unmatched authority name": (_replace(5, "Rhondda Cynon Taf", "Rhondda Cynon Taff"),
                                 ["row 5", "'Local Authority Name '", "'Rhondda Cynon Taff' matches no Welsh"]),
    "text score": (_replace(3, ",80.3,", ",n/a,"), ["row 3", "column 'WIMD 2019'", "'n/a' is not a number"]),
    "empty domain score": (_replace(2, ",37.1,", ",,"), ["row 2", "column 'Access to Services'", "has no score"]),
    "LSOA code format": (_replace(4, "W01001421", "E01001421"), ["row 4", "column 'lsoa'", "not a Welsh LSOA"]),
    "duplicate LSOA": (lambda ls: [*ls[:3], ls[2], *ls[3:-1]], ["row 4", "repeats LSOA W01000239 (first at row 3)"]),
    "missing row": (lambda ls: ls[:-1], ["has 1908 small areas where WIMD 2019 has 1909"]),
    "out of rank order": (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]], ["row 3", "not in WIMD rank order"]),
    "header only": (lambda ls: ls[:1], ["has a header but no rows"]),
}  # fmt: skip


def test_malformed_wimd_files_are_refused_and_change_nothing(tmp_path: Path) -> None:
    prepare(tmp_path, WELSH)
    for case, (change, fragments) in MALFORMED_WIMD.items():
        assert_refused(WIMD, _write(tmp_path, f"bad {case}.csv", change(_lines())), *fragments)
    # Saved as UTF-16 (as a spreadsheet program may), the file is refused rather than misread.
    assert_refused(WIMD, _write(tmp_path, "utf16.csv", _lines(), "utf-16"), "row 1", "is not UTF-8 text")
    assert_refused(WIMD, _write(tmp_path, "empty.csv", []), "is empty")

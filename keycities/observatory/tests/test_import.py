"""Importers refuse bad files with a message naming file, row and column, and
leave the database exactly as it was; good files import once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from keycities.core.errors import DataFileError
from keycities.observatory import catalogue, services
from keycities.observatory.models import Observation, Release
from keycities.observatory.tests.conftest import DATA, extract_source

pytestmark = pytest.mark.django_db

HEADER = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes"
GOOD = "E08000026,Coventry,Local Authority District,Employment rate,2023-01-01/P1Y,71.9,Percentage,%,68.3,75.5,,"


def state() -> tuple[int, int]:
    return Observation.objects.count(), Release.objects.count()


def refuse(tmp_path: Path, text: str | bytes, match: str, key: str = "els-employment", name: str = "bad.csv") -> None:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = state()
    with pytest.raises(DataFileError, match=match):
        services.import_source(catalogue.source(key), path=path)
    assert state() == before


def test_missing_column(tmp_path: Path) -> None:
    refuse(tmp_path, HEADER.replace("observation,", "value,") + "\n" + GOOD + "\n",
           r"^bad.csv, row 1, column 'observation': has no such column")  # fmt: skip


def test_non_numeric_value(tmp_path: Path) -> None:
    bad = GOOD.replace(",71.9,", ",seventy,")
    refuse(tmp_path, f"{HEADER}\n{GOOD}\n{bad}\n", r"^bad.csv, row 3, column 'observation': 'seventy' is not a number")


def test_unknown_area_code(tmp_path: Path) -> None:
    bad = GOOD.replace("E08000026", "E08000999")
    refuse(tmp_path, f"{HEADER}\n{bad}\n", r"^bad.csv, row 2, column 'area code': unknown area code 'E08000999'")


def test_malformed_area_code(tmp_path: Path) -> None:
    refuse(tmp_path, f"{HEADER}\n{GOOD.replace('E08000026', 'Coventry')}\n",
           r"row 2, column 'areacd': 'Coventry' is not a GSS or ITL area code")  # fmt: skip


def test_duplicate_row(tmp_path: Path) -> None:
    refuse(tmp_path, f"{HEADER}\n{GOOD}\n{GOOD}\n", r"^bad.csv, row 3: repeats employment-rate for E08000026 in 2023 "
                                                    r"\(first at row 2\)")  # fmt: skip


def test_wrong_encoding(tmp_path: Path) -> None:
    refuse(tmp_path, f"{HEADER}\n{GOOD}\n".replace("Coventry", "Coventry £").encode("latin-1"),
           r"^bad.csv, row 2: is not UTF-8 text")  # fmt: skip


def test_empty_file(tmp_path: Path) -> None:
    refuse(tmp_path, "", r"^bad.csv: is empty")
    refuse(tmp_path, HEADER + "\n", r"^bad.csv: has a header but no rows")


def test_unknown_indicator_and_ragged_row(tmp_path: Path) -> None:
    refuse(tmp_path, f"{HEADER}\n{GOOD.replace('Employment rate', 'Happiness')}\n",
           r"row 2, column 'indicator': unknown indicator 'Happiness'")  # fmt: skip
    refuse(tmp_path, f"{HEADER}\n{GOOD},extra\n", r"row 2: has 13 cells where the header has 12")


def test_bad_population_json(tmp_path: Path) -> None:
    refuse(tmp_path, '{"code": "population-indicators-Population count", "areacd": ["E08000026"], '
                     '"value": ["many"], "xDomainNumb": [2024]}', r"row 1, column 'value': 'many' is not a number",
           key="els-population", name="bad.json")  # fmt: skip
    refuse(tmp_path, '{"code": "population-indicators-Population count", "areacd": ["E08000026"], '
                     '"value": [1, 2], "xDomainNumb": [2024]}', r"columns of different lengths",
           key="els-population", name="bad.json")  # fmt: skip
    refuse(tmp_path, "{not json", r"is not valid JSON", key="els-population", name="bad.json")


def test_the_same_file_twice_changes_nothing() -> None:
    source, path = extract_source("els-employment")
    before = state()
    result = services.import_source(source, path=path)
    assert (result.created, state()) == (False, before)


def test_a_new_vintage_is_kept_beside_the_old(tmp_path: Path) -> None:
    source, path = extract_source("els-pay")
    revised = tmp_path / "gross-median-weekly-pay.csv"
    text = path.read_text(encoding="utf-8")
    coventry_2025 = next(line for line in text.splitlines() if line.startswith("E08000026") and ",2025-" in line)
    revised.write_text(text.replace(coventry_2025, coventry_2025.replace(",648.4,", ",650.1,")), encoding="utf-8")
    import datetime as dt

    result = services.import_source(source, path=revised, release_date=dt.date(2026, 10, 22))
    assert result.created and result.rows == 106
    old, new = Release.objects.filter(dataset__slug="ons-ashe-pay").order_by("release_date")
    assert (old.rows, new.rows) == (106, 106)
    from keycities.observatory import queries

    changes = queries.revisions(queries.indicator("median-weekly-pay"), old, new)  # type: ignore[arg-type]
    assert [(c.code, c.period, c.old, c.new) for c in changes] == [("E08000026", 2025, 648.4, 650.1)]


def test_provisional_year_is_marked() -> None:
    obs = Observation.objects.get(indicator__slug="gdp-per-head", area__code="E08000026", period=2023)
    assert (obs.value, obs.status) == (35719.0, "provisional")
    assert Observation.objects.get(indicator__slug="gdp-per-head", area__code="E08000026", period=2022).status == ""


def test_confidence_intervals_are_kept() -> None:
    statuses = set(Observation.objects.filter(indicator__slug="employment-rate").values_list("status", flat=True))
    assert statuses == {""}  # no member or comparator is suppressed in 2022-2023
    ci = Observation.objects.get(indicator__slug="employment-rate", area__code="E08000026", period=2023)
    assert (ci.value, ci.lower_ci, ci.upper_ci) == (71.9, 67.9, 75.9)  # as in employment-rate.csv


def test_extracts_are_real_rows_of_the_bundled_files() -> None:
    for key, name in (("els-employment", "employment-extract.csv"), ("els-pay", "pay-extract.csv")):
        bundled = (services.DATA_DIR / catalogue.source(key).path).read_text(encoding="utf-8-sig").splitlines()
        extract = (DATA / name).read_text(encoding="utf-8").splitlines()
        assert set(extract[1:]) <= set(bundled[1:])


def test_source_catalogue_is_consistent() -> None:
    slugs = {d.slug for d in catalogue.INDICATORS}
    for s in catalogue.SOURCES:
        assert s.dataset in catalogue.DATASETS, s.key
        assert set(s.indicators.values()) <= slugs, s.key
        assert (services.DATA_DIR / s.path).exists(), s.path
    assert len({s.key for s in catalogue.SOURCES}) == len(catalogue.SOURCES)
    assert dataclasses.is_dataclass(catalogue.SOURCES[0])

"""The population importer: real Census files, checked figures, idempotent, and a bad file changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from keycities.core.errors import DataFileError
from keycities.network.models import Place
from keycities.voice import population, services
from keycities.voice.models import PopulationCell, PopulationSource

pytestmark = pytest.mark.django_db


def ts007_16_plus(code: str) -> int:
    with population.TS007.open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["geography code"] == code)
    labels = ["16 to 19 years", "20 to 24 years", "25 to 34 years", "35 to 49 years", "50 to 64 years",
              "65 to 74 years", "75 to 84 years", "85 years and over"]  # fmt: skip
    return sum(int(row[f"Age: Aged {label}; measures: Value"]) for label in labels)


def test_every_member_place_gets_its_census_residents_by_age_band_and_sex(registry: None) -> None:
    assert services.import_population() == (True, 24 * 12)
    coventry = services.population_of(Place.objects.get(slug="coventry").pk)
    assert sum(coventry.values()) == ts007_16_plus("E08000026") == 276875
    # P03 (rounded) has 16,700 men and 14,900 women aged 20-24 in Coventry: more men than women among the young.
    assert coventry[("16-24", "male")] > coventry[("16-24", "female")]
    tees = services.population_of(Place.objects.get(slug="tees-valley").pk)
    assert sum(tees.values()) == sum(ts007_16_plus(c) for c in ["E06000001", "E06000002", "E06000003", "E06000004",
                                                                "E06000005"])  # fmt: skip
    # Carlisle on Census Day was the district E07000028 (Cumberland came in 2023).
    assert sum(services.population_of(Place.objects.get(slug="carlisle").pk).values()) == ts007_16_plus("E07000028")


def test_loading_twice_changes_nothing_and_a_bad_file_changes_nothing(
        registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    call_command("import_population")
    first = list(PopulationCell.objects.values_list("pk", "count"))
    assert services.import_population()[0] is False
    assert list(PopulationCell.objects.values_list("pk", "count")) == first
    broken = tmp_path / "ts007a.csv"
    text = population.TS007A.read_text(encoding="utf-8-sig").replace(",E08000026,345324,", ",E08000026,345324,x")
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(population, "TS007A", broken)
    with pytest.raises(DataFileError, match="not a whole number"):
        services.import_population()
    assert list(PopulationCell.objects.values_list("pk", "count")) == first
    assert PopulationSource.objects.count() == 1


def test_women_and_men_must_agree_with_ts007a(registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = tmp_path / "ts007a.csv"
    with population.TS007A.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    for row in rows:
        if row[2] == "E08000032":  # Bradford: 1,000 more aged 30-34 than P03 has
            row[10] = str(int(row[10]) + 1000)
    with wrong.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    monkeypatch.setattr(population, "TS007A", wrong)
    with pytest.raises(DataFileError, match="E08000032"):
        population.cells({"E08000032"})

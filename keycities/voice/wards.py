"""Electoral wards as a survey's optional demographic question: the wards of the resident's member place, from the
ONS Ward to Westminster Parliamentary Constituency to Local Authority District lookup (July 2024), which the
Hub bundles in data/ (see data/PROVENANCE.md; engagement reads the same file for constituencies).

A place's wards are those whose 2024 local authority is one of the areas the place covers today; a ward split
between two constituencies has a row in each and is offered once. Names are the file's English names
(`WD24NM`) and, where the file has them (Welsh wards), the Welsh names (`WD24NMW`). The file is read once per
process and checked: a missing column or an empty code or name refuses it, naming the row.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from keycities.core.bilingual import GSS_LOOKUP, is_welsh
from keycities.core.errors import DataFileError
from keycities.network.models import Place

WARD_FILE = GSS_LOOKUP
SOURCE = ("Office for National Statistics, Ward to Westminster Parliamentary Constituency to Local Authority "
          "District (July 2024) lookup; Open Government Licence v3.0; contains OS data © Crown copyright.")  # fmt: skip


@dataclass(frozen=True)
class Ward:
    code: str  # WD24CD, e.g. E05001340
    name: str
    name_cy: str  # "" when the file has no Welsh name
    area_code: str  # LAD24CD


@functools.lru_cache(maxsize=2)
def _by_area(path: Path = WARD_FILE) -> dict[str, tuple[Ward, ...]]:
    out: dict[str, dict[str, Ward]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        for column in ("WD24CD", "WD24NM", "WD24NMW", "LAD24CD"):
            if column not in (reader.fieldnames or []):
                raise DataFileError(path, "column missing", row=1, column=column)
        for number, row in enumerate(reader, start=2):
            for column in ("WD24CD", "WD24NM", "LAD24CD"):
                if not (row[column] or "").strip():
                    raise DataFileError(path, "empty", row=number, column=column)
            ward = Ward(row["WD24CD"].strip(), row["WD24NM"].strip(), (row["WD24NMW"] or "").strip(),
                        row["LAD24CD"].strip())  # fmt: skip
            out.setdefault(ward.area_code, {})[ward.code] = ward
    return {area: tuple(sorted(wards.values(), key=lambda w: w.name)) for area, wards in out.items()}


def wards_of(place: Place | int) -> list[Ward]:
    """The wards of a member place today, by English name (empty if none of its current areas is in the file,
    as for Carlisle, which is now within Cumberland)."""
    found = place if isinstance(place, Place) else Place.objects.prefetch_related("areas").get(pk=place)
    by_area = _by_area()
    return [w for a in found.areas_on(timezone.localdate()) for w in by_area.get(a.area_code, ())]


def ward_names(places: list[Place]) -> dict[str, Ward]:
    """Code -> ward for the wards of all the places."""
    return {w.code: w for p in places for w in wards_of(p)}


def label(ward: Ward) -> str:
    """A ward's name in the active language (the Welsh name where the ONS file has one)."""
    return ward.name_cy if ward.name_cy and is_welsh() else ward.name

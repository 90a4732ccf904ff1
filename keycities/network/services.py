"""Writes to the registry. Each public function is one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from keycities.core.errors import DataFileError

from .models import Group, Membership, Nation, Place, PlaceArea, WorkArea, WorkAreaLead

GSS = r"^[EWSNK]\d{8}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaIn(_Strict):
    code: str = Field(pattern=GSS)
    name: str = Field(min_length=1)
    start: dt.date | None = None
    end: dt.date | None = None
    relation: Literal["covers", "same", "within"] = "covers"
    note: str = ""
    note_cy: str = ""


class PlaceIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    name_cy: str = ""
    official_name: str = ""
    nation: Nation
    region: tuple[str, str]
    note: str = ""
    note_cy: str = ""
    areas: list[AreaIn] = Field(min_length=1)


class GroupIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    kind: Literal["network", "comparator"]
    description: str = ""
    source: str = ""


class MembershipIn(_Strict):
    group: str
    places: list[str] = Field(min_length=1)
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""
    note: str = ""


class WorkAreaIn(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    name_cy: str = ""
    leads: list[str] = Field(min_length=1)
    description: str
    description_cy: str = ""


class NetworkFile(_Strict):
    sources: dict[str, str]
    groups: list[GroupIn]
    places: list[PlaceIn]
    memberships: list[MembershipIn]
    work_areas: list[WorkAreaIn]

    @model_validator(mode="after")
    def _references_resolve(self) -> NetworkFile:
        places = [p.slug for p in self.places]
        if len(set(places)) != len(places):
            raise ValueError("place slugs must be unique")
        groups = {g.slug for g in self.groups}
        for m in self.memberships:
            if m.group not in groups:
                raise ValueError(f"membership names unknown group {m.group!r}")
            for slug in m.places:
                if slug not in places:
                    raise ValueError(f"membership of {m.group!r} names unknown place {slug!r}")
        for w in self.work_areas:
            for slug in w.leads:
                if slug not in places:
                    raise ValueError(f"work area {w.slug!r} names unknown lead place {slug!r}")
        return self


def read_network_file(path: Path) -> NetworkFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(path, f"cannot be read as UTF-8 YAML: {exc}") from exc
    try:
        return NetworkFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DataFileError(path, f"{first['msg']} (at {where})") from exc


@transaction.atomic
def load_network(path: Path, *, update: bool = False) -> dict[str, int]:
    """Load the registry from a network file.

    Creates whatever is missing. Objects that already exist (matched by slug)
    are left as staff last edited them unless `update` is true, when they are
    made to match the file exactly. Returns counts of what was created.
    """
    data = read_network_file(path)
    created = {"groups": 0, "places": 0, "memberships": 0, "work_areas": 0}

    groups: dict[str, Group] = {}
    for g in data.groups:
        values: dict[str, Any] = {"name": g.name, "kind": g.kind, "description": g.description, "source": g.source}
        groups[g.slug], made = _get_or_create(Group, g.slug, values, update)
        created["groups"] += made

    places: dict[str, Place] = {}
    for p in data.places:
        values = {
            "name": p.name,
            "name_cy": p.name_cy,
            "official_name": p.official_name,
            "nation": p.nation,
            "region_code": p.region[0],
            "region_name": p.region[1],
            "note": p.note,
            "note_cy": p.note_cy,
        }
        place, made = _get_or_create(Place, p.slug, values, update)
        places[p.slug] = place
        created["places"] += made
        if made or update:
            place.areas.all().delete()
            for a in p.areas:  # one save each, so that the audit log records every row
                PlaceArea.objects.create(
                    place=place,
                    area_code=a.code,
                    area_name=a.name,
                    start=a.start,
                    end=a.end,
                    relation=a.relation,
                    note=a.note,
                    note_cy=a.note_cy,
                )
        else:
            _fill_welsh_notes(place, p)

    for m in data.memberships:
        for slug in m.places:
            defaults = {"end": m.end, "source": m.source, "note": m.note}
            find = Membership.objects.update_or_create if update else Membership.objects.get_or_create
            _, made = find(group=groups[m.group], place=places[slug], start=m.start, defaults=defaults)
            created["memberships"] += made

    intro = data.sources.get("introduction", "")
    for position, w in enumerate(data.work_areas):
        values = {"name": w.name, "name_cy": w.name_cy, "description": w.description,
                  "description_cy": w.description_cy, "source": intro, "position": position}  # fmt: skip
        work_area, made = _get_or_create(WorkArea, w.slug, values, update)
        created["work_areas"] += made
        if made or update:
            work_area.lead_links.all().delete()
            for i, slug in enumerate(w.leads):
                WorkAreaLead.objects.create(work_area=work_area, place=places[slug], position=i)
    return created


def _fill_welsh_notes(place: Place, p: PlaceIn) -> None:
    """A place loaded before the notes had Welsh gets the file's Welsh where its own is still blank (staff's own
    Welsh is never overwritten), each row saved on its own so that the audit log records it."""
    if p.note_cy and not place.note_cy and place.note == p.note:
        place.note_cy = p.note_cy
        place.save(update_fields=["note_cy"])
    welsh = {(a.code, a.start, a.note): a.note_cy for a in p.areas if a.note_cy}
    for area in place.areas.filter(note_cy="").exclude(note=""):
        if found := welsh.get((area.area_code, area.start, area.note)):
            area.note_cy = found
            area.save(update_fields=["note_cy"])


def _get_or_create(model: Any, slug: str, values: dict[str, Any], update: bool) -> tuple[Any, bool]:
    if update:
        return model.objects.update_or_create(slug=slug, defaults=values)
    obj, made = model.objects.get_or_create(slug=slug, defaults=values)
    # A Welsh text that is still blank is missing, not a staff edit: fill it from the file.
    missing_welsh = [k for k, v in values.items() if k.endswith("_cy") and v and not getattr(obj, k)]
    if not made and missing_welsh:
        for k in missing_welsh:
            setattr(obj, k, values[k])
        obj.save(update_fields=missing_welsh)
    return obj, made

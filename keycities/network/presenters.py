"""Turn registry objects into what pages, the API and CSV show.

Pure functions over already-loaded objects (use the querysets in
`queries.py` to load them): testable without a database.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from keycities.core.bilingual import area_name

from .models import Membership, Place, PlaceArea, WorkArea


def region_cy(name: str) -> str:
    """A region's or nation's official Welsh name; blank where it has none (as every `_cy` field of the API)."""
    welsh = area_name(name, "cy")
    return welsh if welsh != name else ""


def area_cover(area: PlaceArea) -> dict[str, Any]:
    return {
        "code": area.area_code,
        "name": area.area_name,
        "start": area.start,
        "end": area.end,
        "relation": area.relation,
        "counted": area.relation == PlaceArea.Relation.COVERS,
        "note": area.note,
        "note_cy": area.note_cy,
    }


def membership(m: Membership) -> dict[str, Any]:
    return {"group": m.group.slug, "group_name": m.group.name, "start": m.start, "end": m.end, "source": m.source}


def place(p: Place, *, detail: bool = False) -> dict[str, Any]:
    out = {
        "slug": p.slug,
        "name": p.name,
        "name_cy": p.name_cy,
        "official_name": p.official_name,
        "nation": p.nation,
        "region": {"code": p.region_code, "name": p.region_name, "name_cy": region_cy(p.region_name)},
        "url": p.get_absolute_url(),
        "areas": [area_cover(a) for a in p.areas.all()],
        "memberships": [membership(m) for m in p.memberships.all()],
        "work_areas_led": [
            {"slug": link.work_area.slug, "name": link.work_area.name, "name_cy": link.work_area.name_cy}
            for link in p.lead_links.all()
        ],
    }
    if detail:
        out["note"] = p.note
        out["note_cy"] = p.note_cy
    return out


def work_area(w: WorkArea) -> dict[str, Any]:
    return {
        "slug": w.slug,
        "name": w.name,
        "name_cy": w.name_cy,
        "description": w.description,
        "description_cy": w.description_cy,
        "source": w.source,
        "url": w.get_absolute_url(),
        "leads": [{"slug": link.place.slug, "name": link.place.name} for link in w.lead_links.all()],
    }


def lead_names(w: WorkArea) -> str:
    """'Bradford and Norwich', as the introduction writes joint leads."""
    names = [link.place.name for link in w.lead_links.all()]
    return _(" and ").join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


PLACE_CSV_HEADER = [
    "slug",
    "name",
    "official_name",
    "nation",
    "region_code",
    "region_name",
    "area_codes",
    "groups",
    "work_areas_led",
    "url",
]


def place_csv_row(p: dict[str, Any]) -> list[Any]:
    def span(d: dict[str, Any]) -> str:
        start = d["start"].isoformat() if d["start"] else ""
        end = d["end"].isoformat() if d["end"] else ""
        return f"{start}/{end}" if start or end else ""

    areas = "; ".join(
        f"{a['code']}" + (f" ({span(a)})" if span(a) else "") + ("" if a["counted"] else " [not counted]")
        for a in p["areas"]
    )
    groups = "; ".join(f"{m['group']}" + (f" ({span(m)})" if span(m) else "") for m in p["memberships"])
    led = "; ".join(w["slug"] for w in p["work_areas_led"])
    return [
        p["slug"],
        p["name"],
        p["official_name"],
        p["nation"],
        p["region"]["code"],
        p["region"]["name"],
        areas,
        groups,
        led,
        p["url"],
    ]


WORK_AREA_CSV_HEADER = ["slug", "name", "name_cy", "leads", "description", "description_cy", "url"]


def work_area_csv_row(w: dict[str, Any]) -> list[Any]:
    return [w["slug"], w["name"], w["name_cy"], "; ".join(p["slug"] for p in w["leads"]), w["description"],
            w["description_cy"], w["url"]]  # fmt: skip

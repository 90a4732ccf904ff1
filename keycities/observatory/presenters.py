"""Observatory objects turned into what pages and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import area_name

from .aggregation import GroupFigure
from .models import AreaKind, Indicator, Release, kind_of_code
from .queries import SeriesPoint

CITATION = "Source: {publisher}, {title}, released {date}; licensed under the {licence}."


def release(r: Release) -> dict[str, Any]:
    return {
        "id": r.pk, "dataset": r.dataset.slug, "title": r.dataset.title, "publisher": r.dataset.publisher,
        "release_date": r.release_date, "source_url": r.dataset.source_url, "licence": r.dataset.licence,
        "geography": r.dataset.geography, "file_name": r.file_name, "sha256": r.sha256,
    }  # fmt: skip


def indicator(ind: Indicator, periods: list[int], releases: list[Release] | None = None) -> dict[str, Any]:
    out = {
        "slug": ind.slug, "name": ind.name, "topic": ind.topic, "unit": ind.unit, "aggregation": ind.aggregation,
        "aggregation_label": ind.get_aggregation_display(), "definition": ind.definition, "caveats": ind.caveats,
        "name_cy": ind.name_cy, "topic_cy": ind.topic_cy, "definition_cy": ind.definition_cy,
        "caveats_cy": ind.caveats_cy,
        "base": ind.base, "derived": ind.derived, "higher_is_better": ind.higher_is_better,
        "numerator": ind.numerator.slug if ind.numerator else None,
        "denominator": ind.denominator.slug if ind.denominator else None,
        "weight": ind.weight.slug if ind.weight else None,
        "first_period": periods[0] if periods else None, "latest_period": periods[-1] if periods else None,
        "url": ind.get_absolute_url(),
    }  # fmt: skip
    if releases is not None:
        out["releases"] = [release(r) for r in releases]
    return out


def aggregate(figure: GroupFigure) -> dict[str, Any]:
    return {
        "group": figure.group, "group_name": figure.group_name, "indicator": figure.indicator.slug,
        "period": figure.period, "as_of": figure.as_of, "value": figure.value, "unit": figure.indicator.unit,
        "method": figure.method, "aggregation": figure.indicator.aggregation,
        "numerator_total": figure.numerator_total, "denominator_total": figure.denominator_total,
        "members_minimum": figure.minimum, "members_median": figure.median, "members_maximum": figure.maximum,
        "complete": figure.complete,
        "members": [{"place": m.slug, "name": m.name, "areas": m.areas, "value": m.value, "numerator": m.numerator,
                     "denominator": m.denominator, "note": m.note} for m in figure.members],
        "missing": [{"place": m.slug, "name": m.name, "reason": m.reason} for m in figure.missing],
        "releases": [release(r) for r in figure.releases],
    }  # fmt: skip


def series_point(p: SeriesPoint) -> dict[str, Any]:
    return {
        "period": p.period, "value": p.value, "release_id": p.release.pk if p.release else None,
        "release_dataset": p.release.dataset.slug if p.release else None,
        "release_date": p.release.release_date if p.release else None, "members_counted": sorted(p.areas),
        "is_break": p.is_break, "break_reason": p.break_reason,
    }  # fmt: skip


SERIES_HEADER = ["period", "value", "release_id", "release_dataset", "release_date", "members_counted", "is_break",
                 "break_reason"]  # fmt: skip


def citation(r: Release) -> str:
    return CITATION.format(publisher=r.dataset.publisher, title=r.dataset.title,
                           date=f"{r.release_date:%-d %B %Y}", licence=r.dataset.licence)  # fmt: skip


OBSERVATION_FIELDS = ["indicator__slug", "area__code", "area__name", "period", "value", "lower_ci", "upper_ci",
                      "status", "note", "release_id", "release__dataset__slug", "release__release_date"]  # fmt: skip
OBSERVATION_HEADER = ["indicator", "area_code", "area_name", "period", "value", "lower_ci", "upper_ci", "status",
                      "note", "release_id", "release_dataset", "release_date"]  # fmt: skip


def observation_row(values: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(OBSERVATION_HEADER, values, strict=True))


@dataclass
class RegionRow:
    rank: int | None
    code: str
    name: str
    value: float | None
    status: str


LEVELS = [
    ((AreaKind.UK, AreaKind.NATION), _("The UK and its nations")),
    ((AreaKind.ITL1,), _("ITL1: nations and regions")),
    ((AreaKind.ITL2,), _("ITL2: groups of counties and city regions")),
    ((AreaKind.ITL3,), _("ITL3: counties and groups of local authorities")),
]


def regions_by_level(rows: list[Any]) -> list[tuple[str, list[RegionRow]]]:
    """Area values for a release published by ITL region only: one ranked list per ITL level (1 = highest),
    the UK and its nations first, then the levels in order; anything else (Extra-regio) is left out."""
    out = []
    for kinds, label in LEVELS:
        found = [r for r in rows if kind_of_code(r.code) in kinds]
        ranked = sorted((r for r in found if r.value is not None), key=lambda r: -r.value)
        ranks: dict[str, int] = {}
        for i, r in enumerate(ranked if AreaKind.UK not in kinds else []):  # the UK and England: not a ranking
            ranks[r.code] = i + 1 if i == 0 or r.value != ranked[i - 1].value else ranks[ranked[i - 1].code]
        listed = [RegionRow(ranks.get(r.code), r.code, area_name(r.name), r.value, r.status) for r in found]
        listed.sort(key=lambda r: (r.rank is None, r.rank or 0, -(r.value or 0), r.name))
        if listed:
            out.append((str(label), listed))
    return out

"""Figures for packs, read through the observatory's public functions (`queries`, `aggregation.group_figure`)
and the claims register's (`claims.queries`). Every figure is a plain dict with its source, so that an issued
pack can freeze it as JSON:

    {"key", "label", "indicator", "subject", "subject_name", "period", "value", "text", "unit",
     "release": {"id", "dataset", "publisher", "release_date", "licence"}}
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from keycities.core.bilingual import localised_text
from keycities.core.charts import format_value
from keycities.network.models import Group, Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import AggregationError, Store, group_figure
from keycities.observatory.models import Indicator, Release


def release_record(release: Release | None) -> dict[str, Any] | None:
    if release is None:
        return None
    return {"id": release.pk, "dataset": release.dataset.title, "publisher": release.dataset.publisher,
            "release_date": release.release_date.isoformat(), "licence": release.dataset.licence}  # fmt: skip


def figure(key: str, ind: Indicator, subject: str, subject_name: str, period: int | None, value: float | None,
           release: Release | None) -> dict[str, Any]:  # fmt: skip
    name = localised_text(ind, "name")
    return {"key": key, "label": f"{name}, {subject_name}, {period}", "indicator": ind.slug,
            "indicator_name": name, "subject": subject, "subject_name": subject_name, "period": period,
            "value": value, "text": format_value(value, ind.unit), "unit": ind.unit,
            "release": release_record(release)}  # fmt: skip


def group_value(group: Group, ind: Indicator, period: int | None, store: Store,
                as_of: dt.date | None = None) -> dict[str, Any] | None:  # fmt: skip
    """The group's figure (today's membership), or None where it cannot be made."""
    try:
        fig = group_figure(group, ind, period, as_of=as_of or dt.date.today(), store=store)
    except AggregationError:
        return None
    value = fig.value if fig.value is not None else None
    key = f"{ind.slug}:{group.slug}:{fig.period}"
    return figure(key, ind, group.slug, group.name, fig.period, value, fig.releases[0] if fig.releases else None)


def place_value(place: Place, ind: Indicator, period: int | None, store: Store) -> dict[str, Any] | None:
    """One place's figure for a period (its latest when None), or None where it has none."""
    points = [p for p in observatory.place_series(ind, place, store) if p.value is not None]
    if period is not None:
        points = [p for p in points if p.period == period]
    if not points:
        return None
    point = points[-1]
    name = localised_text(place, "name")
    return figure(f"{ind.slug}:{place.slug}:{point.period}", ind, place.slug, name, point.period, point.value,
                  point.release)  # fmt: skip

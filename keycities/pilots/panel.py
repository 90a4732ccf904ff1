"""The panel an evaluation runs on, read from the observatory through its public functions only
(`observatory.queries`): the treated place's series as the observatory computes it (its cover followed over time,
the indicator's rule for combining areas) and every local authority's figure for every year, from the newest
release that covers the local authorities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keycities.network.models import Place, PlaceArea
from keycities.observatory import queries
from keycities.observatory.aggregation import Store
from keycities.observatory.models import Indicator

from .estimation import Panel


def place_codes(places: list[Place]) -> set[str]:
    """Every area code the places have ever covered: none of them may be a donor."""
    return {a.area_code for p in places for a in p.areas.all() if a.relation != PlaceArea.Relation.WITHIN}


def build(ind: Indicator, place: Place, store: Store | None = None) -> tuple[Panel, dict[str, Any]]:
    """The panel (treated: the place's slug; donors: local authority codes) and what it came from: the releases
    used and any break in the place's series."""
    store = store or Store()
    treated: dict[int, float] = {}
    releases: dict[int, str] = {}
    breaks: list[str] = []
    for point in queries.place_series(ind, place, store):
        if point.value is not None:
            treated[point.period] = float(point.value)
            if point.release:
                releases[point.release.pk] = _dated(point.release)
        if point.break_reason:
            breaks.append(f"{point.period}: {point.break_reason}")
    series: dict[str, dict[int, float]] = {place.slug: treated}
    names = {place.slug: place.name}
    for period in queries.periods(ind, store):
        rows, used = queries.area_values(ind, period, store)
        for row in rows:
            if row.value is not None:
                series.setdefault(row.code, {})[period] = float(row.value)
                names[row.code] = row.name
        for release in used:
            releases[release.pk] = _dated(release)
    panel = Panel(treated=place.slug, treated_name=place.name, series=series, names=names, unit=ind.unit)
    return panel, {"releases": [{"id": k, "label": v} for k, v in sorted(releases.items())], "breaks": breaks}


def _dated(release: Any) -> str:
    return f"{release.dataset.title} ({release.release_date.isoformat()})"


def first_post_year(when: dt.date) -> int:
    """The first year counted as after the intervention: the year it starts in (a part-year is counted as
    treated, which can only dilute the estimate)."""
    return when.year

"""Let the member pages (owned by `network`) show a place's headline figures without `network` importing
the observatory: `{% load observatory_headlines %}{% place_headlines place %}`."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.network.models import Place

from .. import queries
from ..aggregation import AggregationError, Store, figure_for_places

register = template.Library()

# Population, the economy, work, pay and deprivation (the English or Welsh index, by the place's nation).
HEADLINES = ["population", "gva", "employment-rate", "median-weekly-pay"]
DEPRIVATION = {"Wales": "wimd-average-score"}
DEPRIVATION_DEFAULT = "imd-average-score"


def headlines(place: Place, store: Store | None = None) -> list[dict[str, Any]]:
    """The place's latest figure for each headline indicator that has one (value, period, indicator)."""
    store = store or Store()
    slugs = [*HEADLINES, DEPRIVATION.get(place.nation, DEPRIVATION_DEFAULT)]
    found = {ind.slug: ind for ind in queries.indicators().filter(slug__in=slugs)}
    out = []
    for slug in slugs:
        ind = found.get(slug)
        periods = queries.periods(ind, store) if ind else []
        if ind is None or not periods:
            continue
        try:
            members, _, releases, *_ = figure_for_places(ind, periods[-1], [place], store=store)
        except AggregationError:
            continue
        if members and members[0].value is not None:
            out.append({"indicator": ind, "period": periods[-1], "value": members[0].value, "note": members[0].note,
                        "release": releases[0] if releases else None})  # fmt: skip
    return out


@register.inclusion_tag("observatory/includes/headlines.html")
def place_headlines(place: Place) -> dict[str, Any]:
    return {"place": place, "headlines": headlines(place)}

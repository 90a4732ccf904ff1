"""Warm a new web worker before it takes its first request (gunicorn.conf.py calls `warm_up`).

A worker keeps per process what follows from the published releases alone (docs/adr/0027): the coverage map,
each release's values, the local authority rankings, the group's figures. The first request that needs them
used to pay for reading them: 1.4–2.1 s for a place profile, several seconds on a loaded machine. Here the
worker compiles the templates the busiest pages use, reads the Welsh names of Welsh areas, starts the chart
engine, makes the map's shapes for the years the latest figures are for, and computes one member's profile and
its place page in each language, before gunicorn hands it a request. Nothing is cached that a request would
not have kept: the same functions fill the same per-process keeps, keyed as they always are, so a new release
still empties them. A failure is logged and never stops the worker from serving.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATES = (
    "network/home.html",
    "network/place.html",
    "observatory/place_profile.html",
    "observatory/indicator.html",
    "observatory/catalogue.html",
)


def warm_up(notify: Callable[[], None] = lambda: None) -> float:
    """Fill this process's keeps; `notify` is called between steps (gunicorn's heartbeat, so that a slow database
    cannot make the master think the worker hung). Returns the seconds taken."""
    from keycities.core import charts
    from keycities.core.bilingual import welsh_gss_names
    from keycities.network import presenters
    from keycities.network.models import Place
    from keycities.network.queries import NETWORK
    from keycities.observatory import queries
    from keycities.observatory.aggregation import Store
    from keycities.observatory.views import _topology

    started = time.perf_counter()
    try:
        for name in TEMPLATES:
            get_template(name)
        welsh_gss_names()  # the Welsh names of Welsh areas, from the ONS lookup (~60 ms)
        notify()
        # The chart engine's first drawing starts its JavaScript runtime (~0.8 s); a drawing nobody sees does it.
        charts.bar_chart("warm-up", [("a", 1.0)], unit="count")
        notify()
        # The local authority map's shapes for each year an indicator's latest figures are for (~0.3 s a year).
        store = Store()
        years = {found[-1] for ind in queries.indicators() if (found := queries.periods(ind, store))}
        for year in sorted(years):
            charts._map_shapes(_topology(), "ltla", year)
        notify()
        place = Place.objects.members_of(NETWORK).prefetch_related("areas").order_by("name").first()
        if place is not None:
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    queries.place_profile(place, Store())
                    notify()
                    presenters.place(place, detail=True)
                    notify()
    except Exception:  # a database not migrated yet, or down: the worker serves anyway, cold
        logger.warning("Warm-up did not finish; the first requests will be slower", exc_info=True)
    took = time.perf_counter() - started
    logger.info("Worker warmed in %.2f s", took)
    return took

"""Warm a new web worker before it takes its first request (gunicorn.conf.py calls `warm_up`).

A worker keeps per process what follows from the published releases alone (docs/adr/0027): the coverage map,
each release's values, the local authority rankings, the group's figures. The first request that needs them
used to pay for reading them: 1.4–2.1 s for a place profile, several seconds on a loaded machine. Here the
worker computes one member's profile and its place page in each language, and compiles the templates the
busiest pages use, before gunicorn hands it a request. Nothing is cached that a request would not have kept:
the same functions fill the same per-process keeps, keyed as they always are, so a new release still empties
them. A failure is logged and never stops the worker from serving.
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
    from keycities.network import presenters
    from keycities.network.models import Place
    from keycities.network.queries import NETWORK
    from keycities.observatory import queries
    from keycities.observatory.aggregation import Store

    started = time.perf_counter()
    try:
        for name in TEMPLATES:
            get_template(name)
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

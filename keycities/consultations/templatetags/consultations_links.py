"""Let pages written elsewhere (a work area's page, owned by `network`) list the consultations in a work
area without that app importing this one: `{% load consultations_links %}{% work_area_consultations wa %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from .. import queries

register = template.Library()


@register.inclusion_tag("consultations/includes/work_area.html")
def work_area_consultations(work_area: Any) -> dict[str, Any]:
    """The consultations open now and the responses published, in the work area (both lists are public)."""
    return {
        "work_area": work_area,
        "open": list(queries.open_consultations(timezone.localdate()).filter(work_areas=work_area)),
        "published": list(queries.published().filter(work_areas=work_area)[:10]),
    }

"""`{% parliament_panel place %}`: a member place's constituencies and MPs, for the place's page."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.engagement import queries
from keycities.network.queries import member_place_ids

register = template.Library()


@register.inclusion_tag("engagement/includes/parliament_panel.html")
def parliament_panel(place: Any) -> dict[str, Any]:
    member = place.pk in member_place_ids()
    return {"place": place, "member": member, "overlaps": queries.overlaps([place]) if member else []}

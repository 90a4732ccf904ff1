"""`{% parliament_panel place %}`: a member place's constituencies and MPs, for the place's page. It uses the
memberships and areas the page has already loaded, and costs one query of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from keycities.engagement import queries
from keycities.network.queries import NETWORK

register = template.Library()


@register.inclusion_tag("engagement/includes/parliament_panel.html")
def parliament_panel(place: Any) -> dict[str, Any]:
    today = dt.date.today()
    member = any(m.group.slug == NETWORK and m.holds_on(today) for m in place.memberships.all())
    return {"place": place, "member": member, "overlaps": queries.overlaps([place], today) if member else []}

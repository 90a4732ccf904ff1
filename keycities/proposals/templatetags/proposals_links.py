"""Let a work area's page (owned by `network`) link to the proposals about it, for those who review them,
without that app importing this one: `{% load proposals_links %}{% work_area_proposals_url wa as url %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from .. import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def work_area_proposals_url(context: template.Context, work_area: Any) -> str:
    """The review queue filtered to the work area, for a user who sees the queue; "" for anyone else."""
    request = context.get("request")
    if request is None or not policy.sees_review_queue(request.user):
        return ""
    return f"{reverse('proposals:queue')}?{urlencode({'work_area': work_area.slug})}"

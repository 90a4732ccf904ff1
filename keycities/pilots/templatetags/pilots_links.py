"""`{% pilot_for_proposal proposal %}` on a proposal's page: the pilot it became, or (for the secretariat, when the
proposal is a pilot candidate) the button that makes it one; proposals need not import pilots."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.proposals.models import Status

from .. import policy

register = template.Library()


@register.inclusion_tag("pilots/includes/for_proposal.html", takes_context=True)
def pilot_for_proposal(context: dict[str, Any], proposal: Any) -> dict[str, Any]:
    user = context["request"].user
    pilot = policy.visible_pilots(user).filter(proposal=proposal).first()
    offer = pilot is None and proposal.status == Status.PILOT_CANDIDATE and policy.may_create(user)
    return {"pilot": pilot, "offer": offer, "proposal": proposal, "csrf_token": context.get("csrf_token")}

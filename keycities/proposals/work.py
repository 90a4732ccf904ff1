"""What proposals put on a user's My work page (keycities/core/work.py), and the queue in the menu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.core.work import ITEMS, Item, NavLink, Section, due_items

from . import policy
from .models import OPEN


def _awaiting(user: Any) -> Any:
    """Open proposals the user reviews that have had no first response yet, the most overdue first."""
    return (policy.reviewable_proposals(user).filter(status__in=OPEN, first_response_at__isnull=True)
            .order_by("first_response_due", "pk"))  # fmt: skip


def sections(user: Any) -> list[Section]:
    queue = reverse("proposals:queue")
    if policy.sees_review_queue(user):
        awaiting = _awaiting(user)
        items = due_items(awaiting.only("reference", "title", "first_response_due")[:ITEMS],
                          label=lambda p: f"{p.reference}: {p.title}", url=lambda p: p.get_absolute_url(),
                          due=lambda p: p.first_response_due, what=_("First response due"))  # fmt: skip
        return [Section(
            "proposals", _("Proposals waiting for a first response"), awaiting.count(), queue,
            _("Open the proposals queue"), items,
            empty=_("No proposal is waiting for a first response."), order=10,
        )]  # fmt: skip
    mine = policy.visible_proposals(user).order_by("-submitted_at", "-pk")
    own = tuple(Item(f"{p.reference}: {p.title}", p.get_absolute_url(), p.get_status_display())
                  for p in mine.only("reference", "title", "status")[:ITEMS])  # fmt: skip
    return [Section(
        "your-proposals", _("Your proposals"), mine.count(), queue, _("See all your proposals"), own,
        empty=_("You have not sent a proposal yet."), todo=False, order=10,
    )]  # fmt: skip


NAV = (NavLink(gettext_lazy("Proposals"), "proposals:queue", frozenset({"proposals:queue", "proposals:review"}),
               policy.sees_review_queue, order=10),)  # fmt: skip

"""What engagement puts on a user's My work page (keycities/core/work.py): their follow-ups due or overdue."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.core.work import ITEMS, NavLink, Section, due_items

from . import policy


def sections(user: Any) -> list[Section]:
    if not policy.sees_follow_ups(user):
        return []
    today = timezone.localdate()
    mine = user.follow_ups.filter(done_at__isnull=True).order_by("due", "pk")
    found = list(mine.select_related("interaction")[:ITEMS])
    items = due_items(found, label=lambda f: f.text, url=lambda f: f.interaction.get_absolute_url(),
                      due=lambda f: f.due)  # fmt: skip
    # Fewer than ITEMS open: they are all here, so the count needs no second query.
    due = sum(f.due <= today for f in found) if len(found) < ITEMS else mine.filter(due__lte=today).count()
    return [Section(
        "follow-ups", _("Your follow-ups"), due, reverse("engagement:follow-ups"),
        _("See all your follow-ups"), items, empty=_("You have no open follow-ups."), order=30,
    )]  # fmt: skip


NAV = (NavLink(gettext_lazy("Engagement"), "engagement:interactions",
               frozenset({"engagement:interactions", "engagement:interaction", "engagement:interaction-new",
                          "engagement:follow-ups", "engagement:calendar", "engagement:coverage"}),
               policy.sees_interactions, order=40),)  # fmt: skip

"""What claims put on the secretariat's My work page (keycities/core/work.py), and the dashboard in the menu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.accounts.policy import is_secretariat
from keycities.core.work import ITEMS, Item, NavLink, Section

from .models import Evaluation


def sections(user: Any) -> list[Section]:
    if not is_secretariat(user):
        return []
    changed = (Evaluation.objects.filter(changed=True, acknowledged=False).select_related("claim")
               .order_by("-evaluated_at", "-pk"))  # fmt: skip
    items = tuple(Item(e.claim.headline, e.claim.get_absolute_url(),
                       _("Now: %(verdict)s") % {"verdict": e.get_verdict_display()}, urgent=True)
                  for e in changed[:ITEMS])  # fmt: skip
    dashboard = reverse("claims:dashboard")
    return [Section("claims", _("Claims whose verdict changed"), changed.count(), dashboard,
                    _("Open the claims dashboard"), items,
                    empty=_("No claim’s verdict has changed since it was last seen."), order=40)]  # fmt: skip


NAV = (NavLink(gettext_lazy("Claims"), "claims:dashboard", frozenset({"claims:dashboard", "claims:edit", "claims:new"}),
               is_secretariat, order=30),)  # fmt: skip

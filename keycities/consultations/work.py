"""What consultations put on a user's My work page (keycities/core/work.py), and the register in the menu."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.accounts.policy import is_member_officer, is_secretariat, officer_place_id
from keycities.core.bilingual import localised
from keycities.core.work import ITEMS, Item, NavLink, Section, due_items

from . import policy
from .models import FINAL, Consultation, Review, Stage


def _items(found: Any, url_name: str, date_field: str, what: str) -> tuple[Item, ...]:
    return due_items(found[:ITEMS], label=lambda c: format_html("{} ({})", localised(c, "title"), c.body_name),
                     url=lambda c: reverse(url_name, args=[c.pk]), due=lambda c: getattr(c, date_field),
                     what=what)  # fmt: skip


def sections(user: Any) -> list[Section]:
    if not (is_member_officer(user) or is_secretariat(user)):
        return []
    today = timezone.localdate()
    in_review = policy.visible_consultations(user).filter(status=Stage.MEMBER_REVIEW)
    found = []
    if is_member_officer(user):
        place = officer_place_id(user)
        decided = Review.objects.filter(consultation=OuterRef("pk"), round=OuterRef("round"), place=place)
        waiting = in_review.filter(~Exists(decided)).order_by("review_deadline", "pk")
        found.append(Section(
            "reviews", _("Responses waiting for your place’s decision"), waiting.count(),
            reverse("consultations:open"), _("See consultations and responses"),
            _items(waiting, "consultations:review", "review_deadline", _("Decision due")),
            empty=_("Your place has recorded its decision on every response in review."), order=20,
        ))  # fmt: skip
        drafting = (policy.visible_consultations(user).filter(lead_place=place, status=Stage.DRAFTING)
                    .order_by("closes_on", "pk"))  # fmt: skip
        found.append(Section(
            "drafting", _("Responses your place is drafting"), drafting.count(), reverse("consultations:open"),
            _("See consultations and responses"), _items(drafting, "consultations:detail", "closes_on", _("Closes")),
            empty=_("Your place is not drafting a response."), order=30,
        ))  # fmt: skip
        closing = (policy.visible_consultations(user).filter(work_areas__lead_links__place=place, closes_on__gte=today)
                   .exclude(status__in=FINAL).distinct().order_by("closes_on", "pk"))  # fmt: skip
        found.append(Section(
            "closing", _("Consultations closing in your place’s work areas"), closing.count(),
            reverse("consultations:open"), _("See open consultations"),
            _items(closing, "consultations:detail", "closes_on", _("Closes")),
            empty=_("No consultation in your place’s work areas is open."), todo=False, order=60,
        ))  # fmt: skip
    if is_secretariat(user):
        in_review = in_review.order_by("review_deadline", "pk")
        found.append(Section(
            "sign-off", _("Responses in member review, to sign off"), in_review.count(),
            reverse("consultations:register"), _("Open the consultation register"),
            _items(in_review, "consultations:review", "review_deadline", _("Decision due")),
            empty=_("No response is in member review."), order=20,
        ))  # fmt: skip
        unanswered = (Consultation.objects.filter(closes_on__gte=today).exclude(status__in=FINAL)
                      .order_by("closes_on", "pk"))  # fmt: skip
        found.append(Section(
            "closing", _("Open consultations without a signed-off response"), unanswered.count(),
            reverse("consultations:register"), _("Open the consultation register"),
            _items(unanswered, "consultations:detail", "closes_on", _("Closes")),
            empty=_("Every open consultation has a signed-off response."), todo=False, order=60,
        ))  # fmt: skip
    return found


NAV = (NavLink(gettext_lazy("Register"), "consultations:register",
               frozenset({"consultations:register", "consultations:detail", "consultations:new",
                          "consultations:import", "consultations:edit", "consultations:review"}),
               policy.may_manage, order=20),)  # fmt: skip

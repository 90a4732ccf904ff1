"""Who may see and do what with pilots. Pages and the API call these; nothing else decides.

- Everyone: published pilots, their outcomes and their evaluations.
- The secretariat and member officers: every pilot, published or not (a draft is 404 to anyone else).
- The secretariat: create pilots (also from a proposal marked as a pilot candidate), edit and evaluate any.
- An officer of a member place the pilot is in: edit it, its milestones and outcomes, and evaluate them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keycities.accounts.policy import is_secretariat, is_staff_member, officer_place_id

from .models import Outcome, Pilot


def visible_pilots(user: Any) -> QuerySet[Pilot]:
    pilots = Pilot.objects.select_related("work_area").prefetch_related("places")
    return pilots if is_staff_member(user) else pilots.filter(published=True)


def access_pilot(user: Any, slug: str) -> Pilot:
    """The pilot, if the user may see it; otherwise 404."""
    found = visible_pilots(user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def may_create(user: Any) -> bool:
    return is_secretariat(user)


def may_edit(user: Any, pilot: Pilot) -> bool:
    if is_secretariat(user):
        return True
    place = officer_place_id(user)
    return place is not None and any(p.pk == place for p in pilot.places.all())


def access_for_edit(user: Any, slug: str) -> Pilot:
    """The pilot, to change it or evaluate it: 404 if not visible, 403 if the user may not edit it."""
    pilot = access_pilot(user, slug)
    if not may_edit(user, pilot):
        raise PermissionDenied(_("Only the secretariat and officers of the pilot’s places can change it."))
    return pilot


def access_outcome(user: Any, slug: str, pk: int) -> Outcome:
    pilot = access_pilot(user, slug)
    found = pilot.outcomes.select_related("place", "pilot").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_outcome_for_edit(user: Any, slug: str, pk: int) -> Outcome:
    outcome = access_outcome(user, slug, pk)
    if not may_edit(user, outcome.pilot):
        raise PermissionDenied(_("Only the secretariat and officers of the pilot’s places can change it."))
    return outcome

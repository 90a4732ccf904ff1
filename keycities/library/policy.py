"""Who may see and do what in the publications library. Public publications are for everyone; a private one
for staff (the secretariat and member officers), and 404 to anyone else (they may not know it exists). Staff
upload and edit publications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from keycities.accounts.policy import is_staff_member

from .models import Publication


def may_edit(user: Any) -> bool:
    return is_staff_member(user)


def visible_publications(user: Any) -> QuerySet[Publication]:
    found = Publication.objects.prefetch_related("places", "work_areas")
    return found if is_staff_member(user) else found.filter(is_public=True)


def access_publication(user: Any, pk: int) -> Publication:
    found = visible_publications(user).filter(pk=pk).first()
    if found is None:
        raise Http404("There is no publication with that number that you may see.")
    return found


def access_for_edit(user: Any, pk: int) -> Publication:
    """A publication to edit (views are gated to staff)."""
    found = Publication.objects.filter(pk=pk).first()
    if found is None or not may_edit(user):
        raise Http404
    return found

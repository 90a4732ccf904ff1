"""Who may see and do what with briefing packs. Issued packs about the group and a work area are public. The
others (a member place, an MP, a Minister or department) are private, seen by the same rules as contacts
(engagement.policy): the secretariat, and an officer of a member place the issue is about (`Issue.places`: the
place, the member places in an MP's constituency, the lead places of the work areas in a department's pack).
Only the secretariat writes, issues and sends packs."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from keycities.accounts.policy import is_secretariat, officer_place_id
from keycities.engagement.models import Person
from keycities.engagement.policy import visible_people

from .models import PUBLIC_KINDS, Issue, Pack


def may_edit(user: Any) -> bool:
    return is_secretariat(user)


def visible_issues(user: Any) -> QuerySet[Issue]:
    """Every issue the user may read."""
    issues = Issue.objects.select_related("pack", "pack__place", "pack__work_area")
    if is_secretariat(user):
        return issues
    public = Q(pack__kind__in=PUBLIC_KINDS)
    place = officer_place_id(user)
    if place is None:
        return issues.filter(public)
    return issues.filter(public | Q(pk__in=Issue.places.through.objects.filter(place_id=place).values("issue_id")))


def latest_issues(user: Any) -> QuerySet[Issue]:
    """The newest issue of each pack the user may read."""
    newest = Issue.objects.filter(pack=OuterRef("pack")).order_by("-version").values("version")[:1]
    return visible_issues(user).filter(version=Subquery(newest)).order_by("pack__title", "pack_id")


def access_issue(user: Any, pack: int, version: int) -> Issue:
    """An issued version, or 404 for a pack the user may not know of."""
    found = visible_issues(user).filter(pack_id=pack, version=version).first()
    if found is None:
        raise Http404
    return found


def access_issue_id(user: Any, pk: int) -> Issue:
    found = visible_issues(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_pack(user: Any, pk: int) -> Pack:
    """A pack to edit (views are gated to the secretariat)."""
    found = Pack.objects.select_related("place", "work_area").filter(pk=pk).first()
    if found is None or not may_edit(user):
        raise Http404
    return found


def recipients_for(user: Any) -> QuerySet[Person]:
    """The people from the contacts a pack may be sent to: those whose records the user may see."""
    return visible_people(user).order_by("name", "pk")

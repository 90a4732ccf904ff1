"""Who may see and do what in engagement. Pages and the API call these; nothing else decides.

- Public (anyone): MPs' and Ministers' public roles (seat or post, party, dates), the APPG's officers, which
  constituencies overlap which member places, and the Centre for Cities figures for a constituency.
- The secretariat: every interaction, follow-up and contact's details.
- Officers of a member place: the interactions about their place or a work area their place leads, and the
  contact details of the people in those interactions.
- Partners, outsiders and anonymous visitors: nothing that is not public.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from keycities.accounts.policy import is_secretariat, is_staff_member, officer_place_id

from .models import (
    PUBLIC_ROLES,
    FollowUp,
    Interaction,
    InteractionAttachment,
    InteractionWorkArea,
    Person,
    PressRelease,
    ReleaseStatus,
)

STAFF_REFUSAL = "This page is for the secretariat and officers of member places."


def sees_interactions(user: Any) -> bool:
    return is_staff_member(user)


def visible_interactions(user: Any) -> QuerySet[Interaction]:
    if is_secretariat(user):
        return Interaction.objects.all()
    place = officer_place_id(user)
    if place is None:
        return Interaction.objects.none()
    return Interaction.objects.filter(
        pk__in=Interaction.objects.filter(Q(places=place) | Q(work_areas__lead_links__place=place)).values("pk")
    )


def interaction_scope(user: Any, prefix: str = "", *, correlated: bool = False, links: bool = False) -> Q:
    """visible_interactions as a condition on a relation (`prefix` leads to an interaction, e.g. "interaction__"):
    the same rule (the secretariat everything, an officer their place's and those in the work areas it leads,
    anyone else nothing), with the officer's work areas resolved to ids once. It tests the interaction's id
    against two small link-table subqueries (its place's links, its work areas' links), which each database
    reads once from an index, instead of joining places and work areas to every row (a join that multiplies
    the rows and that SQLite planned over all 200,000 interactions).

    `correlated=True` says the same as two EXISTS probes of those links by the row's interaction id: cheaper
    where the query reads a few rows (the newest links of each person) than building the two id sets.

    `links=True` is for rows of a people or organisation link (`models.InteractionLink`), which carry their
    interaction's work areas (`work_areas`, ",3,7,"): "in a work area the place leads" is then read on the row
    itself (`work_areas LIKE '%,3,%'`), and only the place's links are a subquery."""
    if is_secretariat(user):
        return Q()
    place = officer_place_id(user)
    if place is None:
        return Q(**{f"{prefix}pk__in": []})
    from keycities.network.models import WorkAreaLead

    led = list(WorkAreaLead.objects.filter(place=place).order_by().values_list("work_area_id", flat=True).distinct())
    places, areas = Interaction.places.through.objects, InteractionWorkArea.objects
    outer = OuterRef(f"{prefix}pk")
    in_place = (Q(Exists(places.filter(interaction_id=outer, place_id=place))) if correlated
                else Q(**{f"{prefix}pk__in": places.filter(place_id=place).values("interaction_id")}))  # fmt: skip
    if not led:
        return in_place
    if links:  # the row's own copy of its interaction's work areas, tested first (no index needed)
        scope = Q()
        for area in sorted(led):
            scope |= Q(work_areas__contains=f",{area},")
        return scope | in_place
    if correlated:
        return in_place | Q(Exists(areas.filter(interaction_id=outer, workarea_id__in=led)))
    return in_place | Q(**{f"{prefix}pk__in": areas.filter(workarea_id__in=led).values("interaction_id")})


def access_interactions(user: Any) -> None:
    if not sees_interactions(user):
        raise PermissionDenied(STAFF_REFUSAL)


def access_interaction(user: Any, pk: int) -> Interaction:
    """An interaction the user may see, or 404 (they may not know it exists)."""
    access_interactions(user)
    found = visible_interactions(user).filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such interaction.")
    return found


def may_record(user: Any) -> bool:
    return is_staff_member(user)


def may_edit(user: Any, interaction: Interaction) -> bool:
    """Changing an interaction or attaching a document to it: the secretariat, or the staff member who recorded it."""
    return is_secretariat(user) or (is_staff_member(user) and interaction.created_by_id == user.pk)


def access_edit(user: Any, pk: int) -> Interaction:
    found = access_interaction(user, pk)
    if not may_edit(user, found):
        raise PermissionDenied("Only the secretariat or whoever recorded an interaction can change it.")
    return found


def access_attachment(user: Any, pk: int, attachment: int) -> InteractionAttachment:
    """A document of an interaction the user may see, or 404."""
    found = access_interaction(user, pk).attachments.filter(pk=attachment).first()
    if found is None:
        raise Http404("There is no such document.")
    return found


def visible_follow_ups(user: Any) -> QuerySet[FollowUp]:
    """The secretariat sees every follow-up; an officer those of the interactions they may see."""
    return FollowUp.objects.filter(interaction__in=visible_interactions(user))


def access_follow_up(user: Any, pk: int) -> FollowUp:
    """Marking a follow-up done: its owner or the secretariat."""
    access_interactions(user)
    found = visible_follow_ups(user).filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such follow-up.")
    if not (is_secretariat(user) or found.owner_id == user.pk):
        raise PermissionDenied("Only the owner of a follow-up or the secretariat can mark it done.")
    return found


def may_see_contact(user: Any, person: Person) -> bool:
    """A contact's details (email, phone, notes): the secretariat; an officer if the person took part in an
    interaction about their place or work areas. Never partners or the public."""
    if is_secretariat(user):
        return True
    return bool(officer_place_id(user)) and visible_interactions(user).filter(people=person).exists()


def access_contact(user: Any, pk: int) -> Person:
    """A person's full record (contact details, every role, notes): 404 unless may_see_contact."""
    access_interactions(user)
    found = Person.objects.filter(pk=pk).first()
    if found is None or not may_see_contact(user, found):
        raise Http404("There is no such person.")
    return found


def visible_people(user: Any) -> QuerySet[Person]:
    """Staff: the secretariat everyone; an officer the people with a public role and those in the interactions
    they may see. Nobody else (the existence of a private contact is personal data too)."""
    if is_secretariat(user):
        return Person.objects.all()
    if not officer_place_id(user):
        return Person.objects.none()
    return Person.objects.filter(Q(roles__kind__in=PUBLIC_ROLES) | Q(pk__in=contact_ids(user))).distinct()


def contact_ids(user: Any) -> QuerySet[Any]:
    """The ids of the people whose contact details the user may see, as a subquery."""
    if is_secretariat(user):
        return Person.objects.values("pk")
    return Person.objects.filter(interactions__in=visible_interactions(user)).values("pk")


def access_calendar(user: Any) -> None:
    if not is_staff_member(user):
        raise PermissionDenied(STAFF_REFUSAL)


def sees_follow_ups(user: Any) -> bool:
    return is_staff_member(user)


# --- media (press releases, spokespeople, the coverage log) -------------------------------------------------
# Press releases are the group's public statements: published ones are public; drafts and approved ones are
# internal, seen and drafted by staff. Only the secretariat approves, publishes and names spokespeople.
# The coverage log is internal (staff).

MEDIA_REFUSAL = "Press releases and the coverage log are for the secretariat and officers of member places."


def access_media(user: Any) -> None:
    if not is_staff_member(user):
        raise PermissionDenied(MEDIA_REFUSAL)


def may_approve(user: Any) -> bool:
    return is_secretariat(user)


def access_release(user: Any, pk: int) -> PressRelease:
    access_media(user)
    found = PressRelease.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such press release.")
    return found


def public_release(pk: int) -> PressRelease:
    """A published press release, for anyone; anything else is 404 (drafts are not known to exist)."""
    found = PressRelease.objects.filter(pk=pk, status=ReleaseStatus.PUBLISHED).first()
    if found is None:
        raise Http404("There is no such press release.")
    return found

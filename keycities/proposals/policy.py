"""Who may see and do what with proposals. Pages and the API call these; nothing else decides.

- The secretariat: every proposal; review any.
- An officer of a member place: the proposals in that place's queue (work areas it leads, or
  referred to it); review them.
- A partner: the proposals they submitted while signed in, as the submitter sees them (answers
  sent to them and what they added; never reviewers' notes, internal status notes or who
  reviewed it).
- Anyone with a proposal's private link: that proposal, as its submitter.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from keycities.accounts.models import Role, User
from keycities.accounts.policy import is_member_officer, is_partner, is_secretariat, is_staff_member, officer_place_id
from keycities.network.queries import member_place_ids

from .models import Attachment, Event, Proposal, hash_token

# What a submitter sees of a proposal's history.
SUBMITTER_EVENTS = {Event.Kind.SUBMITTED, Event.Kind.TRANSITION, Event.Kind.ADDITION}


def reviewable_proposals(user: Any) -> Any:
    """The proposals a user reviews: all (secretariat); those routed to their place (member officer)."""
    if is_secretariat(user):
        return Proposal.objects.all()
    if is_member_officer(user):
        return Proposal.objects.routed_to(officer_place_id(user))
    return Proposal.objects.none()


def visible_proposals(user: Any) -> Any:
    """The proposals a user may see: all (secretariat); those routed to their place, and those that name their
    place as involved, which they may read but not review (member officer); their own (partner); none
    (anonymous visitors, who use their private link)."""
    if is_secretariat(user):
        return Proposal.objects.all()
    if is_member_officer(user):
        return Proposal.objects.for_place(officer_place_id(user))
    if is_partner(user):
        return Proposal.objects.filter(submitted_by=user)
    return Proposal.objects.none()


def access_proposal(user: Any, reference: str) -> Proposal:
    """The proposal, if the user may see it; otherwise 404 (its existence is not confirmed)."""
    found = visible_proposals(user).filter(reference=reference).first()
    if found is None:
        raise Http404("There is no proposal with that reference that you may see.")
    return found


def may_review(user: Any, proposal: Proposal) -> bool:
    """Reviewers: the secretariat, and officers of a place that reviews this proposal."""
    if is_secretariat(user):
        return True
    return officer_place_id(user) in proposal.reviewing_place_ids() if is_member_officer(user) else False


def access_for_review(user: Any, reference: str) -> Proposal:
    """The proposal, for a change (status, note, assignment): 404 if not visible, 403 if not a reviewer."""
    proposal = access_proposal(user, reference)
    if not may_review(user, proposal):
        raise PermissionDenied(_("Only reviewers can change a proposal."))
    return proposal


def sees_internals(user: Any, proposal: Proposal) -> bool:
    """Reviewers' notes, internal status notes, who reviewed it and the submitter's contact details are for
    the network's staff (the secretariat and officers whose queue it is in), never for the partner, nor for
    officers of a place the proposal only names."""
    return may_review(user, proposal)


def history_for(user: Any, proposal: Proposal) -> list[Event]:
    """The events a user may see: everything for staff; for the submitter, what was sent to them or added
    by them, without notes or names."""
    events = list(proposal.events.select_related("by"))
    if sees_internals(user, proposal):
        return events
    return [e for e in events if e.kind in SUBMITTER_EVENTS]


def may_export_queue(user: Any) -> bool:
    return is_staff_member(user)


def access_queue_export(user: Any) -> None:
    if not may_export_queue(user):
        raise PermissionDenied(_("The CSV of the queue is for reviewers."))


def sees_review_queue(user: Any) -> bool:
    """Staff see a review queue; partners see the list of their own proposals."""
    return is_staff_member(user)


def access_attachment(user: Any, reference: str, pk: int) -> Attachment:
    found = access_proposal(user, reference).attachments.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_by_token(token: str) -> Proposal:
    """The proposal whose private link this is (and whose personal data has not been erased), or 404."""
    found = Proposal.objects.filter(token_hash=hash_token(token), erased_at__isnull=True).first()
    if found is None:
        raise Http404
    return found


def eligible_reviewers(proposal: Proposal) -> list[User]:
    """Who a proposal may be assigned to: the secretariat, and officers of the places that review it
    (while those places are members)."""
    places = [pk for pk in proposal.reviewing_place_ids() if pk in member_place_ids()]
    return list(User.objects.filter(is_active=True, role=Role.SECRETARIAT)
                | User.objects.filter(is_active=True, role=Role.MEMBER_OFFICER, place_id__in=places))  # fmt: skip

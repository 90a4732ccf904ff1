"""The one door for permissions.

Every view declares who may use it with one of the decorators below, which
record the rule on the view as `access_rule`; a test walks every URL and
fails if a view has none. Questions such as "may this user see that?" are
answered by the `can_*` and `visible_*` functions here, never inline.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from keycities.accounts.models import Role

View = TypeVar("View", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed-in"
SECRETARIAT = "secretariat"


def is_secretariat(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.role == Role.SECRETARIAT or user.is_superuser))


def is_member_officer(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.MEMBER_OFFICER and user.place_id)


def is_partner(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.PARTNER)


def can_edit_registry(user: Any) -> bool:
    return is_secretariat(user)


def visible_proposals(user: Any) -> Any:
    """The proposals a user may see: all (secretariat); those routed to their place's work areas or
    referred to it (member officer); their own (partner); none (anonymous, who use their status link)."""
    from keycities.proposals.models import Proposal

    if is_secretariat(user):
        return Proposal.objects.all()
    if is_member_officer(user):
        return Proposal.objects.routed_to(user.place)
    if is_partner(user):
        return Proposal.objects.filter(submitted_by=user)
    return Proposal.objects.none()


def can_review(user: Any, proposal: Any) -> bool:
    """Reviewers: the secretariat, and officers of a lead place of the proposal or the place it was referred to."""
    if is_secretariat(user):
        return True
    if not is_member_officer(user):
        return False
    return user.place_id in proposal.reviewing_place_ids()


def _mark(view: View, rule: str) -> View:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Anyone, signed in or not."""
    return _mark(view, PUBLIC)


def signed_in(view: View) -> View:
    """Any signed-in user; anonymous visitors are sent to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(cast(View, wrapper), SIGNED_IN)


def secretariat_only(view: View) -> View:
    """The secretariat only: anonymous visitors are sent to sign in, others refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied("This page is for the Key Cities secretariat.")
        return view(request, *args, **kwargs)

    return _mark(cast(View, wrapper), SECRETARIAT)


# --------------------------------------------------------------------------- consultations
# Secretariat: everything. Officers of the lead place: draft, open review, send reminders. Any member
# officer: see the workspace, comment, record their own place's review. Partners and anonymous visitors:
# the public pages (open consultations, the archive, the asks ledger of published responses).


def is_staff_member(user: Any) -> bool:
    """The secretariat and member officers: the people who work on responses."""
    return is_secretariat(user) or is_member_officer(user)


def can_manage(user: Any) -> bool:
    """Add, import and edit consultations; sign off; record submission and the government's response."""
    return is_secretariat(user)


def is_lead_officer(user: Any, consultation: Any) -> bool:
    return is_member_officer(user) and user.place_id == consultation.lead_place_id


def can_draft(user: Any, consultation: Any) -> bool:
    return is_secretariat(user) or is_lead_officer(user, consultation)


def can_comment(user: Any, consultation: Any) -> bool:
    return is_staff_member(user)


def can_record_review(user: Any, consultation: Any) -> bool:
    """A member officer records the review of their own place (the service checks the place is a member)."""
    return is_member_officer(user)


def can_update_asks(user: Any, consultation: Any) -> bool:
    return can_draft(user, consultation)


def visible_asks(user: Any) -> Any:
    """Staff see every ask; everyone else sees the asks of published responses."""
    from keycities.consultations.models import Ask, Consultation

    asks = Ask.objects.select_related("consultation", "work_area")
    return asks if is_staff_member(user) else asks.filter(consultation__in=Consultation.objects.published())


def can_download_export(user: Any, consultation: Any) -> bool:
    """The DOCX and PDF of a signed-off response: staff once signed off, everyone once published."""
    return consultation.is_published or (consultation.is_final and is_staff_member(user))

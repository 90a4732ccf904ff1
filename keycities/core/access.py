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
    return user.place_id == proposal.referred_to_id or any(p.pk == user.place_id for p in proposal.lead_places())


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

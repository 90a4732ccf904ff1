"""Who someone is in the Hub: the role predicates every app's `policy.py` builds on, and the
gates (decorators) for views that only one kind of user may use.

A member officer is an officer of a place that is a member of Key Cities *today*: an account
whose place has left the network (or was never in it) has no officer's access, whatever its
role says. `User.clean` refuses to give an officer a place outside the network.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from keycities.core.access import only
from keycities.network.queries import member_place_ids

from .models import Role

SECRETARIAT = "secretariat"
STAFF = "staff"


def is_secretariat(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.role == Role.SECRETARIAT or user.is_superuser))


def is_member_officer(user: Any) -> bool:
    """An active officer of a place that is a member of the network today (remembered for the request)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.MEMBER_OFFICER and user.place_id):
        return False
    cached = getattr(user, "_kc_member_officer", None)
    if cached is None:
        cached = user.place_id in member_place_ids()
        user._kc_member_officer = cached
    return bool(cached)


def is_partner(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.PARTNER)


def is_staff_member(user: Any) -> bool:
    """The people who work on the network's business: the secretariat and member officers."""
    return is_secretariat(user) or is_member_officer(user)


def officer_place_id(user: Any) -> int | None:
    """The member place a user acts for, or None (not a member officer)."""
    return user.place_id if is_member_officer(user) else None


# Gates for whole views.
secretariat_only = only(is_secretariat, SECRETARIAT, cast(str, _("This page is for the Key Cities secretariat.")))
staff_only = only(
    is_staff_member, STAFF, cast(str, _("This page is for the secretariat and officers of member places."))
)

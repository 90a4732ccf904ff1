"""Writes for accounts: erasing and exporting a person's account (see core.erasure)."""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db.models import Q

from keycities.core import erasure

from .models import User


def _theirs(person: erasure.Person) -> Any:
    return User.objects.filter(email__iexact=person.email) if person.email else User.objects.none()


def find_person(person: erasure.Person) -> None:
    for user in _theirs(person):
        person.user_ids.add(user.pk)
        person.usernames.add(user.username)
        if user.get_full_name():
            person.names.add(user.get_full_name())
        person.rows.append(user)


def erase_for_person(person: erasure.Person, by: Any) -> int:
    """Their accounts are closed and anonymised, not deleted: what they did stays in the records, done by an
    erased account. API tokens are deleted."""
    count = 0
    for user in User.objects.select_for_update().filter(pk__in=person.user_ids):
        with disable_auditlog():  # the audit log would keep the erased values as "before"
            user.username, user.email, user.first_name, user.last_name = f"erased-{user.pk}", "", "", ""
            user.organisation = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
        user.api_tokens.all().delete()
        LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, force_log=True, actor=by,
                                    changes={"personal data": ["held", "erased"]})  # fmt: skip
        count += 1
    return count


def export_for_person(person: erasure.Person) -> dict[str, Any]:
    users = User.objects.filter(Q(pk__in=person.user_ids)).select_related("place")
    return {"accounts": [{
        "username": u.username, "name": u.get_full_name(), "email": u.email, "role": u.role_label,
        "place": u.place.name if u.place else None, "organisation": u.organisation,
        "joined": u.date_joined.isoformat(), "last_sign_in": u.last_login.isoformat() if u.last_login else None,
        "api_tokens": [{"name": t.name, "created_at": t.created_at.isoformat()} for t in u.api_tokens.all()],
    } for u in users]}  # fmt: skip

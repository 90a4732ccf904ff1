"""Who may do what with consultations. Built on the role predicates of
`keycities.core.access` (the one door); every consultation view asks here.

- secretariat: everything;
- officers of the lead place: draft (questions, answers, evidence, documents, asks), open review, send reminders;
- any member officer: see the workspace, comment, record their own place's review;
- partners and anonymous visitors: the public pages only (open consultations, the archive, the asks ledger).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from keycities.core.access import is_member_officer, is_secretariat

from .models import Ask, Consultation


def is_staff_member(user: Any) -> bool:
    """The secretariat and member officers: the people who work on responses."""
    return is_secretariat(user) or is_member_officer(user)


def can_manage(user: Any) -> bool:
    """Add, import and edit consultations; sign off; record submission and the government's response."""
    return is_secretariat(user)


def is_lead_officer(user: Any, consultation: Consultation) -> bool:
    return is_member_officer(user) and user.place_id == consultation.lead_place_id


def can_draft(user: Any, consultation: Consultation) -> bool:
    return is_secretariat(user) or is_lead_officer(user, consultation)


def can_comment(user: Any, consultation: Consultation) -> bool:
    return is_staff_member(user)


def can_record_review(user: Any, consultation: Consultation) -> bool:
    """A member officer records the review of their own place (the service checks the place is a member)."""
    return is_member_officer(user)


def can_update_asks(user: Any, consultation: Consultation) -> bool:
    return can_draft(user, consultation)


def visible_asks(user: Any) -> QuerySet[Ask]:
    """Staff see every ask; everyone else sees the asks of published responses."""
    asks = Ask.objects.select_related("consultation", "work_area")
    return asks if is_staff_member(user) else asks.filter(consultation__in=Consultation.objects.published())


def can_download_export(user: Any, consultation: Consultation) -> bool:
    """The DOCX and PDF of a signed-off response: staff once signed off, everyone once published."""
    return consultation.is_published or (consultation.is_final and is_staff_member(user))

"""Who may see and do what with consultations and the group's responses. Pages and the API call
these; nothing else decides.

- The secretariat: everything (register, edit details, sign off, record submission).
- Officers of the lead place: draft the response, open member review, send reminders, record asks.
- Any officer of a member place: read every response's workspace, comment, record their own
  place's review.
- Partners and anonymous visitors: the public pages (open consultations, the archive of published
  responses and their exports, the asks ledger of published responses).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.accounts.policy import is_member_officer, is_secretariat, is_staff_member, officer_place_id

from .models import Ask, Consultation, Document

STAFF_REFUSAL = gettext_lazy("This page is for the secretariat and officers of member places.")


def visible_consultations(user: Any) -> Any:
    """Staff see the whole register; everyone else the consultations whose response is published."""
    found = Consultation.objects.select_related("lead_place").prefetch_related("work_areas")
    return found if is_staff_member(user) else found.published()


def may_manage(user: Any) -> bool:
    """Add, import and edit consultations; sign off; record submission and the government's response."""
    return is_secretariat(user)


def is_lead_officer(user: Any, consultation: Consultation) -> bool:
    return is_member_officer(user) and officer_place_id(user) == consultation.lead_place_id


def may_draft(user: Any, consultation: Consultation) -> bool:
    return is_secretariat(user) or is_lead_officer(user, consultation)


def may_comment(user: Any, consultation: Consultation) -> bool:
    return is_staff_member(user)


def may_record_review(user: Any, consultation: Consultation) -> bool:
    """A member officer records the decision of their own place (which must be a member today)."""
    return is_member_officer(user)


def may_update_asks(user: Any, consultation: Consultation) -> bool:
    return may_draft(user, consultation)


def may_download_export(user: Any, consultation: Consultation) -> bool:
    """The DOCX and PDF of a signed-off response: staff once signed off, everyone once published."""
    return consultation.is_published or (consultation.is_final and is_staff_member(user))


def _get(pk: int) -> Consultation:
    found = Consultation.objects.select_related("lead_place").prefetch_related("work_areas").filter(pk=pk).first()
    if found is None:
        raise Http404("There is no such consultation.")
    return found


def access_register(user: Any) -> None:
    if not is_staff_member(user):
        raise PermissionDenied(STAFF_REFUSAL)


def access_workspace(user: Any, pk: int) -> Consultation:
    """A response's workspace (details, versions, review, asks, history, documents): staff only."""
    access_register(user)
    return _get(pk)


def access_drafting(user: Any, pk: int) -> Consultation:
    consultation = access_workspace(user, pk)
    if not may_draft(user, consultation):
        raise PermissionDenied(_("Only officers of the lead place and the secretariat edit the response."))
    return consultation


def access_published(user: Any, pk: int) -> Consultation:
    """A response in the public archive: anyone, once it has been submitted to government."""
    found = _get(pk)
    if not found.is_published:
        raise Http404("This response has not been published.")
    return found


def access_welsh_version(user: Any, pk: int) -> Consultation:
    """Adding the Welsh version of a response: the lead place's officers and the secretariat, once signed off."""
    consultation = access_drafting(user, pk)
    if not consultation.is_final or consultation.signed_off_version_id is None:
        raise Http404("This response has not been signed off.")
    return consultation


def access_export(user: Any, pk: int) -> Consultation:
    found = _get(pk)
    if not may_download_export(user, found):
        raise Http404("There is no export of this response that you may download.")
    return found


def access_document(user: Any, pk: int, doc: int) -> Document:
    found = access_workspace(user, pk).documents.filter(pk=doc).first()
    if found is None:
        raise Http404
    return found


def visible_asks(user: Any) -> Any:
    """Staff see every ask; everyone else the asks of published responses."""
    asks = Ask.objects.select_related("consultation", "work_area")
    return asks if is_staff_member(user) else published_asks()


def published_asks() -> Any:
    """The asks of published responses: the public ledger and its API."""
    return Ask.objects.select_related("consultation", "work_area").filter(
        consultation__in=Consultation.objects.published()
    )

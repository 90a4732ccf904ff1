"""What the Hub's search and the publications library find here (registered in apps.py with core.search):
published responses (in the library, as consultation responses) and the asks of published responses. A
response appears when it is submitted to government and leaves when it is not published; nothing is copied."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.core.search import Doc, Source, register

from .models import Ask, Consultation


def response_doc(c: Consultation) -> Doc | None:
    if not c.is_published:
        return None
    version = c.signed_off_version or c.latest_version()
    answers = " ".join(f"{a.get('question', '')} {a.get('answer', '')}" for a in (version.content if version else []))
    when = c.submitted_on or (c.signed_off_at.date() if c.signed_off_at else c.closes_on)
    return Doc(key=str(c.pk), title=c.title, body=f"{c.summary} {c.body_name} {answers}", summary=c.summary,
               url=c.get_public_url(), date=when, places=(c.lead_place.slug,),
               work_areas=tuple(w.slug for w in c.work_areas.all()), kind="response")  # fmt: skip


def ask_doc(ask: Ask) -> Doc | None:
    if not ask.consultation.is_published:
        return None
    return Doc(key=str(ask.pk), title=ask.text[:300], body=f"{ask.department} {ask.consultation.title}",
               summary=ask.text, url=reverse("consultations:ledger") + f"#ask-{ask.pk}",
               date=ask.status_on or ask.consultation.submitted_on,
               work_areas=(ask.work_area.slug,) if ask.work_area_id and ask.work_area else ())  # fmt: skip


def _asks_of(consultation: Any) -> Any:
    return consultation.asks.select_related("consultation", "work_area")


def register_sources() -> None:
    register(Source("response", _("Consultation responses"), Consultation, response_doc,
                    lambda: Consultation.objects.select_related("lead_place", "signed_off_version")
                    .prefetch_related("work_areas"), library=True, order=60))  # fmt: skip
    register(Source("ask", _("Asks"), Ask, ask_doc, lambda: Ask.objects.select_related("consultation", "work_area"),
                    order=70, related=((Consultation, _asks_of),)))  # fmt: skip

"""Public API: open consultations and published responses; the asks ledger."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import policy, presenters, queries
from .models import Ask, AskStatus, Consultation

router = Router(tags=["consultations"])


class QuestionOut(Schema):
    question: str
    answer: str


class PositionsOut(Schema):
    endorsed: list[str]
    endorsed_with_comments: list[str]
    abstained: list[str]
    objected: list[str]
    did_not_respond: list[str]


class ResponseOut(Schema):
    submitted_on: dt.date | None
    signed_off_version: int | None
    endorsed_by: list[str] = Field(
        description="Names of the member places that endorsed the signed-off text, with or without comments."
    )
    positions: PositionsOut = Field(
        description="Where every member place stood on the signed-off text, frozen at sign-off."
    )
    objection_overridden: str | None = Field(
        description="Why the secretariat signed the response off although a "
        "member place objected; null if none objected."
    )
    questions: list[QuestionOut]
    government_response_url: str | None
    government_response_on: dt.date | None
    url: str = Field(description="The response's page in the public archive.")
    docx: str
    pdf: str


class ConsultationOut(Schema):
    id: int
    title: str
    body_type: str
    body_type_label: str
    body_name: str
    url: str = Field(description="The consultation's own page.")
    published_on: dt.date
    closes_on: dt.date
    days_left: int | None = Field(description="Days until it closes; null once closed.")
    is_open: bool
    work_areas: list[str]
    lead_place: str = Field(description="The lead member place's slug.")
    lead_place_name: str
    lead_place_name_cy: str = Field(description="The lead place's Welsh name; blank where it has none.")
    stage: str = Field(description="Our work on it, as the public pages describe it.")
    response: ResponseOut | None = Field(description="The published response, once submitted.")


class ConsultationParams(ListParams):
    show: Literal["all", "open", "published"] = Field(
        "all", description="open: still taking responses; published: our responses in the archive; all: both."
    )


def _out(c: Consultation, today: dt.date) -> dict:
    response = None
    if c.is_published:
        data = queries.response_data(c)
        response = {
            "submitted_on": c.submitted_on, "signed_off_version": data["version"], "endorsed_by": data["endorsed_by"],
            "positions": data["positions"], "objection_overridden": data["override_reason"] or None,
            "questions": data["sections"], "government_response_url": c.government_response_url or None,
            "government_response_on": c.government_response_on, "url": c.get_public_url(),
            "docx": f"/consultations/{c.pk}/response.docx", "pdf": f"/consultations/{c.pk}/response.pdf",
        }  # fmt: skip
    left = presenters.days_left(c.closes_on, today)
    return {
        "id": c.pk, "title": c.title, "body_type": c.body_type, "body_type_label": c.get_body_type_display(),
        "body_name": c.body_name, "url": c.url, "published_on": c.published_on, "closes_on": c.closes_on,
        "days_left": left if left >= 0 else None, "is_open": left >= 0,
        "work_areas": [w.slug for w in c.work_areas.all()], "lead_place": c.lead_place.slug,
        "lead_place_name": c.lead_place.name, "lead_place_name_cy": c.lead_place.name_cy,
        "stage": queries.public_stage(c), "response": response,
    }  # fmt: skip


@router.get("/consultations/", response={200: Page[ConsultationOut], 422: ErrorEnvelope}, auth=None,
            summary="Open consultations and published responses")  # fmt: skip
def list_consultations(request: HttpRequest, params: Query[ConsultationParams]) -> HttpResponse | dict:
    """Public. Consultations still open (closing date today or later) and those whose response the group has
    submitted, soonest closing first. Drafts, reviews and comments are never published here."""
    today = timezone.localdate()
    found = queries.register().order_by("closes_on", "title")
    if params.show == "open":
        found = found.open_on(today)
    elif params.show == "published":
        found = found.published()
    else:
        found = found.filter(pk__in=queries.register().open_on(today)) | found.published()
    rows = [_out(c, today) for c in found.distinct()]
    if params.format == "csv":
        header = ["id", "title", "body_type", "body_name", "url", "published_on", "closes_on", "days_left",
                  "work_areas", "lead_place", "stage", "submitted_on", "endorsed_by", "objected",
                  "response_url"]  # fmt: skip
        return csv_response("consultations.csv", header, ([
            r["id"], r["title"], r["body_type"], r["body_name"], r["url"], r["published_on"], r["closes_on"],
            r["days_left"], "; ".join(r["work_areas"]), r["lead_place"], r["stage"],
            (r["response"] or {}).get("submitted_on"), "; ".join((r["response"] or {}).get("endorsed_by", [])),
            "; ".join(((r["response"] or {}).get("positions") or {}).get("objected", [])),
            (r["response"] or {}).get("url")] for r in rows))  # fmt: skip
    return paginate(request, rows, params, lambda r: r)


class AskOut(Schema):
    id: int
    ask: str
    department: str
    work_area: str | None
    status: str
    status_label: str
    status_on: dt.date | None
    evidence: str
    consultation_id: int
    consultation: str
    response_url: str


class AskParams(ListParams):
    department: str = Field("", description="Exactly as recorded, e.g. 'HM Treasury'.")
    work_area: str = Field("", description="A work area's slug, e.g. 'skills'.")
    status: Literal["", "no-reply", "acknowledged", "accepted", "partly-accepted", "rejected", "implemented"] = Field(
        "", description="The ask's status.")  # fmt: skip


def _ask(a: Ask) -> dict:
    return {"id": a.pk, "ask": a.text, "department": a.department, "work_area": a.work_area.slug if a.work_area
            else None, "status": a.status, "status_label": str(AskStatus(a.status).label), "status_on": a.status_on,
            "evidence": a.evidence, "consultation_id": a.consultation_id, "consultation": a.consultation.title,
            "response_url": a.consultation.get_public_url()}  # fmt: skip


@router.get("/asks/", response={200: Page[AskOut], 422: ErrorEnvelope}, auth=None,
            summary="The asks ledger: what the group asked for and what came of it")  # fmt: skip
def list_asks(request: HttpRequest, params: Query[AskParams]) -> HttpResponse | dict:
    """Public. Every policy ask in a published response, with its latest status, filterable by department,
    work area and status."""
    asks = queries.ledger(policy.published_asks(), department=params.department, work_area=params.work_area,
                          status=params.status)  # fmt: skip
    if params.format == "csv":
        header = list(AskOut.model_fields)
        return csv_response("asks.csv", header, ([_ask(a)[k] for k in header] for a in asks))
    return paginate(request, asks, params, _ask)

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from keycities.accounts.auth import API_AUTH
from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate
from keycities.core.ratelimit import allow, client_ip
from keycities.network.models import WorkArea

from . import policy
from .models import Proposal
from .suggest import WorkAreaText, suggest

router = Router(tags=["proposals"])
SUGGESTIONS_PER_MINUTE = 30


class SuggestIn(Schema):
    # At least one of the two must have a character that is not a space (the schema says so too).
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["title"], "properties": {"title": {"pattern": r"\S"}}},
        {"required": ["text"], "properties": {"text": {"pattern": r"\S"}}},
    ]})  # fmt: skip

    title: str = Field("", max_length=300)
    text: str = Field("", max_length=20000)


class SuggestionOut(Schema):
    slug: str
    name: str
    score: float


@router.post("/work-areas/suggest", response={200: list[SuggestionOut], 422: ErrorEnvelope, 429: ErrorEnvelope},
             summary="Suggest work areas for a proposal", auth=None)  # fmt: skip
def suggest_work_areas(request: HttpRequest, body: SuggestIn) -> list[dict]:
    """Every work area ranked by how well it fits the proposal's title and text (score 0–1, best first).
    Public, and limited to 30 requests a minute from one address."""
    if not allow("suggest", client_ip(request), limit=SUGGESTIONS_PER_MINUTE, window=60):
        raise HttpError(429, "Too many requests: try again in a minute.")
    if not (body.title.strip() or body.text.strip()):
        raise HttpError(422, "Give a title or some text.")
    areas = [WorkAreaText(w.slug, w.name, w.description) for w in WorkArea.objects.all()]
    return [{"slug": s.slug, "name": s.name, "score": round(s.score, 4)} for s in suggest(body.title, body.text, areas)]


class ProposalOut(Schema):
    reference: str
    title: str
    summary: str
    status: str
    status_label: str
    work_areas: list[str]
    places: list[str]
    organisation: str
    organisation_type: str
    submitted_at: dt.datetime
    first_response_due: dt.date
    first_response_at: dt.datetime | None
    referred_to: str | None
    reviewer: str | None


def _out(p: Proposal, internals: bool) -> dict:
    """One proposal; who reviews it only for the network's staff (a partner sees their own proposals)."""
    return {
        "reference": p.reference, "title": p.title, "summary": p.summary, "status": p.status,
        "status_label": p.get_status_display(), "work_areas": [w.slug for w in p.work_areas.all()],
        "places": [pl.slug for pl in p.places.all()], "organisation": p.organisation,
        "organisation_type": p.organisation_type, "submitted_at": p.submitted_at,
        "first_response_due": p.first_response_due, "first_response_at": p.first_response_at,
        "referred_to": p.referred_to.slug if p.referred_to else None,
        "reviewer": (p.reviewer.display_name if p.reviewer else None) if internals else None,
    }  # fmt: skip


def _visible(request: HttpRequest) -> QuerySet[Proposal]:
    return (
        policy.visible_proposals(request.user)
        .prefetch_related("work_areas", "places")
        .select_related("referred_to", "reviewer")
    )


@router.get("/proposals/", response={200: Page[ProposalOut], 401: ErrorEnvelope, 422: ErrorEnvelope},
            auth=API_AUTH, summary="Proposals you may see")  # fmt: skip
def list_proposals(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict:
    """Signed-in staff only (bearer token or session), with the same access rules as the pages."""
    rows = [_out(p, policy.sees_internals(request.user, p)) for p in _visible(request).order_by("-submitted_at")]
    if page.format == "csv":
        header = list(ProposalOut.model_fields)
        return csv_response("proposals.csv", header, ([r[k] if not isinstance(r[k], list) else "; ".join(r[k])
                                                       for k in header] for r in rows))  # fmt: skip
    return paginate(request, rows, page, lambda r: r)


@router.get("/proposals/{reference}", response={200: ProposalOut, 401: ErrorEnvelope, 404: ErrorEnvelope},
            auth=API_AUTH, summary="One proposal")  # fmt: skip
def get_proposal(request: HttpRequest, reference: str) -> dict:
    found = _visible(request).filter(reference=reference).first()
    if found is None:
        raise Http404(f"There is no proposal {reference!r} that you may see.")
    return _out(found, policy.sees_internals(request.user, found))

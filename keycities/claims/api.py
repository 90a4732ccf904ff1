import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import presenters, queries

router = Router(tags=["claims"])


class ReadingOut(Schema):
    word: str
    explanation: str


class EvaluationOut(Schema):
    verdict: str
    verdict_label: str
    figure: float | None
    comparator: float | None
    period: int | None
    summary: str
    releases: list[dict[str, Any]]
    evaluated_at: dt.datetime
    working: dict[str, Any]


class ClaimOut(Schema):
    id: int
    headline: str
    text: str
    document: str
    document_slug: str
    published: str
    comparison: str
    indicator: str | None
    group: str
    membership_date: dt.date
    period: int | None
    reading: ReadingOut | None
    target: float | None
    comparator_area: str | None
    url: str
    evaluation: EvaluationOut | None


@router.get("/claims/", response={200: Page[ClaimOut], 422: ErrorEnvelope}, summary="Published claims and verdicts")
def list_claims(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict:
    rows = [presenters.claim(c, queries.latest(c)) for c in queries.claims()]
    if page.format == "csv":
        header = ["id", "headline", "text", "document", "verdict", "figure", "comparator", "period", "summary",
                  "evaluated_at"]  # fmt: skip
        return csv_response("claims.csv", header, (
            [r["id"], r["headline"], r["text"], r["document"], *(
                [e["verdict"], e["figure"], e["comparator"], e["period"], e["summary"], e["evaluated_at"]]
                if (e := r["evaluation"]) else [""] * 6)] for r in rows))  # fmt: skip
    return paginate(request, rows, page, lambda r: r)


@router.get("/claims/{claim_id}", response={200: ClaimOut, 404: ErrorEnvelope}, summary="One claim")
def get_claim(request: HttpRequest, claim_id: int) -> dict:
    found = queries.claims().filter(pk=claim_id).first()
    if found is None:
        raise Http404(f"There is no claim {claim_id}.")
    return presenters.claim(found, queries.latest(found))

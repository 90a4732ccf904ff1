import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import presenters, queries

router = Router(tags=["claims"])


class ReadingOut(Schema):
    word: str
    explanation: str
    explanation_cy: str = Field(description="The explanation in Welsh; blank where not yet translated.")


class EvaluationOut(Schema):
    verdict: str
    verdict_label: str
    marginal: bool = Field(description="The verdict would flip within the rounding of the published figures.")
    judged_twice: str = Field(description="Both verdicts in one sentence: when published, and on the latest data.")
    figure: float | None
    comparator: float | None
    period: int | None
    summary: str
    summary_cy: str = Field(description="The summary in Welsh, written by the same check run in Welsh; blank for "
                            "an evaluation stored before the Welsh existed (filled in at the next check).")  # fmt: skip
    releases: list[dict[str, Any]] = Field(
        description="The releases used: id, dataset (slug), title, title_cy (the title in Welsh; blank where none), "
        "publisher, release_date, licence."
    )
    evaluated_at: dt.datetime
    working: dict[str, Any]
    working_cy: dict[str, Any] | None = Field(
        description="The working in Welsh: the same keys and figures as `working`, its sentences in Welsh; null "
        "for an evaluation stored before the Welsh existed."
    )
    as_published: dict[str, Any] | None = Field(
        description="The same check on the data available when the claim was published: verdict, marginal, "
        "figure, comparator, period, summary, summary_cy, working (with `basis`: which releases and why), "
        "working_cy, releases."
    )


class ClaimOut(Schema):
    id: int
    headline: str
    headline_cy: str = Field(description="The headline in Welsh; blank where not yet translated.")
    text: str = Field(description="The sentence as published.")
    text_cy: str = Field(description="The sentence as published in Welsh; blank where there is none yet.")
    not_checkable_reason: str | None = Field(description="For a claim that cannot be checked: what is missing.")
    not_checkable_reason_cy: str | None = Field(description="What is missing, in Welsh; null where not translated.")
    document: str
    document_cy: str = Field(description="The document's title in Welsh; blank where not yet translated.")
    document_slug: str
    published: str
    published_on: dt.date | None
    comparison: str
    indicator: str | None
    group: str
    membership_date: dt.date
    period: int | None
    growth_windows: list[int]
    reading: ReadingOut | None
    target: float | None
    comparator_area: str | None
    url: str
    evaluation: EvaluationOut | None


@router.get("/claims/", response={200: Page[ClaimOut], 422: ErrorEnvelope}, summary="Published claims and verdicts")
def list_claims(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict:
    rows = [presenters.claim(c, queries.latest(c)) for c in queries.claims()]
    if page.format == "csv":
        header = ["id", "headline", "headline_cy", "text", "text_cy", "document", "verdict", "marginal", "figure",
                  "comparator", "period",
                  "summary", "summary_cy", "evaluated_at", "verdict_when_published", "marginal_when_published",
                  "period_when_published", "summary_when_published", "summary_cy_when_published",
                  "judged_twice"]  # fmt: skip
        return csv_response("claims.csv", header, (
            [r["id"], r["headline"], r["headline_cy"], r["text"], r["text_cy"], r["document"], *(
                [e["verdict"], e["marginal"], e["figure"], e["comparator"], e["period"], e["summary"],
                 e["summary_cy"], e["evaluated_at"],
                 *([p["verdict"], p["marginal"], p["period"], p["summary"], p["summary_cy"]]
                   if (p := e["as_published"]) else [""] * 5), e["judged_twice"]]
                if (e := r["evaluation"]) else [""] * 14)] for r in rows))  # fmt: skip
    return paginate(request, rows, page, lambda r: r)


@router.get("/claims/{claim_id}", response={200: ClaimOut, 404: ErrorEnvelope}, summary="One claim")
def get_claim(request: HttpRequest, claim_id: int) -> dict:
    found = queries.claims().filter(pk=claim_id).first()
    if found is None:
        raise Http404(f"There is no claim {claim_id}.")
    return presenters.claim(found, queries.latest(found))

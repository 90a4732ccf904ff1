"""Pilots: the list, one pilot, and the latest evaluation of one of its outcomes, as JSON or CSV."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate
from keycities.library import policy as library_policy

from . import policy, presenters
from .models import Direction, Evaluation, Pilot
from .schemas import PilotDetailOut, PilotEvaluationOut, PilotOut

router = Router(tags=["pilots"])


def _pilot(request: HttpRequest, pilot: Pilot) -> dict[str, Any]:
    return {
        "slug": pilot.slug,
        "name": pilot.name,
        "name_cy": pilot.name_cy,
        "kind": pilot.kind,
        "places": [p.slug for p in pilot.places.all()],
        "work_area": pilot.work_area.slug if pilot.work_area else None,
        "funder": pilot.funder,
        "funding": float(pilot.funding) if pilot.funding is not None else None,
        "start": pilot.start,
        "end": pilot.end,
        "summary": pilot.summary,
        "summary_cy": pilot.summary_cy,
        "published": pilot.published,
        "url": request.build_absolute_uri(pilot.get_absolute_url()),
    }


@router.get("/pilots/", response={200: Page[PilotOut], 422: ErrorEnvelope}, summary="Pilots and test beds")
def list_pilots(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict[str, Any]:
    """Published pilots for everyone; drafts too for the secretariat and member officers."""
    pilots = policy.visible_pilots(request.user)
    if page.format == "csv":
        header = [
            "slug",
            "name",
            "name_cy",
            "kind",
            "places",
            "work_area",
            "funder",
            "funding",
            "start",
            "end",
            "published",
            "url",
        ]
        return csv_response(
            "pilots.csv",
            header,
            (
                [
                    r["slug"],
                    r["name"],
                    r["name_cy"],
                    r["kind"],
                    " ".join(r["places"]),
                    r["work_area"],
                    r["funder"],
                    r["funding"],
                    r["start"],
                    r["end"],
                    r["published"],
                    r["url"],
                ]
                for r in (_pilot(request, p) for p in pilots)
            ),
        )
    return paginate(request, pilots, page, lambda p: _pilot(request, p))


@router.get("/pilots/{slug}", response={200: PilotDetailOut, 404: ErrorEnvelope}, summary="One pilot")
def get_pilot(request: HttpRequest, slug: str) -> dict[str, Any]:
    pilot = policy.access_pilot(request.user, slug)
    outcomes = []
    for o in pilot.outcomes.select_related("place"):
        latest = o.evaluations.first()
        outcomes.append(
            {
                "id": o.pk,
                "indicator": o.indicator,
                "place": o.place.slug,
                "intervention": o.intervention,
                "expected": "increase" if o.expected == Direction.INCREASE else "decrease",
                "default_comparators": not o.comparators,
                "evaluation_state": latest.state if latest else None,
            }
        )
    return {
        **_pilot(request, pilot),
        "partners": [o.name for o in pilot.partners.all()],
        "other_partners": pilot.other_partners,
        "expected_outcomes": pilot.expected_outcomes,
        "expected_outcomes_cy": pilot.expected_outcomes_cy,
        "claimed_savings": float(pilot.claimed_savings) if pilot.claimed_savings is not None else None,
        "savings_method": pilot.savings_method,
        "milestones": [{"title": m.title, "due": m.due, "status": m.status} for m in pilot.milestones.all()],
        "documents": [
            {"title": d.title, "published_on": d.published_on, "url": request.build_absolute_uri(d.get_absolute_url())}
            for d in library_policy.visible_publications(request.user).filter(pilots=pilot)
        ],
        "outcomes": outcomes,
    }


class PilotEvaluationParams(Schema):
    indicator: str
    place: str | None = None
    format: Literal["json", "csv"] = "json"
    part: Literal["estimates", "weights", "placebos", "series"] = "estimates"


@router.get(
    "/pilots/{slug}/evaluation",
    response={200: PilotEvaluationOut, 404: ErrorEnvelope},
    summary="The latest evaluation of a pilot's outcome",
)
def get_evaluation(
    request: HttpRequest, slug: str, params: Query[PilotEvaluationParams]
) -> HttpResponse | dict[str, Any]:
    """The newest finished evaluation of the outcome on `indicator` (and `place`, when the pilot has the indicator
    in more than one place): the estimates with their intervals and p-values, the donor weights and the placebo
    distribution; a refused evaluation has its reason and no estimate. `format=csv` with `part=estimates`,
    `weights`, `placebos` or `series`."""
    pilot = policy.access_pilot(request.user, slug)
    outcomes = pilot.outcomes.select_related("place").filter(indicator=params.indicator)
    if params.place:
        outcomes = outcomes.filter(place__slug=params.place)
    outcome = outcomes.first()
    if outcome is None:
        raise Http404("The pilot has no outcome on that indicator.")
    evaluation = outcome.evaluations.filter(state__in=[Evaluation.State.DONE, Evaluation.State.REFUSED]).first()
    evaluation = evaluation or outcome.evaluations.first()
    if evaluation is None:
        raise Http404("The outcome has not been evaluated yet.")
    result = evaluation.result if evaluation.state == Evaluation.State.DONE else None
    if params.format == "csv":
        if result is None:
            raise Http404("The evaluation has no estimates (it is refused or not finished).")
        header, rows = presenters.csv_table(result, params.part)
        return csv_response(f"pilot-{pilot.slug}-{outcome.indicator}-{params.part}.csv", header, rows)
    from .views import indicator_name

    refusal = None
    if evaluation.refusal:
        refusal = {**evaluation.refusal, "reason": presenters.refusal_reason(evaluation.refusal)}
    name = indicator_name(outcome.indicator)
    return {
        "pilot": pilot.slug,
        "indicator": outcome.indicator,
        "place": outcome.place.slug,
        "state": evaluation.state,
        "progress": [evaluation.done, evaluation.total],
        "finished_at": evaluation.finished_at,
        "refusal": refusal,
        "headline": presenters.headline(result, name) if result else None,
        "caveats": presenters.caveats(result, evaluation.sources) if result else [],
        "comparators": evaluation.comparators,
        "default_comparators": evaluation.default_comparators,
        "result": result,
        "sources": evaluation.sources,
    }

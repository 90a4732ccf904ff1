"""Surveys and their results: aggregates only, never a response (docs/adr/0034-residents-voice.md)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate
from keycities.core.bilingual import localised_text

from . import analysis, policy, population, results
from .models import Survey
from .schemas import ResultsOut, SurveyOut

router = Router(tags=["surveys"])


def _state(survey: Survey) -> str:
    today = timezone.localdate()
    if survey.status == Survey.Status.DRAFT:
        return "draft"
    if survey.is_open(today):
        return "open"
    return "closed" if survey.is_closed(today) else "upcoming"


def _survey(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    shown = policy.may_see_results(request.user, survey)
    return {"slug": survey.slug, "title": localised_text(survey, "title"),
            "places": [p.slug for p in survey.places.all()], "work_areas": [w.slug for w in survey.work_areas.all()],
            "opens_on": survey.opens_on, "closes_on": survey.closes_on, "state": _state(survey),
            "results_url": request.build_absolute_uri(f"/api/v1/surveys/{survey.slug}/results") if shown else None,
            "url": request.build_absolute_uri(survey.get_absolute_url())}  # fmt: skip


@router.get("/surveys/", response={200: Page[SurveyOut], 422: ErrorEnvelope}, summary="Residents' surveys")
def list_surveys(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict[str, Any]:
    """Open surveys and closed ones with published results; staff also see the surveys they manage."""
    surveys = policy.visible_surveys(request.user).prefetch_related("places", "work_areas").order_by("-opens_on",
                                                                                                   "slug")  # fmt: skip
    if page.format == "csv":
        header = ["slug", "title", "places", "work_areas", "opens_on", "closes_on", "state", "results_url", "url"]
        found = (_survey(request, s) for s in surveys)
        rows = ([" ".join(r[h]) if isinstance(r[h], list) else r[h] for h in header] for r in found)
        return csv_response("surveys.csv", header, rows)
    return paginate(request, surveys, page, lambda s: _survey(request, s))


class ResultParams(Schema):
    format: Literal["json", "csv"] = "json"
    table: Literal["answers", "representativeness", "weighting"] = "answers"


@router.get("/surveys/{slug}/results", response={200: ResultsOut, 404: ErrorEnvelope},
            summary="A survey's results (aggregates only)")  # fmt: skip
def survey_results(request: HttpRequest, slug: str, params: Query[ResultParams]) -> HttpResponse | dict[str, Any]:
    """Counts and percentages per question, overall, per place and per age band and sex, unweighted and weighted
    with 95% Wilson intervals; counts under 10 suppressed (null); each place's respondents against its Census
    2021 population, with the design effect and effective sample size. `format=csv&table=…` for one table."""
    survey = policy.access_results(request.user, slug)
    built = results.build(survey)
    if params.format == "csv":
        header, rows = {"answers": (results.ANSWER_HEADER, results.answer_rows),
                        "representativeness": (results.REPRESENTATION_HEADER, results.representation_rows),
                        "weighting": (results.WEIGHTING_HEADER, results.weighting_rows)}[params.table]  # fmt: skip
        return csv_response(f"{survey.slug}-{params.table}.csv", header, rows(built))
    questions = []
    for q in built.questions:
        groups: dict[tuple[str, str], list[results.Row]] = {}
        for row in q.rows:
            groups.setdefault((row.group_kind, row.group), []).append(row)
        questions.append({"position": q.question.position, "text": q.text, "kind": q.question.kind, "groups": [
            {"group_kind": k, "group": g, "base": rows[0].share.base if rows and rows[0].share.base >= 10 else None,
             "rows": [{"category": r.category, "count": None if r.share.suppressed else r.share.count,
                       "percent": r.share.percent, "ci_low": r.share.low, "ci_high": r.share.high,
                       "weighted_percent": r.share.weighted_percent, "weighted_ci_low": r.share.weighted_low,
                       "weighted_ci_high": r.share.weighted_high} for r in rows]}
            for (k, g), rows in groups.items()]})  # fmt: skip
    places = [{
        "place": p.slug, "respondents": p.respondents, "with_age_band_and_sex": p.with_demographics,
        "residents_16_plus": p.population, "design_effect": p.deff, "effective_sample_size": p.effective_n,
        "weights_trimmed": p.trimmed, "statements": p.statements,
        "cells": [{"age_band": c.key[0], "sex": c.key[1], "residents": c.population,
                   "respondents": None if analysis.suppressed(c.respondents) else c.respondents,
                   "respondent_share": None if analysis.suppressed(c.respondents) else c.respondent_share,
                   "population_share": c.population_share,
                   "weighted_share": c.weighted_share if p.weighted else None,
                   "cannot_be_fixed_by_weighting": c.cannot_fix} for c in p.cells],
    } for p in built.places]  # fmt: skip
    return {"slug": survey.slug, "title": localised_text(survey, "title"), "responses": built.responses,
            "design_effect": built.deff, "effective_sample_size": built.effective_n, "places": places,
            "questions": questions, "source": population.DESCRIPTION}  # fmt: skip

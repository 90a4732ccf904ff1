"""What the residents' voice pages show, from loaded objects (no queries of their own beyond the relations
passed in)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from keycities.core import charts
from keycities.core.bilingual import localised, localised_text

from . import analysis, wards
from .models import PREFER_NOT, AgeBand, Question, Response, Sex
from .results import Results, age_label, sex_label


def _choices(question: Question, place_id: int | None = None) -> list[tuple[str, Any]]:
    """(value, label) for the choices a question offers (wards: those of the resident's place)."""
    if question.kind == Question.Kind.WARD:
        found = [(w.code, wards.label(w)) for w in wards.wards_of(place_id)] if place_id else []
        return [*sorted(found, key=lambda c: str(c[1])), (PREFER_NOT, _("Prefer not to say"))]
    if question.kind == Question.Kind.AGE:
        return [(v, age_label(v)) for v in [*AgeBand.values, PREFER_NOT]]
    if question.kind == Question.Kind.SEX:
        return [(v, sex_label(v)) for v in [*Sex.values, PREFER_NOT]]
    if question.kind == Question.Kind.SCALE:
        out: list[tuple[str, Any]] = []
        for point in range(1, question.scale_points + 1):
            label = str(point)
            if point == 1 and localised_text(question, "low_label"):
                label = f"{point}: {localised_text(question, 'low_label')}"
            if point == question.scale_points and localised_text(question, "high_label"):
                label = f"{point}: {localised_text(question, 'high_label')}"
            out.append((str(point), label))
        return out
    return [(str(o.pk), localised(o, "text")) for o in question.options.all()]


def _current(response: Response, question: Question) -> dict[str, Any]:
    """What the resident answered before, as the form shows it."""
    if question.kind == Question.Kind.AGE:
        return {"values": [response.age_band]}
    if question.kind == Question.Kind.SEX:
        return {"values": [response.sex]}
    if question.kind == Question.Kind.POSTCODE:
        return {"text": response.postcode_district}
    if question.kind == Question.Kind.WARD:
        return {"values": [response.ward]}
    answer = next((a for a in response.answers.all() if a.question_id == question.pk), None)
    if answer is None:
        return {"values": [], "text": "", "ranks": {}}
    if question.kind == Question.Kind.SCALE:
        return {"values": [str(answer.scale)]}
    if question.kind == Question.Kind.RANKING:
        return {"ranks": {str(pk): i for i, pk in enumerate(answer.options, start=1)}}
    return {"values": [str(v) for v in answer.options], "text": answer.text}


def question_page(response: Response, question: Question, questions: list[Question], posted: Any) -> dict[str, Any]:
    index = questions.index(question)
    current = _current(response, question)
    if posted is not None:  # show what was typed, with the error
        ranked = {k.removeprefix("rank-"): posted.get(k) for k in posted if k.startswith("rank-")}
        current = {"values": posted.getlist("answer"), "text": posted.get("answer", ""), "ranks": ranked}
    ranks = current.get("ranks") or {}
    options = [{"value": v, "label": label, "checked": v in (current.get("values") or []),
                "rank": str(ranks.get(v, ""))} for v, label in _choices(question, response.place_id)]  # fmt: skip
    return {
        "survey": response.survey, "question": question, "text": localised(question, "text"),
        "hint": localised(question, "hint"), "options": options, "answer_text": current.get("text", ""),
        "number": index + 1, "count": len(questions), "ranks": list(range(1, len(options) + 1)),
        "previous": questions[index - 1].position if index else None,
        "kind": question.kind, "optional": not question.required, "place": localised_text(response.place, "name"),
    }  # fmt: skip


def answer_text(response: Response, question: Question) -> str:
    current = _current(response, question)
    labels = dict(_choices(question, response.place_id))
    if question.kind == Question.Kind.POSTCODE:
        return current.get("text") or _("Not answered")
    if question.kind == Question.Kind.TEXT:
        return current.get("text") or _("Not answered")
    if question.kind == Question.Kind.RANKING:
        ranks = current.get("ranks") or {}
        return "; ".join(f"{i}. {labels[v]}" for v, i in sorted(ranks.items(), key=lambda x: x[1])) or _("Not answered")
    values = [v for v in current.get("values") or [] if v]
    return ", ".join(str(labels.get(v, v)) for v in values) or _("Not answered")


def summary(response: Response) -> list[dict[str, Any]]:
    response = Response.objects.prefetch_related("answers").select_related("survey").get(pk=response.pk)
    return [{"question": localised(q, "text"), "answer": answer_text(response, q), "position": q.position}
            for q in response.survey.questions.prefetch_related("options")]  # fmt: skip


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def _interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"{low:.0f}–{high:.0f}%"


def share_cells(share: analysis.Share) -> dict[str, str]:
    if share.suppressed:
        return {"count": _("fewer than 10") if share.count else "0", "percent": "", "interval": "",
                "weighted": "", "weighted_interval": ""}  # fmt: skip
    return {"count": str(share.count), "percent": _pct(share.percent), "interval": _interval(share.low, share.high),
            "weighted": _pct(share.weighted_percent),
            "weighted_interval": _interval(share.weighted_low, share.weighted_high)}  # fmt: skip


def _group_rows(groups: list[analysis.GroupCompare], label: Any, weighted: bool) -> list[dict[str, Any]]:
    return [{
        "label": label(g), "population": f"{g.population:,}", "population_share": _pct(100 * g.population_share),
        "respondents": str(g.respondents) if not analysis.suppressed(g.respondents) else _("fewer than 10"),
        "respondent_share": _pct(100 * g.respondent_share) if not analysis.suppressed(g.respondents) else "",
        "weighted_share": _pct(100 * g.weighted_share) if weighted and g.weighted_share is not None else "",
        "cannot_fix": g.cannot_fix, "under": g.under,
    } for g in groups]  # fmt: skip


def results_page(results: Results) -> dict[str, Any]:
    places = []
    for p in results.places:
        places.append({
            "name": p.name, "slug": p.slug, "respondents": p.respondents, "with_demographics": p.with_demographics,
            "population": f"{p.population:,}", "weighted": p.weighted,
            "deff": "" if p.deff is None else f"{p.deff:.2f}",
            "effective_n": "" if p.effective_n is None else f"{p.effective_n:.0f}", "trimmed": p.trimmed,
            "cells": _group_rows(p.cells, _cell_label, p.weighted),
            "ages": _group_rows(p.ages, lambda g: age_label(g.key[0]), p.weighted),
            "sexes": _group_rows(p.sexes, lambda g: sex_label(g.key[0]), p.weighted),
            "statements": p.statements,
        })  # fmt: skip
    questions = []
    for q in results.questions:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in q.rows:
            groups.setdefault((row.group_kind, row.group), []).append({"category": row.category,
                                                                         **share_cells(row.share)})  # fmt: skip
        overall = groups.pop(("all", _("All respondents")), [])
        questions.append({
            "position": q.question.position, "csv": f"question-{q.question.position}", "text": q.text,
            "kind": q.question.get_kind_display(), "base": q.base,
            "base_suppressed": q.base < analysis.MIN_CELL, "rows": overall,
            "groups": [{"kind": k, "name": n, "rows": rows} for (k, n), rows in groups.items()],
            "asks_ward": results.asks_ward, "mean": "" if q.mean is None else f"{q.mean:.2f}",
            "weighted_mean": "" if q.weighted_mean is None else f"{q.weighted_mean:.2f}",
            "mean_ranks": [(label, f"{rank:.2f}") for label, rank in q.mean_ranks],
        })  # fmt: skip
    return {"responses": results.responses, "places": places, "questions": questions,
            "deff": "" if results.deff is None else f"{results.deff:.2f}",
            "effective_n": "" if results.effective_n is None else f"{results.effective_n:.0f}",
            "cap": f"{analysis.CAP:g}"}  # fmt: skip


def _cell_label(g: analysis.GroupCompare) -> str:
    return f"{sex_label(g.key[1])}, {age_label(g.key[0])}"


def representation_bars(report: Any) -> list[tuple[str, float | None]]:
    """For a chart: each sex and age band's share of respondents divided by its share of residents."""
    return [(_cell_label(g), g.ratio) for g in report.cells]


def cannot_fix_labels(report: Any) -> set[str]:
    return {_cell_label(g) for g in report.cells if g.cannot_fix}


def kind_choices() -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in Question.Kind.choices]


Point = tuple[float | None, float | None, float | None]


def _interval_series(rows: list[Any]) -> tuple[list[str], dict[str, list[Point]]]:
    categories = [r.category for r in rows]
    unweighted: list[Point] = [(r.share.percent, r.share.low, r.share.high) for r in rows]
    weighted: list[Point] = [(r.share.weighted_percent, r.share.weighted_low, r.share.weighted_high) for r in rows]
    return categories, {_("Unweighted"): unweighted, _("Weighted"): weighted}


def answer_chart(title: str, rows: list[Any]) -> charts.Chart | None:
    """One question's answers in one group as bars: unweighted and weighted side by side, with their 95%
    intervals; None when every figure is suppressed (the table says so)."""
    if not rows or all(r.share.suppressed for r in rows):
        return None
    categories, series = _interval_series(rows)
    return charts.interval_chart(title, categories, series, unit="%", label=_("Answer"),
                                 value_title=_("Per cent of those who answered"),
                                 missing=_("fewer than 10"))  # fmt: skip


CHARTED = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.RANKING,
           Question.Kind.AGE, Question.Kind.SEX}  # fmt: skip


def answer_charts(results: Results) -> dict[int, dict[str, Any]]:
    """Question position -> {"chart": all respondents, "places": {place name: chart}}, for the questions whose
    answers are categories (not free text)."""
    out: dict[int, dict[str, Any]] = {}
    for q in results.questions:
        if q.question.kind not in CHARTED or q.base < analysis.MIN_CELL:
            continue
        everyone = [r for r in q.rows if r.group_kind == "all"]
        by_place: dict[str, list[Any]] = {}
        for r in q.rows:
            if r.group_kind == "place":
                by_place.setdefault(r.group, []).append(r)
        out[q.question.position] = {
            "chart": answer_chart(_("%(question)s: all respondents") % {"question": q.text}, everyone),
            "places": {name: answer_chart(_("%(question)s: %(place)s") % {"question": q.text, "place": name}, rows)
                       for name, rows in by_place.items()},
        }  # fmt: skip
    return out

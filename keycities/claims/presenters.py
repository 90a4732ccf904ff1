from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from keycities.observatory.queries import dataset_title

from .models import Claim, Evaluation, Verdict

TAGS = {"holds": "govuk-tag--green", "does-not-hold": "govuk-tag--red", "cannot-check": "govuk-tag--grey"}


def judged_twice(latest: dict[str, Any], then: dict[str, Any] | None) -> str:
    """Both verdicts in one sentence: "Held when published (2015 data); on the latest data (2020) it does not"."""
    if then is None:
        return ""

    def marked(text: str, marginal: bool) -> str:
        return _("%(verdict)s (marginal)") % {"verdict": text} if marginal else text

    period = " " + _("(%(year)s data)") % {"year": then["period"]} if then.get("period") else ""
    first = {
        Verdict.HOLDS: _("Held when published%(period)s"),
        Verdict.DOES_NOT_HOLD: _("Did not hold when published%(period)s"),
    }.get(then["verdict"], _("Could not be checked on the data available when published")) % {"period": period}
    period = f" ({latest['period']})" if latest.get("period") else ""
    second = {
        Verdict.HOLDS: _("on the latest data%(period)s it holds"),
        Verdict.DOES_NOT_HOLD: _("on the latest data%(period)s it does not"),
    }.get(latest["verdict"], _("on the latest data it cannot be checked")) % {"period": period}
    return f"{marked(first, bool(then.get('marginal')))}; {marked(second, bool(latest.get('marginal')))}."


def _releases(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored release records with the dataset's Welsh title (`title_cy`, blank where it has none)."""
    with translation.override("cy"):
        return [{**r, "title_cy": welsh if (welsh := dataset_title(r.get("title", ""))) != r.get("title") else ""}
                for r in records]  # fmt: skip


def _as_published(then: dict[str, Any] | None) -> dict[str, Any] | None:
    """The as-published result with its Welsh as `summary_cy` and `working_cy` (stored under `welsh`)."""
    if then is None:
        return None
    welsh = then.get("welsh") or {}
    return {**{k: v for k, v in then.items() if k != "welsh"}, "releases": _releases(then.get("releases") or []),
            "summary_cy": welsh.get("summary", ""), "working_cy": welsh.get("working") or None}  # fmt: skip


def evaluation(e: Evaluation | None) -> dict[str, Any] | None:
    """The API's evaluation: the English and the Welsh side by side (`summary` and `summary_cy`, `working` and
    `working_cy`), whatever the request's language, as the API gives every bilingual text; the Welsh is blank
    (null for a working) for an evaluation stored before the Welsh existed."""
    if e is None:
        return None
    welsh = e.welsh or {}
    return {
        "verdict": e.verdict, "verdict_label": e.get_verdict_display(), "marginal": e.marginal, "figure": e.figure,
        "comparator": e.comparator, "period": e.period, "summary": e.summary,
        "summary_cy": welsh.get("summary", ""), "releases": _releases(e.releases), "evaluated_at": e.evaluated_at,
        "working": e.working, "working_cy": welsh.get("working") or None,
        "as_published": _as_published(e.as_published), "judged_twice": e.judged_twice,
    }  # fmt: skip


def claim(c: Claim, latest: Evaluation | None) -> dict[str, Any]:
    return {
        "id": c.pk, "headline": c.headline, "headline_cy": c.headline_cy, "text": c.text, "text_cy": c.text_cy,
        "not_checkable_reason": c.not_checkable_reason or None,
        "not_checkable_reason_cy": c.not_checkable_reason_cy or None,
        "document": c.document.title, "document_cy": c.document.title_cy,
        "document_slug": c.document.slug, "published": c.document.published,
        "published_on": c.document.published_on, "comparison": c.comparison,
        "indicator": c.indicator.slug if c.indicator else None, "group": c.group.slug,
        "membership_date": c.membership_date, "period": c.period, "growth_windows": c.windows,
        "reading": {"word": c.reading.word, "explanation": c.reading.explanation,
                    "explanation_cy": c.reading.explanation_cy} if c.reading else None,
        "target": c.target, "comparator_area": c.comparator_area or None, "url": c.get_absolute_url(),
        "evaluation": evaluation(latest),
    }  # fmt: skip

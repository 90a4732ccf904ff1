from __future__ import annotations

from typing import Any

from .models import Claim, Evaluation

TAGS = {"holds": "govuk-tag--green", "does-not-hold": "govuk-tag--red", "cannot-check": "govuk-tag--grey"}


def evaluation(e: Evaluation | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "verdict": e.verdict, "verdict_label": e.get_verdict_display(), "figure": e.figure,
        "comparator": e.comparator, "period": e.period, "summary": e.summary, "releases": e.releases,
        "evaluated_at": e.evaluated_at, "working": e.working,
    }  # fmt: skip


def claim(c: Claim, latest: Evaluation | None) -> dict[str, Any]:
    return {
        "id": c.pk, "headline": c.headline, "text": c.text, "document": c.document.title,
        "document_slug": c.document.slug, "published": c.document.published, "comparison": c.comparison,
        "indicator": c.indicator.slug if c.indicator else None, "group": c.group.slug,
        "membership_date": c.membership_date, "period": c.period,
        "reading": {"word": c.reading.word, "explanation": c.reading.explanation} if c.reading else None,
        "target": c.target, "comparator_area": c.comparator_area or None, "url": c.get_absolute_url(),
        "evaluation": evaluation(latest),
    }  # fmt: skip

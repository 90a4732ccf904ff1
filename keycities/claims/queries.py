from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Claim, Document, Evaluation


def claims() -> QuerySet[Claim]:
    """Claims with their evaluations (newest first) and what their pages show, in a fixed number of queries."""
    return Claim.objects.select_related("document", "indicator", "group", "reading", "dataset").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.order_by("-evaluated_at", "-pk"))
    )


def latest(claim: Claim) -> Evaluation | None:
    evaluations = list(claim.evaluations.all())
    return evaluations[0] if evaluations else None


def documents() -> QuerySet[Document]:
    return Document.objects.prefetch_related(Prefetch("claims", queryset=claims()))

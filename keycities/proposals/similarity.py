"""Similar earlier proposals, for reviewers: cosine similarity of sentence
embeddings (the suggestion model's), stored with each proposal."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet

from .models import Proposal

MAX_SIMILAR = 5
MIN_SCORE = 0.3


def embed(text: str) -> list[float]:
    from . import suggest

    return [round(float(x), 6) for x in suggest.embed(text)]


def _cosine(a: list[float], b: list[float]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def similar(proposal: Proposal, visible: QuerySet[Proposal]) -> list[dict[str, Any]]:
    """Up to five earlier proposals the user may see, most similar first."""
    if not proposal.embedding:
        return []
    earlier = (
        visible.filter(submitted_at__lt=proposal.submitted_at)
        .exclude(pk=proposal.pk)
        .only("reference", "title", "status", "embedding", "submitted_at")
    )
    scored = [(p, _cosine(proposal.embedding, p.embedding)) for p in earlier]
    scored = [(p, s) for p, s in scored if s >= MIN_SCORE]
    scored.sort(key=lambda item: -item[1])
    return [{"proposal": p, "score": s} for p, s in scored[:MAX_SIMILAR]]

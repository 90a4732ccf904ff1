"""Briefings' tasks (see keycities/core/tasks.py)."""

from __future__ import annotations

from django.utils import timezone

from keycities.core.tasks import retried

from . import services
from .models import Batch


@retried()
def issue_place_packs(batch_id: int) -> int:
    """Issue a pack for every member place, recording progress on the batch after each; safe to run again (places
    already issued in this batch are skipped). The number of packs issued."""
    batch = Batch.objects.get(pk=batch_id)
    Batch.objects.filter(pk=batch_id).update(state=Batch.State.RUNNING)
    issued = dict(batch.issues)
    for place in services.member_places():
        if place.slug in issued:
            continue
        issue = services.issue_place_pack(place, by=batch.started_by)
        issued[place.slug] = issue.pk
        Batch.objects.filter(pk=batch_id).update(done=len(issued), issues=issued)
    Batch.objects.filter(pk=batch_id).update(state=Batch.State.DONE, finished_at=timezone.now())
    return len(issued)

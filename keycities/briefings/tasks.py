"""Briefings' tasks (see keycities/core/tasks.py)."""

from __future__ import annotations

from django.utils import timezone

from keycities.core.tasks import retried

from . import services
from .models import Batch


@retried()
def issue_packs(batch_id: int) -> int:
    """Issue a pack for every member place (or every MP in member places), recording progress on the batch after
    each; safe to run again (those already issued in this batch are skipped). The number of packs issued."""
    batch = Batch.objects.get(pk=batch_id)
    Batch.objects.filter(pk=batch_id).update(state=Batch.State.RUNNING)
    issued = dict(batch.issues)
    if batch.of == Batch.For.MPS:
        todo = [(str(p.pk), lambda p=p: services.issue_mp_pack(p, by=batch.started_by)) for p in services.sitting_mps()]
    else:
        todo = [(p.slug, lambda p=p: services.issue_place_pack(p, by=batch.started_by))
                for p in services.member_places()]  # fmt: skip
    for key, make in todo:
        if key in issued:
            continue
        issued[key] = make().pk
        Batch.objects.filter(pk=batch_id).update(done=len(issued), issues=issued)
    Batch.objects.filter(pk=batch_id).update(state=Batch.State.DONE, finished_at=timezone.now())
    return len(issued)

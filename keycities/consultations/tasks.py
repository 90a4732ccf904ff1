"""Consultations' tasks (see keycities/core/tasks.py)."""

from django.db import transaction

from keycities.core.tasks import retried

from . import services


@retried()
def send_consultation_digest(days: int = 14, remind_within: int = 3) -> dict[str, int]:
    """The daily deadline digest to lead places, and reminders to places that have not reviewed a response."""
    with transaction.atomic():  # all or nothing, so that a retry never sends a digest twice
        digests = services.send_deadline_digest(days=days)
        reminded = services.send_due_reminders(within=remind_within)
    return {"digests": sum(1 for d in digests if d.to), "reminders": len(reminded)}

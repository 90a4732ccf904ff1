"""Engagement's tasks (see keycities/core/tasks.py)."""

from keycities.core.tasks import retried

from . import services


@retried()
def send_follow_up_digest() -> dict[str, int]:
    """The daily email to each owner of follow-ups due today or overdue (all or nothing, so a retry never
    sends a digest twice)."""
    return {"digests": services.send_follow_up_digests()}

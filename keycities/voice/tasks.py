"""Residents' voice tasks (see keycities/core/tasks.py)."""

from keycities.core.tasks import retried

from . import services


@retried()
def erase_expired_responses() -> int:
    """Anonymise survey responses whose retention period after the survey closed has passed (daily)."""
    return services.erase_expired()

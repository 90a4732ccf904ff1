"""Proposals' tasks (see keycities/core/tasks.py)."""

from keycities.core.tasks import retried

from . import services


@retried()
def erase_expired_proposals() -> int:
    """Erase the personal data of proposals closed longer ago than PROPOSAL_RETENTION_DAYS (daily)."""
    return services.erase_expired()

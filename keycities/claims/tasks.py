"""Claims' tasks (see keycities/core/tasks.py)."""

from keycities.core.tasks import retried

from . import services


@retried()
def reevaluate_claims() -> int:
    """Re-evaluate every published claim against the data as it now is; the number of claims checked."""
    return len(services.evaluate_all())

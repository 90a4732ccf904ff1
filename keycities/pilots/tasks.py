"""Pilots' tasks (see keycities/core/tasks.py)."""

from __future__ import annotations

from keycities.core.tasks import retried

from . import services


@retried()
def evaluate_outcome(evaluation_id: int) -> str:
    """Run one evaluation, recording progress as each placebo is fitted; safe to run again (it starts over). The
    evaluation's final state."""
    return services.run_evaluation(evaluation_id).state

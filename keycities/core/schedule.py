"""Periodic tasks. `PERIODIC_TASKS` (settings) names each one's task and when it is due; `enqueue_due`
enqueues every task whose current slot (today after its time, or this hour) has not been enqueued yet.
`manage.py schedule_tasks` calls it once (from cron, every few minutes) or every minute with `--loop`
(beside the worker; `make run` does this). Missed slots are not made up: a daily task that did not run
yesterday runs once, for today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str  # dotted path of a django-tasks Task
    every: str  # "day" or "hour"
    at: dt.time = dt.time(0, 0)  # for "day": local time from which it is due

    def slot(self, now: dt.datetime) -> str | None:
        """The slot due at `now` (local time), or None if today's time has not come yet."""
        local = timezone.localtime(now)
        if self.every == "hour":
            return local.strftime("%Y-%m-%dT%H")
        if self.every == "day":
            return local.date().isoformat() if local.time() >= self.at else None
        raise ValueError(f"PERIODIC_TASKS[{self.name!r}]: every must be 'day' or 'hour', not {self.every!r}")


def periodic_tasks() -> list[Periodic]:
    found = []
    for name, spec in settings.PERIODIC_TASKS.items():
        at = dt.time.fromisoformat(spec["at"]) if spec.get("at") else dt.time(0, 0)
        found.append(Periodic(name, spec["task"], spec["every"], at))
    return found


def enqueue_due(now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue each periodic task due now and not yet enqueued for its slot; the (name, slot) pairs enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in periodic_tasks():
        slot = periodic.slot(now)
        if slot is None or ScheduledRun.objects.filter(name=periodic.name, slot=slot).exists():
            continue
        the_task: Any = import_string(periodic.task)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=periodic.name, slot=slot)
                result = the_task.enqueue()  # in the same transaction: claimed and enqueued, or neither
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler claimed this slot first
            continue
        enqueued.append((periodic.name, slot))
    return enqueued

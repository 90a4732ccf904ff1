"""The Hub's tasks, on the one task system: django-tasks (the backport of Django 6's `django.tasks`)
with its database backend (`django_tasks_db`); `manage.py db_worker` runs them and `make run` starts one
beside the web server. Tests use the immediate backend, which runs a task as it is enqueued.

`retried` makes a task that, when it fails, enqueues itself again after a growing delay (1, 2, 4, 8
minutes by default) before giving up; each failure is recorded on its task result and logged.

Task arguments are stored in the database until the results are pruned, so they never carry personal
data: pass ids (see `core.mail`, which passes a `QueuedEmail` id rather than an address).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

UPLOADS_DIR = "tmp"  # in the default storage: uploads waiting for their form to be submitted


def retried(
    *, attempts: int = 5, first_delay: dt.timedelta = dt.timedelta(minutes=1)
) -> Callable[[Callable[..., Any]], Any]:
    """A task that is retried on failure, at most `attempts` times in all, waiting `first_delay`, then twice
    as long each time. The function must be safe to run again (idempotent)."""

    def decorate(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                name = f"{func.__module__}.{func.__qualname__}"
                if attempt >= attempts:
                    log.exception("Task %s failed on attempt %d of %d; giving up", name, attempt, attempts)
                    raise
                log.warning("Task %s failed on attempt %d of %d; retrying", name, attempt, attempts, exc_info=True)
                again = the_task
                if again.get_backend().supports_defer:
                    again = again.using(run_after=timezone.now() + first_delay * 2 ** (attempt - 1))
                again.enqueue(*args, attempt=attempt + 1, **kwargs)
                raise

        the_task = task()(run)
        return the_task

    return decorate


def enqueue_unless_waiting(the_task: Any) -> Any:
    """Enqueue a task that takes no arguments, unless one is already waiting to start (it will see the
    same data when it runs): ten imports in a row re-evaluate the claims once or twice, not ten times."""
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().filter(task_path=the_task.module_path, backend_name=the_task.backend)
        if waiting.exists():
            return None
    return the_task.enqueue()


@retried()
def deliver_email(email_id: int) -> str:
    """Send one queued email and delete it; a row already gone was delivered by an earlier attempt."""
    from .mail import deliver
    from .models import QueuedEmail

    queued = QueuedEmail.objects.filter(pk=email_id).first()
    if queued is None:
        return "already delivered"
    try:
        deliver(queued)
    except Exception as exc:
        QueuedEmail.objects.filter(pk=email_id).update(attempts=F("attempts") + 1, last_error=repr(exc)[:2000])
        raise
    queued.delete()
    return "delivered"


def stale_uploads(older_than: dt.timedelta) -> list[str]:
    """Names (in the default storage) of temporary uploads older than `older_than`."""
    if not default_storage.exists(UPLOADS_DIR):
        return []
    cutoff = timezone.now() - older_than
    _, files = default_storage.listdir(UPLOADS_DIR)
    names = [f"{UPLOADS_DIR}/{f}" for f in files]
    return [n for n in names if default_storage.get_modified_time(n) < cutoff]


@retried()
def delete_stale_uploads() -> int:
    """Delete temporary uploads older than TEMPORARY_UPLOAD_MAX_AGE_HOURS (files attached to a form whose
    submission was never finished). Run hourly by the scheduler."""
    names = stale_uploads(dt.timedelta(hours=settings.TEMPORARY_UPLOAD_MAX_AGE_HOURS))
    for name in names:
        default_storage.delete(name)
    if names:
        log.info("Deleted %d temporary upload(s)", len(names))
    return len(names)


@retried()
def prune_task_results() -> None:
    """Delete the records of finished tasks (successful after 7 days, failed after 30): their arguments are
    ids, but a failure's traceback can quote a mail server's words about an address."""
    if "django_tasks_db" in settings.INSTALLED_APPS:
        call_command("prune_db_task_results", min_age_days=7, failed_min_age_days=30, verbosity=0)

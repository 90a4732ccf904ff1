"""The task system: email through a queue and a retried task, the scheduler, temporary-file clean-up, and
claims that catch up after an import stopped between its commit and its announcement."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django_tasks import default_task_backend

from keycities.claims.models import Claim
from keycities.claims.services import evaluate_all, evaluate_claim, load_claims
from keycities.claims.tests.test_claims import CLAIMS_FILE
from keycities.core import tasks
from keycities.core.mail import forget_recipient
from keycities.core.models import QueuedEmail, ScheduledRun
from keycities.core.schedule import enqueue_due
from keycities.observatory import services
from keycities.observatory.models import Release
from keycities.observatory.tests.conftest import extract_source

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
LONDON = ZoneInfo("Europe/London")
FAILURES: list[int] = []


class FlakyBackend(EmailBackend):
    """A mail server that refuses the first FAILURES[0] messages."""

    def send_messages(self, messages: Any) -> int:
        if FAILURES[0] > 0:
            FAILURES[0] -= 1
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_mail_is_queued_with_only_an_id_as_the_task_argument() -> None:
    with override_settings(TASKS=DUMMY):
        send_mail("Hello", "Body text", None, ["Asha Patel <asha@example.org>"])
        queued = QueuedEmail.objects.get()
        (result,) = default_task_backend.results  # type: ignore[attr-defined]
        assert result.task.module_path == "keycities.core.tasks.deliver_email"
        assert result.args == [queued.pk] and result.kwargs == {}  # no address, no text
        assert mail.outbox == []
    assert tasks.deliver_email.call(queued.pk) == "delivered"
    assert [m.to for m in mail.outbox] == [["Asha Patel <asha@example.org>"]] and mail.outbox[0].body == "Body text"
    assert not QueuedEmail.objects.exists()  # a delivered email is not kept
    assert tasks.deliver_email.call(queued.pk) == "already delivered"  # safe to run again


@override_settings(EMAIL_DELIVERY_BACKEND=f"{__name__}.FlakyBackend")
def test_a_refused_email_is_retried_until_it_is_delivered() -> None:
    FAILURES[:] = [2]
    send_mail("Retry me", "Body", None, ["asha@example.org"])
    assert [m.subject for m in mail.outbox] == ["Retry me"]  # the third attempt got through
    assert not QueuedEmail.objects.exists()


@override_settings(EMAIL_DELIVERY_BACKEND=f"{__name__}.FlakyBackend")
def test_an_email_that_always_fails_is_kept_with_its_error_after_five_attempts() -> None:
    FAILURES[:] = [99]
    send_mail("Never", "Body", None, ["asha@example.org"])
    queued = QueuedEmail.objects.get()
    assert queued.attempts == 5 and "mail server down" in queued.last_error and mail.outbox == []
    assert FAILURES == [94]
    assert forget_recipient("ASHA@example.org") == 1 and not QueuedEmail.objects.exists()


def test_the_scheduler_enqueues_each_slot_once() -> None:
    at = dt.datetime(2026, 11, 27, 8, 0, tzinfo=LONDON)
    with override_settings(TASKS=DUMMY):
        first = enqueue_due(at)
        assert sorted(first) == [
            ("consultation-digest", "2026-11-27"),
            ("delete-stale-uploads", "2026-11-27T08"),
            ("erase-expired-proposals", "2026-11-27"),
            ("erase-expired-responses", "2026-11-27"),
            ("follow-up-digest", "2026-11-27"),
            ("prune-task-results", "2026-11-27"),
        ]
        assert enqueue_due(at + dt.timedelta(minutes=5)) == []  # a second scheduler, or cron again
        assert enqueue_due(at + dt.timedelta(hours=1)) == [("delete-stale-uploads", "2026-11-27T09")]
        early = dt.datetime(2026, 11, 28, 3, 0, tzinfo=LONDON)  # before 03:15: no daily task is due yet
        assert enqueue_due(early) == [("delete-stale-uploads", "2026-11-28T03")]
        paths = sorted(r.task.module_path for r in default_task_backend.results)  # type: ignore[attr-defined]
    assert paths.count("keycities.core.tasks.delete_stale_uploads") == 3 and len(paths) == 8
    assert ScheduledRun.objects.filter(name="consultation-digest").get().task_id


def test_schedule_tasks_command_runs_the_due_tasks(officer: Any) -> None:
    out = io.StringIO()
    call_command("schedule_tasks", stdout=out)
    assert "Enqueued delete-stale-uploads for" in out.getvalue()
    call_command("schedule_tasks", "--list", stdout=out)
    assert "consultation-digest          daily at 07:30" in out.getvalue()


def test_temporary_uploads_older_than_a_day_are_deleted(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=tmp_path):
        old = default_storage.save(f"{tasks.UPLOADS_DIR}/old.upload", ContentFile(b"x" * 1000))
        new = default_storage.save(f"{tasks.UPLOADS_DIR}/new.upload", ContentFile(b"y"))
        keep = default_storage.save("proposals/2026/11/plan.pdf", ContentFile(b"%PDF-"))
        two_days_ago = time.time() - 2 * 86400
        os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
        result = tasks.delete_stale_uploads.enqueue()
        assert result.return_value == 1
        assert not default_storage.exists(old) and default_storage.exists(new) and default_storage.exists(keep)


def test_claims_catch_up_after_an_import_stopped_between_commit_and_announcement(registry: None,
                                                                                   tmp_path: Path) -> None:  # fmt: skip
    load_claims(CLAIMS_FILE)
    evaluate_all()
    claim = Claim.objects.get(headline="Population: nearly 6 million")
    claim.target = 6_839_250
    claim.save()
    assert evaluate_claim(claim).verdict == "holds"
    source, path = extract_source("els-population")
    revised = tmp_path / "population-count.json"
    revised.write_text(path.read_text().replace("369026", "369027"), encoding="utf-8")
    # The test's transaction never commits, so the on-commit announcement never runs: the release is in
    # the database, but nobody was told, exactly as when the process is killed right after its commit.
    result = services.import_source(source, path=revised, release_date=dt.date(2026, 9, 25))
    assert result.created and Release.objects.get(pk=result.release.pk).announced_at is None  # type: ignore[union-attr]
    assert claim.evaluations.latest().verdict == "holds"  # stale
    again = services.import_source(source, path=revised, release_date=dt.date(2026, 9, 25))  # the next run
    assert not again.created  # the file is not imported twice...
    assert claim.evaluations.latest().verdict == "does-not-hold"  # ...but the claims are re-evaluated
    assert not Release.objects.filter(announced_at__isnull=True).exists()


def test_erasing_a_person_deletes_the_emails_still_queued_to_them() -> None:
    from keycities.core import erasure

    with override_settings(TASKS=DUMMY):  # the worker has not run: the emails wait in the queue
        send_mail("Your proposal", "Dear Asha", None, ["Asha Patel <asha@example.org>"])
        send_mail("Someone else", "Dear Ben", None, ["ben@example.org"])
    report = erasure.erase_person("asha@example.org", by=None)
    assert report["queued emails"] == 1
    assert [q.to for q in QueuedEmail.objects.all()] == [["ben@example.org"]]

"""Core tables: email waiting to be delivered, and the record of scheduled runs."""

from __future__ import annotations

from django.db import models


class QueuedEmail(models.Model):
    """One email between `send_mail` and the mail server.

    Every email the Hub sends is written here (by `core.mail.QueuedEmailBackend`) and delivered by the
    task `core.tasks.deliver_email`, which is given only this row's id, so that no address or message
    text is ever stored among a task's arguments. The row is deleted once the mail server has taken the
    message; a row that is still here has not been delivered yet, or failed every attempt (`last_error`).
    `core.mail.forget_recipient` deletes the rows addressed to a person (erasure)."""

    subject = models.TextField()
    body = models.TextField()
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    alternatives = models.JSONField(default=list, help_text="[content, MIME type] pairs, e.g. an HTML part.")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "queued email"

    def __str__(self) -> str:
        return self.subject


class ScheduledRun(models.Model):
    """A periodic task enqueued for one slot (a day, an hour). The unique pair makes the scheduler safe to
    run more than once at a time: the second one to claim a slot finds it taken and enqueues nothing."""

    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=20, help_text="2026-11-27 (daily) or 2026-11-27T14 (hourly), local time.")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} {self.slot}"

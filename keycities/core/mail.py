"""Email as a task.

`EMAIL_BACKEND` is `QueuedEmailBackend`: whatever sends mail (`send_mail`, Django's password reset, the
apps' notifications) writes the message to `QueuedEmail` and enqueues `core.tasks.deliver_email` with the
row's id, in the same transaction as the change that caused it. The worker hands the message to the real
backend (`EMAIL_DELIVERY_BACKEND`, from `EMAIL_URL`) and retries with back-off when the mail server fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from .models import QueuedEmail


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .tasks import deliver_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            if message.attachments:
                raise ValueError("QueuedEmailBackend does not queue attachments; link to the file instead.")
            with transaction.atomic():
                queued = QueuedEmail.objects.create(
                    subject=str(message.subject), body=str(message.body),
                    from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                    to=list(message.to), cc=list(message.cc), bcc=list(message.bcc),
                    reply_to=list(message.reply_to), headers=dict(message.extra_headers),
                    alternatives=[[str(content), mimetype] for content, mimetype in
                                  getattr(message, "alternatives", [])],
                )  # fmt: skip
                # The database backend stores the task in this transaction: it is delivered if and only if
                # the change that sent it commits. Only the row's id is a task argument.
                deliver_email.enqueue(queued.pk)
            count += 1
        return count


def deliver(queued: QueuedEmail) -> None:
    """Hand one queued email to the real mail backend; raises if the mail server refuses it."""
    message = EmailMultiAlternatives(
        subject=queued.subject, body=queued.body, from_email=queued.from_email, to=queued.to, cc=queued.cc,
        bcc=queued.bcc, reply_to=queued.reply_to, headers=queued.headers,
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False),
    )  # fmt: skip
    for content, mimetype in queued.alternatives:
        message.attach_alternative(content, mimetype)
    message.send(fail_silently=False)


def forget_recipient(email: str) -> int:
    """Delete the undelivered emails addressed to this person (to, cc or bcc); the number deleted.
    For erasure: a delivered email is not kept, so this is everything the Hub holds of its mail to them."""
    wanted = email.strip().lower()
    doomed = [q.pk for q in QueuedEmail.objects.all()
              if wanted in {parseaddr(a)[1].lower() for a in [*q.to, *q.cc, *q.bcc, *q.reply_to]}]  # fmt: skip
    return QueuedEmail.objects.filter(pk__in=doomed).delete()[0]

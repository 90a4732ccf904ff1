"""Erasing a person everywhere their data lives, and exporting it (the rights of access and erasure).

A person is named by their email address. Each app says, in its AppConfig.ready(), how to find what it
holds about them (`register(finder=...)`: their names, accounts and rows), how to erase it
(`register(eraser=...)`) and how to export it (`register(exporter=...)`). Then this module clears
what the libraries keep about them, which no app owns:

- django-auditlog's change records: their email, names and usernames are replaced by "[erased]" inside
  the before/after values, the change text and the object's description; the actor's email and the
  client address are cleared on entries about their rows or made by them;
- sessions that hold their data (a half-finished proposal, the confirmation of one, their sign-in);
- django-axes' records of their sign-ins and failed attempts;
- the cache: the password-reset counter for their email;
- task results and arguments of the task system, when installed, and emails queued to them and not yet
  delivered (`core.mail.forget_recipient`).

Everything happens in one transaction; stored files (attachments) are deleted once it has committed.
`keycities/tests/test_erasure.py` erases a person and then searches every column of every table, the
sessions and the media store for their email and name.

This module imports no domain app; the apps call it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

ERASED = "[erased]"


@dataclass
class Person:
    """Who is being erased, and where they were found."""

    email: str
    names: set[str] = field(default_factory=set)  # full names, as they typed them
    usernames: set[str] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)
    rows: list[models.Model] = field(default_factory=list)  # their rows: their audit history is theirs too
    files: list[tuple[Storage, str]] = field(default_factory=list)  # deleted after the transaction commits

    @property
    def needles(self) -> list[str]:
        """What is replaced by "[erased]" wherever it appears: longest first, so that "Asha Patel" goes whole."""
        found = {self.email.strip(), *self.names, *self.usernames} - {"", ERASED}
        return sorted((n for n in found if len(n.strip()) >= 2), key=lambda n: (-len(n), n))


def _pattern(needles: Iterable[str]) -> re.Pattern[str] | None:
    words = [re.escape(n.strip()) for n in needles if n.strip()]
    # Whole words only: erasing "Al" must not turn "Also" into "[erased]so".
    return re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE) if words else None


def redact(value: Any, needles: Iterable[str]) -> Any:
    """`value` (text, or JSON: dicts, lists) with every needle replaced by "[erased]"."""
    pattern = _pattern(needles)
    if pattern is None:
        return value

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return pattern.sub(ERASED, v)
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [walk(x) for x in v]
        return v

    return walk(value)


def mentions(value: Any, needles: Iterable[str]) -> bool:
    pattern = _pattern(needles)
    return bool(pattern and pattern.search(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))


def contains_any(fields: Iterable[str], needles: Iterable[str], *, json_fields: Iterable[str] = ()) -> models.Q:
    """A filter for rows whose text (or JSON, on every database) contains any needle, ignoring case."""
    q = models.Q(pk__in=[])
    for needle in needles:
        for name in fields:
            q |= models.Q(**{f"{name}__icontains": needle})
        for name in json_fields:
            # JSON text holds "Siân" as "Si\u00e2n" on SQLite: look for both spellings.
            for spelling in {needle, json.dumps(needle)[1:-1]}:
                q |= models.Q(**{f"_text_{name}__icontains": spelling})
    return q


def with_json_text(qs: models.QuerySet[Any], json_fields: Iterable[str]) -> models.QuerySet[Any]:
    return qs.annotate(**{f"_text_{name}": Cast(name, models.TextField()) for name in json_fields})


Finder = Callable[[Person], None]
Eraser = Callable[[Person, Any], int]
Exporter = Callable[[Person], dict[str, Any]]
_finders: list[Finder] = []
_erasers: list[tuple[str, Eraser]] = []
_exporters: list[Exporter] = []


def register(*, finder: Finder | None = None, eraser: tuple[str, Eraser] | None = None,
             exporter: Exporter | None = None) -> None:  # fmt: skip
    """Called by each app's AppConfig.ready(): how it finds, erases and exports a person's data."""
    if finder and finder not in _finders:
        _finders.append(finder)
    if eraser and eraser[0] not in dict(_erasers):
        _erasers.append(eraser)
    if exporter and exporter not in _exporters:
        _exporters.append(exporter)


def find(email: str) -> Person:
    person = Person(email=email.strip())
    for finder in _finders:
        finder(person)
    return person


def export_person(email: str) -> dict[str, Any]:
    """Everything the Hub holds about the person, as data (a subject access request)."""
    person = find(email)
    data: dict[str, Any] = {"email": person.email, "exported_at": timezone.now().isoformat(timespec="seconds")}
    for exporter in _exporters:
        data.update(exporter(person))
    return data


def erase_person(email: str, *, by: Any) -> dict[str, int]:
    """Erase the person everywhere; returns how many records each part changed."""
    with transaction.atomic():
        person = find(email)
        report = {label: eraser(person, by) for label, eraser in _erasers}
        report.update(scrub_libraries(person))
        transaction.on_commit(lambda: delete_files(person.files))
    return report


def scrub_libraries(person: Person) -> dict[str, int]:
    return {"audit log entries": scrub_audit_log(person), "sessions": scrub_sessions(person),
            "sign-in records": scrub_sign_ins(person), "task records": scrub_tasks(person),
            "queued emails": scrub_queued_email(person), "cached counters": scrub_cache(person)}  # fmt: skip


def delete_files(files: Iterable[tuple[Storage, str]]) -> None:
    for storage, name in files:
        if name and storage.exists(name):
            storage.delete(name)


# --------------------------------------------------------------------------- what the libraries keep

AUDIT_TEXT = ["object_repr", "changes_text", "actor_email"]
AUDIT_JSON = ["changes", "serialized_data", "additional_data"]


def _rows_q(rows: Iterable[models.Model]) -> models.Q:
    from django.contrib.contenttypes.models import ContentType

    q = models.Q(pk__in=[])
    for row in rows:
        q |= models.Q(content_type=ContentType.objects.get_for_model(row), object_pk=str(row.pk))
    return q


def scrub_audit_log(person: Person, *, only_rows: bool = False) -> int:
    """Redact the person from django-auditlog's entries: those about their rows or made by them, and (unless
    `only_rows`) any other entry that mentions them. Their rows' entries and their own lose the client address
    and the actor's email too."""
    from auditlog.models import LogEntry

    theirs = _rows_q(person.rows) | models.Q(actor_id__in=person.user_ids)
    if person.email:
        theirs |= models.Q(actor_email__iexact=person.email)
    needles = person.needles
    wanted = theirs if only_rows else theirs | contains_any(AUDIT_TEXT, needles, json_fields=AUDIT_JSON)
    count = 0
    for entry in with_json_text(LogEntry.objects.all(), AUDIT_JSON).filter(wanted).distinct():
        for name in AUDIT_TEXT + AUDIT_JSON:
            value = getattr(entry, name)
            if value:
                setattr(entry, name, redact(value, needles))
        if entry.actor_id in person.user_ids or any(
            entry.content_type_id == _content_type_id(r) and entry.object_pk == str(r.pk) for r in person.rows
        ):
            entry.remote_addr, entry.actor_email = None, None
        # LogEntry.save() is not audited; update() keeps the timestamps as they were.
        LogEntry.objects.filter(pk=entry.pk).update(**{n: getattr(entry, n) for n in [*AUDIT_TEXT, *AUDIT_JSON,
                                                                                       "remote_addr"]})  # fmt: skip
        count += 1
    return count


def _content_type_id(row: models.Model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return int(ContentType.objects.get_for_model(row).pk)


def scrub_sessions(person: Person) -> int:
    """Delete every session that holds the person's data or signs one of their accounts in (expired sessions
    go too: they are of no use to anyone)."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    doomed = []
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) in {str(i) for i in person.user_ids} or mentions(data, person.needles):
            doomed.append(session.pk)
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def scrub_sign_ins(person: Person) -> int:
    """django-axes' records of the person's sign-ins and failed attempts (by the username they typed)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    typed = {person.email, *person.usernames} - {""}
    q = models.Q(pk__in=[])
    for name in typed:
        q |= models.Q(username__iexact=name)
    return sum(model.objects.filter(q).delete()[0] for model in (AccessAttempt, AccessLog, AccessFailureLog))


def scrub_tasks(person: Person) -> int:
    """Task results and queued tasks (arguments, return values, errors) that mention the person, in the task
    system's database, when it is installed: an email queued to them is not sent after they are erased."""
    if not apps.is_installed("django_tasks_db"):  # the task system's database backend (its label differs)
        return 0
    results: Any = apps.get_model("django_tasks_database", "DBTaskResult")
    text = [f.name for f in results._meta.get_fields() if isinstance(f, models.TextField | models.CharField)]
    json_fields = [f.name for f in results._meta.get_fields() if isinstance(f, models.JSONField)]
    found = with_json_text(results.objects.all(), json_fields).filter(
        contains_any(text, person.needles, json_fields=json_fields)
    )
    return int(results.objects.filter(pk__in=list(found.values_list("pk", flat=True))).delete()[0])


def scrub_queued_email(person: Person) -> int:
    """Emails to the person not yet delivered (core.mail keeps an email only until the server takes it;
    the delivery task, given only the row's id, then finds nothing to send)."""
    from .mail import forget_recipient

    return forget_recipient(person.email)


def scrub_cache(person: Person) -> int:
    """The password-reset counter, which names the email by its hash."""
    from .ratelimit import email_key, forget

    forget("password-reset-email", email_key(person.email), window=3600)
    return 1

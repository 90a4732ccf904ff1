"""Writes for proposals. Each public function is one transaction, and every
change is recorded as an `Event` (and in the audit log)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import holidays
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keycities.accounts.models import Role, User
from keycities.core import erasure
from keycities.core.bilingual import localised_text
from keycities.core.erasure import ERASED
from keycities.core.text import one_line
from keycities.network.models import Place, WorkArea

from . import similarity
from .models import FINISHED, TRANSITIONS, Attachment, Event, Language, Proposal, ReferenceCounter, Status

log = logging.getLogger(__name__)
FIRST_RESPONSE_WORKING_DAYS = 10


# --------------------------------------------------------------------------- dates


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share their bank holidays.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`, skipping weekends and England and Wales bank holidays."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _bank_holidays(day.year):
            days -= 1
    return day


# --------------------------------------------------------------------------- submission


@dataclass
class Draft:
    """A validated submission, before it is saved."""

    name: str
    email: str
    organisation: str
    organisation_type: str
    work_areas: list[WorkArea]
    not_sure: bool
    places: list[Place]
    title: str
    summary: str
    details: str
    files: list[tuple[str, str, str, int, str]]  # (temporary name in storage, original name, type, size, sha256)
    language: str = Language.ENGLISH  # the language of the form it was sent in; the submitter is answered in it


def _next_reference(year: int) -> str:
    """The next reference of the year, taken inside the caller's transaction. The counter row is locked by the
    UPDATE until the transaction ends (PostgreSQL row lock; SQLite's write lock, taken at BEGIN IMMEDIATE), so
    two submissions can never read the same number, and a rolled-back submission gives its number back."""
    if not ReferenceCounter.objects.filter(year=year).exists():
        prefix = f"KC-{year}-"
        last = Proposal.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
        ReferenceCounter.objects.get_or_create(year=year, defaults={"last": int(last.rsplit("-", 1)[1]) if last else 0})
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.values_list("last", flat=True).get(year=year)
    return f"KC-{year}-{number:05d}"


@dataclass
class Submitted:
    proposal: Proposal
    token: str  # the submitter's private link; empty when the draft had already been sent
    created: bool


def submit(draft: Draft, *, user: Any = None, key: str | None = None, suggestions: list[dict[str, Any]] | None = None,
           embedding: list[float] | None = None) -> Submitted:  # fmt: skip
    """Save a proposal and its attachments, route it, and email the submitter and the reviewers.

    `key` identifies the draft: sending the same draft again (a double click, a resent form, two tabs) returns
    the proposal it made the first time, and nothing is saved or emailed twice. The reference is the year's next
    number, allocated in the same transaction, so any number of simultaneous submissions each get their own."""
    if key and (earlier := Proposal.objects.filter(submission_key=key).first()):
        return Submitted(earlier, "", created=False)
    token, token_hash = Proposal.new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                reference=_next_reference(timezone.localdate(now).year), token_hash=token_hash, submission_key=key,
                name=one_line(draft.name), email=draft.email.strip(), organisation=one_line(draft.organisation),
                organisation_type=draft.organisation_type, title=one_line(draft.title), summary=draft.summary,
                details=draft.details, not_sure=draft.not_sure, consent_at=now,
                submitted_by=user if getattr(user, "is_authenticated", False) else None,
                first_response_due=add_working_days(timezone.localdate(now), FIRST_RESPONSE_WORKING_DAYS),
                suggestions=suggestions or [], embedding=embedding or [],
                language=Language.WELSH if draft.language.startswith("cy") else Language.ENGLISH,
            )  # fmt: skip
            proposal.work_areas.set(draft.work_areas)
            proposal.places.set(draft.places)
            for stored, original, content_type, size, digest in draft.files:
                with default_storage.open(stored, "rb") as f:
                    Attachment.objects.create(proposal=proposal, file=File(f, name=original),
                                              original_name=original, content_type=content_type, size=size,
                                              sha256=digest)  # fmt: skip
            Event.objects.create(proposal=proposal, kind=Event.Kind.SUBMITTED, to_status=Status.RECEIVED)
    except IntegrityError:
        # The same draft, sent at the same moment by another request, was saved first.
        earlier = Proposal.objects.filter(submission_key=key).first() if key else None
        if earlier is None:
            raise
        return Submitted(earlier, "", created=False)
    _emails_on_submission(proposal, token)  # committed: the proposal exists whatever the mail server does
    for stored, *_rest in draft.files:
        default_storage.delete(stored)
    return Submitted(proposal, token, created=True)


def status_url(token: str, language: str | None = None) -> str:
    """The submitter's private link, to the status page in their language (`/cy/…` for Welsh)."""
    with translation.override(language or translation.get_language()):
        return settings.SITE_URL.rstrip("/") + reverse("proposals:status", args=[token])


def review_url(proposal: Proposal) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + proposal.get_absolute_url()


def and_list(names: Sequence[str]) -> str:
    """The names as a list in prose ("A", "A and B", "A, B and C"), in the active language."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def routing(proposal: Proposal) -> str:
    """Where the proposal has gone, in a sentence for its submitter (in the active language): the member
    places that lead its work areas, or the place it was referred to, and always the secretariat."""
    if proposal.referred_to_id:
        return _("Your proposal has been referred to %(place)s, and the Key Cities secretariat follows it.") % {
            "place": localised_text(proposal.referred_to, "name")}  # fmt: skip
    leads = []
    for work_area in proposal.work_areas.all():
        places = [localised_text(link.place, "name") for link in work_area.lead_links.all()]
        if places:
            name = localised_text(work_area, "name")
            leads.append(_("%(places)s (%(work_area)s)") % {"places": and_list(places), "work_area": name})
    if not leads:
        return _("You were not sure which work area it belongs to: the Key Cities secretariat will send it to the "
                 "member city that leads the right one.")  # fmt: skip
    return _("Your proposal has gone to %(leads)s, which lead its work areas, and to the Key Cities secretariat.") % {
        "leads": and_list(leads)} if len(leads) > 1 else _(
        "Your proposal has gone to %(leads)s, which leads its work area, and to the Key Cities secretariat.") % {
        "leads": leads[0]}  # fmt: skip


def reviewers_of(proposal: Proposal) -> list[str]:
    """Emails of the officers of the proposal's lead places (or the place it was referred to)."""
    return sorted(User.objects.filter(role=Role.MEMBER_OFFICER, place_id__in=proposal.reviewing_place_ids(),
                                      is_active=True)
                  .exclude(email="").values_list("email", flat=True))  # fmt: skip


def _mail(subject: str, template: str, context: dict[str, Any], to: Sequence[str]) -> None:
    """Send one email, in the active language (callers choose it with `translation.override`)."""
    if not to:
        return
    body = render_to_string(f"proposals/email/{template}.txt", context)
    send_mail(one_line(str(subject)), body, None, list(to), fail_silently=False)


def _reviewer_context(proposal: Proposal) -> dict[str, Any]:
    return {"proposal": proposal, "review_url": review_url(proposal), "language_name": proposal.get_language_display(),
            "welsh": proposal.is_welsh}  # fmt: skip


def _emails_on_submission(proposal: Proposal, token: str) -> None:
    # The submitter is answered in the language they wrote in, whatever the language of the page that sends it;
    # reviewers get the Hub's language, and are told which language to answer in.
    with translation.override(proposal.language):
        _mail(_("Your proposal to Key Cities: %(reference)s") % {"reference": proposal.reference}, "confirmation",
              {"proposal": proposal, "status_url": status_url(token, proposal.language),
               "routing": routing(proposal)},
              [proposal.email])  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        _mail(
            _("New proposal %(reference)s: %(title)s") % {"reference": proposal.reference, "title": proposal.title},
            "new_proposal",
            _reviewer_context(proposal),
            [*reviewers_of(proposal), settings.SECRETARIAT_EMAIL],
        )


# --------------------------------------------------------------------------- review
#
# Every change locks the proposal's row and checks the state it is in *now*, inside the transaction: a page
# loaded a minute ago is no authority. A change also names the status its author saw (`seen`); if the
# proposal has moved on since (the submitter withdrew it while a reviewer was accepting it), the change is
# refused rather than applied on top. Emails go only once the change has committed.


def _current(proposal: Proposal, seen: str | None) -> Proposal:
    """The proposal as it is now, locked until the transaction ends; refused if it is not in `seen`."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if seen and current.status != seen:
        last = current.events.filter(kind=Event.Kind.TRANSITION).order_by("-at", "-pk").first()
        status = current.get_status_display().lower()
        if last is None:
            raise ValidationError(_("This proposal changed while you were looking at it: it is now %(status)s. "
                                    "Nothing was changed; check it again.") % {"status": status})  # fmt: skip
        raise ValidationError(_("This proposal changed at %(time)s while you were looking at it: it is now "
                                "%(status)s. Nothing was changed; check it again.")
                              % {"time": f"{timezone.localtime(last.at):%H:%M}", "status": status})  # fmt: skip
    return current


@transaction.atomic
def transition(proposal: Proposal, to: str, *, by: Any, note: str = "", public_answer: str = "",
               referred_to: Place | None = None, seen: str | None = None) -> Event:  # fmt: skip
    """Move a proposal to a new status, recording who, when and why; email any public answer."""
    proposal = _current(proposal, seen)
    if to not in TRANSITIONS[proposal.status]:
        raise ValidationError(
            _("A proposal that is %(status)s cannot become %(to)s.")
            % {"status": proposal.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    if to == Status.DECLINED and not (note.strip() or public_answer.strip()):
        raise ValidationError(_("Give the reason for declining."))
    if to == Status.REFERRED:
        if referred_to is None:
            raise ValidationError(_("Choose the member place the proposal is referred to."))
        proposal.referred_to = referred_to
    event = Event.objects.create(proposal=proposal, kind=Event.Kind.TRANSITION, by=by, from_status=proposal.status,
                                 to_status=to, note=note.strip(), public_answer=public_answer.strip())  # fmt: skip
    proposal.status = to
    now = timezone.now()
    if proposal.first_response_at is None:
        proposal.first_response_at = now
    if to in FINISHED:
        proposal.closed_at = now
    proposal.save()
    if public_answer.strip():
        transaction.on_commit(lambda: _answer(proposal, public_answer.strip()))
    if to == Status.REFERRED:
        transaction.on_commit(lambda: _referred(proposal))
    return event


def _answer(proposal: Proposal, answer: str) -> None:
    """Email a reviewer's answer to the submitter, in the language they wrote in. The link to their status page
    is not kept (only its hash is), so the email names the reference instead."""
    with translation.override(proposal.language):
        subject = _("Your proposal %(reference)s: %(status)s") % {
            "reference": proposal.reference,
            "status": proposal.get_status_display(),
        }
        _mail(subject, "answer", {"proposal": proposal, "answer": answer}, [proposal.email])


def _referred(proposal: Proposal) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _mail(_("Proposal %(reference)s referred to %(place)s") % {"reference": proposal.reference,
                                                                   "place": proposal.referred_to},
              "referred", _reviewer_context(proposal), reviewers_of(proposal))  # fmt: skip


@transaction.atomic
def assign(proposal: Proposal, reviewer: User | None, *, by: Any) -> Event:
    proposal = _current(proposal, None)
    proposal.reviewer = reviewer
    proposal.save(update_fields=["reviewer"])
    return Event.objects.create(proposal=proposal, kind=Event.Kind.ASSIGNED, by=by,
                                note=f"Assigned to {reviewer.display_name}" if reviewer
                                else "Unassigned")  # fmt: skip


@transaction.atomic
def add_note(proposal: Proposal, text: str, *, by: Any) -> Event:
    if not text.strip():
        raise ValidationError(_("Enter the note."))
    proposal = _current(proposal, None)
    return Event.objects.create(proposal=proposal, kind=Event.Kind.NOTE, by=by, note=text.strip())


# --------------------------------------------------------------------------- the submitter


@transaction.atomic
def add_information(proposal: Proposal, text: str) -> Event:
    if not text.strip():
        raise ValidationError(_("Enter the information you want to add."))
    proposal = _current(proposal, None)
    if proposal.status in FINISHED:
        raise ValidationError(_("This proposal is closed; information can no longer be added."))
    event = Event.objects.create(proposal=proposal, kind=Event.Kind.ADDITION, public_answer=text.strip())
    to = [*reviewers_of(proposal), settings.SECRETARIAT_EMAIL]

    def mail() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            _mail(_("Proposal %(reference)s: the submitter added information") % {"reference": proposal.reference},
                  "addition", {**_reviewer_context(proposal), "text": text.strip()}, to)  # fmt: skip

    transaction.on_commit(mail)
    return event


@transaction.atomic
def withdraw(proposal: Proposal, *, seen: str | None = None) -> Event:
    """The submitter withdraws their proposal: refused if it is closed, or has changed since they looked."""
    proposal = _current(proposal, seen)
    if proposal.status in FINISHED:
        raise ValidationError(_("This proposal is already closed."))
    event = Event.objects.create(proposal=proposal, kind=Event.Kind.TRANSITION, from_status=proposal.status,
                                 to_status=Status.WITHDRAWN, note="Withdrawn by the submitter.")  # fmt: skip
    proposal.status = Status.WITHDRAWN
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["status", "closed_at"])
    return event


# --------------------------------------------------------------------------- personal data
#
# A proposal's personal data is its submitter's name, email and organisation, their attachments and what
# they added, and anything else in it that names them. It is erased when a closed proposal passes the
# retention period (erase_expired, daily) or when the person asks (core.erasure.erase_person, which
# calls the finder, eraser and exporter registered below). The proposal itself is kept, anonymised.


def _theirs(person: erasure.Person) -> Any:
    return Proposal.objects.filter(Q(email__iexact=person.email) | Q(submitted_by_id__in=person.user_ids),
                                   erased_at__isnull=True)  # fmt: skip


def count_for_person(person: erasure.Person) -> int:
    return int(_theirs(person).count())


def find_person(person: erasure.Person) -> None:
    for proposal in _theirs(person).prefetch_related("attachments", "events"):
        person.names.add(proposal.name)
        person.rows += [proposal, *proposal.attachments.all(), *proposal.events.all()]


def _erase(proposal: Proposal, *, by: Any, why: str, needles: list[str], files: list[Any]) -> None:
    """Erase one proposal's personal data (the caller holds its row lock and the transaction). Attachments' files
    are added to `files`, to be deleted once the transaction has committed."""
    needles = sorted({*needles, proposal.name, proposal.email} - {"", ERASED}, key=len, reverse=True)
    for attachment in proposal.attachments.all():
        files.append((attachment.file.storage, attachment.file.name))
        attachment.delete()
    proposal.title = erasure.redact(proposal.title, needles)
    proposal.summary = erasure.redact(proposal.summary, needles)
    proposal.details = erasure.redact(proposal.details, needles)
    proposal.name, proposal.email, proposal.organisation = ERASED, "erased@invalid", ""
    proposal.submitted_by = None
    proposal.erased_at = timezone.now()
    # The embedding was made from the text as sent: make it again from what is kept.
    proposal.embedding = similarity.embed(f"{proposal.title}\n{proposal.summary}") if proposal.embedding else []
    proposal.save()
    for event in proposal.events.all():
        event.note = erasure.redact(event.note, needles)
        event.public_answer = (
            ERASED if event.kind == Event.Kind.ADDITION else erasure.redact(event.public_answer, needles)
        )
        event.save(update_fields=["note", "public_answer"])
    Event.objects.create(proposal=proposal, kind=Event.Kind.ERASED, by=by, note=why)


def erase_for_person(person: erasure.Person, by: Any) -> int:
    """The person's proposals, erased; and their name or email wherever else a proposal mentions them (a note on
    someone else's proposal)."""
    count = 0
    with disable_auditlog():  # the audit log would keep the erased values as "before"
        for proposal in _theirs(person).select_for_update():
            _erase(proposal, by=by, why="Erased at the person's request.", needles=person.needles, files=person.files)
            count += 1
        needles = person.needles
        for event in Event.objects.filter(erasure.contains_any(["note", "public_answer"], needles)):
            event.note, event.public_answer = (
                erasure.redact(event.note, needles),
                erasure.redact(event.public_answer, needles),
            )
            event.save(update_fields=["note", "public_answer"])
        for proposal in Proposal.objects.filter(erasure.contains_any(["title", "summary", "details"], needles)):
            for name in ("title", "summary", "details"):
                setattr(proposal, name, erasure.redact(getattr(proposal, name), needles))
            proposal.save(update_fields=["title", "summary", "details"])
    return count


@transaction.atomic
def erase_expired(now: dt.datetime | None = None) -> int:
    """Erase the personal data of proposals closed longer ago than the retention period, with its audit history."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.PROPOSAL_RETENTION_DAYS)
    expired = (Proposal.objects.select_for_update()
               .filter(status__in=FINISHED, closed_at__lt=cutoff, erased_at__isnull=True)
               .prefetch_related("attachments", "events"))  # fmt: skip
    files: list[Any] = []
    count = 0
    for proposal in expired:
        person = erasure.Person(email=proposal.email, names={proposal.name},
                                rows=[proposal, *proposal.attachments.all(), *proposal.events.all()])  # fmt: skip
        with disable_auditlog():
            _erase(proposal, by=None, why=f"Retention period of {settings.PROPOSAL_RETENTION_DAYS} days after "
                                          "closing.", needles=person.needles, files=files)  # fmt: skip
        erasure.scrub_audit_log(person, only_rows=True)
        count += 1
    transaction.on_commit(lambda: erasure.delete_files(files))
    return count


def export_for_person(person: erasure.Person) -> dict[str, Any]:
    """The person's proposals, as data (part of a subject access request)."""
    found = _theirs(person).prefetch_related("work_areas", "places", "attachments", "events")
    return {
        "proposals": [{
            "reference": p.reference, "name": p.name, "email": p.email, "organisation": p.organisation,
            "organisation_type": p.get_organisation_type_display(), "title": p.title, "summary": p.summary,
            "details": p.details, "work_areas": [w.name for w in p.work_areas.all()],
            "places": [pl.name for pl in p.places.all()], "submitted_at": p.submitted_at.isoformat(),
            "status": p.get_status_display(), "consent_at": p.consent_at.isoformat(),
            "attachments": [{"name": a.original_name, "type": a.kind, "size": a.size, "sha256": a.sha256}
                            for a in p.attachments.all()],
            "added_information": [e.public_answer for e in p.events.all() if e.kind == Event.Kind.ADDITION],
            "answers": [e.public_answer for e in p.events.all()
                        if e.kind == Event.Kind.TRANSITION and e.public_answer],
        } for p in found],
    }  # fmt: skip


@transaction.atomic
def record_export(email: str, *, by: Any) -> dict[str, Any]:
    """Export a person's data and record that it was exported (in each proposal's history and the audit log)."""
    data = erasure.export_person(email)
    for proposal in Proposal.objects.filter(reference__in=[p["reference"] for p in data.get("proposals", [])]):
        Event.objects.create(proposal=proposal, kind=Event.Kind.EXPORTED, by=by,
                             note="Personal data exported on request.")  # fmt: skip
        LogEntry.objects.log_create(proposal, action=LogEntry.Action.ACCESS, force_log=True,
                                    changes={"exported_personal_data": [None, email]})  # fmt: skip
    return data

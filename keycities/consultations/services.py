"""Writes for consultations and their responses. Each public function is one
transaction and records what it did as an `Event` (the audit log records the
rows too). Emails go out only once the transaction has committed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import date as format_date
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keycities.accounts.models import Role, User
from keycities.core.errors import DataFileError
from keycities.core.files import sniff_document
from keycities.core.text import clean_text, one_line
from keycities.network.models import Place, WorkArea
from keycities.observatory.queries import KEY_CITIES

from . import presenters
from .models import (
    EDITABLE,
    POSITION_OF,
    POSITIONS,
    RESTARTS_REVIEW,
    Ask,
    AskStatus,
    AskUpdate,
    BodyType,
    Comment,
    Consultation,
    Decision,
    Document,
    Event,
    Evidence,
    Review,
    Section,
    Stage,
    Version,
)

log = logging.getLogger(__name__)
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


# --------------------------------------------------------------------------- helpers


def member_places(on: dt.date | None = None) -> list[Place]:
    """The places whose officers review responses: Key Cities members today."""
    return list(Place.objects.members_of(KEY_CITIES, on).order_by("name"))


def officer_emails(place_ids: Iterable[int]) -> list[str]:
    return sorted(User.objects.filter(role=Role.MEMBER_OFFICER, place_id__in=list(place_ids), is_active=True)
                  .exclude(email="").values_list("email", flat=True))  # fmt: skip


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mail(subject: Callable[[], str], template: str, context: dict[str, Any], to: Sequence[str]) -> None:
    """Email officers in the Hub's language, whatever the language of the page that caused it (the subject is
    made inside that language)."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(f"consultations/email/{template}.txt", context)
        send_mail(one_line(subject()), body, None, list(to), fail_silently=False)


def _event(c: Consultation, kind: str, by: Any, note: str = "") -> Event:
    return Event.objects.create(consultation=c, kind=kind, by=_user(by), round=c.round, note=note)


def _user(by: Any) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None


def _locked(c: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=c.pk)


def _text(value: str) -> str:
    """Answers as stored: Unix line ends, no control characters, no spaces at either end."""
    return clean_text(value)


# --------------------------------------------------------------------------- the Welsh version


@transaction.atomic
def save_welsh_version(c: Consultation, title_cy: str, texts: dict[int, tuple[str, str]], *, by: Any) -> Consultation:
    """The Welsh version of the signed-off response: its title and each section's question and answer in Welsh
    (`texts`: section id → (question, answer); blank where not translated, and the English is shown marked)."""
    c = _locked(c)
    version = c.signed_off_version
    if not c.is_final or version is None:
        raise ValidationError(_("A Welsh version can be added only to a signed-off response."))
    ids = {int(s["section"]) for s in version.content}
    c.title_cy = one_line(title_cy)
    c.welsh_answers = {str(pk): {"question": _text(q), "answer": _text(a)} for pk, (q, a) in texts.items()
                       if pk in ids and (q.strip() or a.strip())}  # fmt: skip
    c.welsh_version = version.number if (c.title_cy or c.welsh_answers) else None
    c.save(update_fields=["title_cy", "welsh_answers", "welsh_version"])
    with translation.override(settings.LANGUAGE_CODE):  # the history is written in the Hub's language
        note = _("%(count)s of %(total)s answers in Welsh, for version %(number)s") % {
            "count": sum(1 for t in c.welsh_answers.values() if t["answer"]), "total": len(ids),
            "number": version.number}  # fmt: skip
    _event(c, Event.Kind.WELSH, by, note)
    return c


# --------------------------------------------------------------------------- the register


FIELDS = ["title", "body_type", "body_name", "url", "published_on", "closes_on", "lead_place", "summary"]


@transaction.atomic
def create_consultation(data: dict[str, Any], *, by: Any) -> Consultation:
    c = Consultation(**{k: data[k] for k in FIELDS if k in data}, created_by=_user(by))
    c.full_clean()
    c.save()
    c.work_areas.set(data.get("work_areas") or [])
    _event(c, Event.Kind.CREATED, by)
    return c


@transaction.atomic
def update_consultation(c: Consultation, data: dict[str, Any], *, by: Any) -> Consultation:
    c = _locked(c)
    changed = [k for k in FIELDS if k in data and getattr(c, k) != data[k]]
    for k in changed:
        setattr(c, k, data[k])
    c.full_clean()
    c.save()
    if "work_areas" in data and set(c.work_areas.all()) != set(data["work_areas"]):
        c.work_areas.set(data["work_areas"])
        changed.append("work_areas")
    if changed:
        with translation.override(settings.LANGUAGE_CODE):  # the history is written in the Hub's language
            labels = [str(getattr(Consultation._meta.get_field(k), "verbose_name", k)).lower() for k in changed]
        _event(c, Event.Kind.EDITED, by, "Changed: " + ", ".join(labels) + ".")
    return c


COLUMNS = ["title", "body_type", "body_name", "url", "published_on", "closes_on", "work_areas", "lead_place"]
OPTIONAL_COLUMNS = ["summary"]


class CsvFileError(DataFileError):
    """A CSV file was refused; `errors` holds every problem found, each with its row and column."""

    def __init__(self, name: str, errors: list[DataFileError]):
        self.errors = errors
        n = len(errors) - 1
        more = (" " + ngettext("(and %(count)s more problem)", "(and %(count)s more problems)", n) % {"count": n}
                if n else "")  # fmt: skip
        first = errors[0]
        super().__init__(name, first.reason + more, row=first.row, column=first.column)


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("must be a date like 2026-03-31 or 31/03/2026"))


def _body_type(value: str) -> str:
    wanted = value.strip().lower()
    for choice in BodyType:
        with translation.override(settings.LANGUAGE_CODE):  # the file's words are English, whoever imports it
            label = str(choice.label).lower()
        if wanted in {choice.value, label}:
            return choice.value
    raise ValueError(_("must be one of: %(values)s") % {"values": ", ".join(c.value for c in BodyType)})


def _lookup(model: Any, value: str, missing: str) -> Any:
    """The place or work area named by its slug or name; `missing` is the message if there is none."""
    wanted = value.strip()
    found = model.objects.filter(slug=wanted).first() or model.objects.filter(name__iexact=wanted).first()
    if found is None:
        raise ValueError(missing % {"name": wanted})
    return found


def read_csv(data: bytes, name: str) -> list[dict[str, Any]]:
    """Validate a consultations CSV (never writes). Raises CsvFileError naming each row and column at fault."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(name, [DataFileError(name, _("is not UTF-8 text; save it as ‘CSV UTF-8’"))]) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise CsvFileError(name, [DataFileError(name, _("is empty"))])
    problems = [DataFileError(name, _("is missing this column"), row=1, column=c) for c in COLUMNS if c not in header]
    problems += [DataFileError(name, _("is not a column this file can have"), row=1, column=c)
                 for c in header if c not in COLUMNS + OPTIONAL_COLUMNS]  # fmt: skip
    if problems:
        raise CsvFileError(name, problems)
    rows: list[dict[str, Any]] = []
    url = URLValidator(schemes=["http", "https"])
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        found: dict[str, Any] = {"row": number}

        def check(column: str, parse: Any, row: dict[str, str] = row, found: dict[str, Any] = found,
                  number: int = number) -> None:  # fmt: skip
            value = row.get(column, "")
            try:
                if not value and column != "work_areas":
                    raise ValueError(_("is empty"))
                found[column] = parse(value)
            except (ValueError, ValidationError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                problems.append(DataFileError(name, message, row=number, column=column))

        check("title", lambda v: one_line(v)[:300])
        check("body_type", _body_type)
        check("body_name", lambda v: one_line(v)[:200])
        check("url", lambda v: (url(v), v)[1])
        check("published_on", _date)
        check("closes_on", _date)
        check("lead_place", lambda v: _lookup(Place, v, _("names no place called '%(name)s'")))
        check(
            "work_areas",
            lambda v: [
                _lookup(WorkArea, w, _("names no work area called '%(name)s'")) for w in v.split(";") if w.strip()
            ],
        )
        found["summary"] = clean_text(row.get("summary", ""))
        if isinstance(found.get("published_on"), dt.date) and isinstance(found.get("closes_on"), dt.date) \
                and found["closes_on"] < found["published_on"]:  # fmt: skip
            problems.append(DataFileError(name, _("is before the date it was published"), row=number,
                                          column="closes_on"))  # fmt: skip
        rows.append(found)
    if problems:
        raise CsvFileError(name, problems)
    if not rows:
        raise CsvFileError(name, [DataFileError(name, _("has a header but no consultations"))])
    return rows


@transaction.atomic
def import_csv(f: IO[bytes], name: str, *, by: Any) -> tuple[list[Consultation], int]:
    """Add the consultations in a CSV file. All or nothing: a file with any error changes nothing.
    A row whose link is already in the register is skipped. Returns (added, skipped)."""
    rows = read_csv(f.read(), name)
    added: list[Consultation] = []
    skipped = 0
    for row in rows:
        if Consultation.objects.filter(url=row["url"]).exists():
            skipped += 1
            continue
        c = Consultation(**{k: row[k] for k in FIELDS}, created_by=_user(by))
        try:
            c.full_clean()
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise CsvFileError(name, [DataFileError(name, messages[0], row=row["row"], column=field)]) from exc
        c.save()
        c.work_areas.set(row["work_areas"])
        _event(c, Event.Kind.IMPORTED, by, f"{name}, row {row['row']}")
        added.append(c)
    return added, skipped


def check_document(f: UploadedFile) -> str:
    """The content type of an acceptable upload (judged from its bytes), or a ValidationError."""
    if not f.size:
        raise ValidationError(_("%(name)s is empty") % {"name": f.name})
    if f.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("%(name)s must be smaller than 20 MB") % {"name": f.name})
    kind = sniff_document(f.file) if f.file is not None else None
    if kind not in Document.ALLOWED:
        raise ValidationError(_("%(name)s must be a PDF, DOCX or ODT document") % {"name": f.name})
    return str(kind)


@transaction.atomic
def add_document(c: Consultation, upload: UploadedFile, *, by: Any) -> Document:
    kind = check_document(upload)
    name = (upload.name or "document").rsplit("/", 1)[-1][:200]
    doc = Document.objects.create(consultation=c, file=upload, original_name=name, content_type=kind,
                                  size=upload.size or 0, uploaded_by=_user(by))  # fmt: skip
    _event(c, Event.Kind.DOCUMENT, by, name)
    return doc


# --------------------------------------------------------------------------- drafting


QUESTION_NUMBER = re.compile(r"^\s*(?:(?:question|q)\s*)?\(?\d+[a-z]?(?:[.)]|\s*[:\-–—])?\s+", re.IGNORECASE)


def split_questions(text: str) -> list[str]:
    """Questions pasted in bulk: one a line, or numbered ('1.', '2)', 'Q3:', 'Question 4 –'), in
    which case a numbered question may run over several lines. Blank lines are ignored."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return []
    if (QUESTION_NUMBER.match(lines[0] + " ") and any(QUESTION_NUMBER.match(line + " ") for line in lines[1:])) or (
            len(lines) == 1 and QUESTION_NUMBER.match(lines[0] + " ")):  # fmt: skip
        questions: list[str] = []
        for line in lines:
            if QUESTION_NUMBER.match(line + " "):
                questions.append(QUESTION_NUMBER.sub("", line + " ", count=1).strip())
            elif questions:
                questions[-1] += " " + line
        return [q for q in questions if q]
    return lines


def _active_sections(c: Consultation) -> list[Section]:
    return list(c.sections.filter(removed=False).order_by("position", "pk"))


def _content(c: Consultation, answers: dict[int, str]) -> list[dict[str, Any]]:
    return [{"section": s.pk, "question": s.question, "answer": answers.get(s.pk, "")} for s in _active_sections(c)]


def _new_version(c: Consultation, answers: dict[int, str], *, by: Any, note: str) -> Version:
    number = (c.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = Version.objects.create(consultation=c, number=number, round=c.round, author=_user(by),
                                     note=note[:200], content=_content(c, answers))  # fmt: skip
    _event(c, Event.Kind.VERSION, by, f"Version {number}" + (f": {note}" if note else ""))
    return version


def _begin_change(c: Consultation, *, by: Any) -> None:
    """Before the text changes: a submitted response cannot change; one in review or signed off
    goes back to drafting in a new round that members must review again."""
    if c.status not in EDITABLE:
        raise ValidationError(_("This response has been submitted to government; it can no longer be changed."))
    if c.status in RESTARTS_REVIEW:
        with translation.override(settings.LANGUAGE_CODE):  # the history is written in the Hub's language
            was = str(Stage(c.status).label).lower()
        c.round += 1
        c.status = Stage.DRAFTING
        c.review_deadline = None
        c.signed_off_at = None
        c.signed_off_by = None
        c.signed_off_version = None
        c.positions = {}
        c.override_reason = ""
        c.save()
        _event(c, Event.Kind.NEW_ROUND, by, f"The text changed after it was {was}: round {c.round} starts, and "
                                            "members must review it again.")  # fmt: skip
    elif c.status == Stage.WATCHING:
        c.status = Stage.DRAFTING
        c.save(update_fields=["status"])
        _event(c, Event.Kind.STATUS, by, "Watching → Drafting")


@transaction.atomic
def start_drafting(c: Consultation, *, by: Any) -> Consultation:
    c = _locked(c)
    if c.status != Stage.WATCHING:
        raise ValidationError(_("Drafting has already started."))
    _begin_change(c, by=by)
    return c


@transaction.atomic
def add_questions(c: Consultation, questions: Sequence[str], *, by: Any) -> list[Section]:
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ValidationError(_("Enter at least one question."))
    c = _locked(c)
    _begin_change(c, by=by)
    start = (c.sections.aggregate(p=Max("position"))["p"] or 0) + 1
    added = [Section.objects.create(consultation=c, position=start + i, question=q) for i, q in enumerate(questions)]
    latest = c.latest_version()
    _new_version(c, latest.answers() if latest else {}, by=by,
                 note=f"Added {len(added)} question{'s' if len(added) != 1 else ''}")  # fmt: skip
    _event(c, Event.Kind.QUESTIONS, by, "Added: " + " | ".join(q[:80] for q in questions))
    return added


@transaction.atomic
def remove_question(section: Section, *, by: Any) -> None:
    c = _locked(section.consultation)
    if section.removed:
        return
    _begin_change(c, by=by)
    section.removed = True
    section.save(update_fields=["removed"])
    latest = c.latest_version()
    _new_version(c, latest.answers() if latest else {}, by=by, note="Removed a question")
    _event(c, Event.Kind.QUESTIONS, by, f"Removed: {section.question[:80]}")


class Conflict(ValidationError):
    """Someone else saved the same answer since this editor started."""


@transaction.atomic
def save_draft(c: Consultation, answers: dict[int, str], *, base: int, by: Any, note: str = "") -> Version | None:
    """Save the answers as a new version. `base` is the version the editor started from: answers
    nobody else has changed since are merged; an answer someone else changed too is a Conflict.
    Returns None when nothing changed."""
    c = _locked(c)
    latest = c.latest_version()
    latest_answers = latest.answers() if latest else {}
    base_version = c.versions.filter(number=base).first() if base else None
    base_answers = base_version.answers() if base_version else {}
    active = {s.pk for s in _active_sections(c)}
    changed = {sid: _text(t) for sid, t in answers.items() if sid in active and _text(t) != base_answers.get(sid, "")}
    if latest is not None and latest.number != base:
        clashes = [sid for sid, t in changed.items()
                   if latest_answers.get(sid, "") not in {base_answers.get(sid, ""), t}]  # fmt: skip
        if clashes:
            numbers = [str(i) for i, sid in enumerate(sorted(active, key=_position(c)), start=1) if sid in clashes]
            who = latest.author.display_name if latest.author else _("Someone")
            raise Conflict(_("%(who)s saved version %(number)s at %(time)s and changed the answer to question "
                             "%(questions)s too. Your text is below: compare it with theirs, then save again.")
                           % {"who": who, "number": latest.number, "questions": ", ".join(numbers),
                              "time": f"{timezone.localtime(latest.created_at):%H:%M}"})  # fmt: skip
    changed = {sid: t for sid, t in changed.items() if latest_answers.get(sid, "") != t}
    if not changed:
        return None
    _begin_change(c, by=by)
    return _new_version(c, latest_answers | changed, by=by, note=note.strip())


def _position(c: Consultation) -> Any:
    positions = {s.pk: (s.position, s.pk) for s in c.sections.all()}
    return lambda sid: positions[sid]


@transaction.atomic
def add_evidence(section: Section, *, kind: str, by: Any, indicator: str = "", group: str = KEY_CITIES,
                 claim_id: int | None = None) -> Evidence:  # fmt: skip
    from keycities.claims import queries as claims
    from keycities.network.models import Group
    from keycities.observatory import queries as observatory

    if kind == Evidence.Kind.FIGURE:
        if observatory.indicator(indicator) is None:
            raise ValidationError(_("There is no indicator %(slug)r.") % {"slug": indicator})
        if not Group.objects.filter(slug=group).exists():
            raise ValidationError(_("There is no group %(slug)r.") % {"slug": group})
        found = Evidence(section=section, kind=kind, indicator=indicator, group=group, added_by=_user(by))
    elif kind == Evidence.Kind.CLAIM:
        if claim_id is None or not claims.claims().filter(pk=claim_id).exists():
            raise ValidationError(_("There is no claim %(number)s.") % {"number": claim_id})
        found = Evidence(section=section, kind=kind, claim_id=claim_id, group="", added_by=_user(by))
    else:
        raise ValidationError(_("Choose a figure or a claim."))
    if section.consultation.status not in EDITABLE:
        raise ValidationError(_("This response has been submitted to government; it can no longer be changed."))
    found.save()
    _event(section.consultation, Event.Kind.EVIDENCE, by, f"Added to question {section.position}: {found}")
    return found


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by: Any) -> None:
    c = evidence.section.consultation
    if c.status not in EDITABLE:
        raise ValidationError(_("This response has been submitted to government; it can no longer be changed."))
    _event(c, Event.Kind.EVIDENCE, by, f"Removed from question {evidence.section.position}: {evidence}")
    evidence.delete()


@transaction.atomic
def add_comment(section: Section, text: str, *, by: Any) -> Comment:
    if not text.strip():
        raise ValidationError(_("Enter your comment."))
    c = section.consultation
    comment = Comment.objects.create(section=section, round=c.round, author=_user(by), text=text.strip(),
                                     place_id=getattr(by, "place_id", None))  # fmt: skip
    _event(c, Event.Kind.COMMENT, by, f"On question {section.question[:60]}")
    lead = [e for e in officer_emails([c.lead_place_id]) if e != getattr(by, "email", "")]
    context = {"consultation": c, "comment": comment, "url": absolute(c.get_absolute_url()) + f"#section-{section.pk}"}
    transaction.on_commit(lambda: _mail(lambda: _("New comment on the response to %(title)s") % {"title": c.title},
                                        "comment", context, lead))  # fmt: skip
    return comment


# --------------------------------------------------------------------------- member review


@transaction.atomic
def open_review(c: Consultation, deadline: dt.date, *, by: Any) -> Consultation:
    c = _locked(c)
    if c.status != Stage.DRAFTING:
        raise ValidationError(_("Member review can be opened only on a draft."))
    if c.latest_version() is None or not _active_sections(c):
        raise ValidationError(_("Add the questions and draft the answers before opening member review."))
    if deadline < timezone.localdate():
        raise ValidationError(_("The review deadline must be today or later."))
    c.status = Stage.MEMBER_REVIEW
    c.review_deadline = deadline
    c.save(update_fields=["status", "review_deadline"])
    _event(c, Event.Kind.REVIEW_OPENED, by, f"Round {c.round}; deadline {deadline:%-d %B %Y}.")
    places = member_places()
    context = {"consultation": c, "deadline": deadline, "url": absolute(c.get_absolute_url()),
               "review_url": absolute(c.get_absolute_url() + "review/")}  # fmt: skip
    emails = officer_emails(p.pk for p in places)
    transaction.on_commit(lambda: _mail(lambda: _("For review by %(date)s: Key Cities response to %(title)s")
                                        % {"date": format_date(deadline, "j F"), "title": c.title},
                                        "review_opened", context, emails))  # fmt: skip
    return c


REASON_NEEDED = {Decision.OBJECT: gettext_lazy("Give the reason for objecting."),
                 Decision.ENDORSE_WITH_COMMENTS: gettext_lazy("Enter your place’s comments.")}  # fmt: skip


@transaction.atomic
def record_review(c: Consultation, place: Place, decision: str, text: str = "", *, by: Any) -> Review:
    c = _locked(c)
    if c.status != Stage.MEMBER_REVIEW:
        raise ValidationError(_("The response is not open for member review."))
    if place.pk not in {p.pk for p in member_places()}:
        raise ValidationError(_("%(place)s is not a member of Key Cities.") % {"place": place})
    if decision not in Decision.values:
        raise ValidationError(_("Choose endorse, endorse with comments, abstain or object."))
    if decision in REASON_NEEDED and not text.strip():
        raise ValidationError(REASON_NEEDED[Decision(decision)])
    review, created = Review.objects.update_or_create(
        consultation=c, round=c.round, place=place,
        defaults={"decision": decision, "text": text.strip(), "by": _user(by)})  # fmt: skip
    _event(c, Event.Kind.REVIEW, by, f"{place}: {review.get_decision_display()}" + ("" if created else " (changed)")
           + (f" – {text.strip()}" if text.strip() else ""))  # fmt: skip
    return review


def not_responded(c: Consultation) -> list[Place]:
    done = set(c.reviews.filter(round=c.round).values_list("place_id", flat=True))
    return [p for p in member_places() if p.pk not in done]


@transaction.atomic
def send_reminders(c: Consultation, *, by: Any) -> list[Place]:
    """Email the officers of every member place that has not yet responded. Returns those places."""
    if c.status != Stage.MEMBER_REVIEW:
        raise ValidationError(_("Reminders go only while the response is in member review."))
    places = not_responded(c)
    context = {"consultation": c, "deadline": c.review_deadline,
               "review_url": absolute(c.get_absolute_url() + "review/")}  # fmt: skip
    emails = officer_emails(p.pk for p in places)
    _event(c, Event.Kind.REMINDER, by, "To: " + (", ".join(p.name for p in places) or "nobody: all have responded"))
    subject = lambda: _("Reminder: review the Key Cities response to %(title)s") % {"title": c.title}  # noqa: E731
    transaction.on_commit(lambda: _mail(subject, "reminder", context, emails))
    return places


def current_positions(c: Consultation) -> dict[str, list[str]]:
    """Where each member place (today's members) stands on the current round."""
    decisions = {r.place_id: r.decision for r in c.reviews.filter(round=c.round)}
    positions: dict[str, list[str]] = {key: [] for key in POSITIONS}
    for place in member_places():
        positions[POSITION_OF.get(decisions.get(place.pk, ""), "did_not_respond")].append(place.name)
    return positions


def decisions_seen(c: Consultation) -> str:
    """A fingerprint of the current round's decisions: the sign-off confirmation carries the one it
    showed, so that a decision recorded meanwhile is never signed over unseen."""
    rows = sorted(c.reviews.filter(round=c.round).values_list("place_id", "decision", "text"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


@transaction.atomic
def sign_off(c: Consultation, *, by: Any, version: int, seen: str | None = None,
             override_reason: str = "") -> Consultation:  # fmt: skip
    """Sign off `version` (the one the secretariat confirmed) and close the round's review. Every member
    place's position is frozen with it. While a member place objects, the response is signed off only
    with the secretariat's reason for overriding the objection, and the public pages say who objected."""
    c = _locked(c)
    if c.status != Stage.MEMBER_REVIEW:
        raise ValidationError(_("Only a response in member review can be signed off."))
    latest = c.latest_version()
    if latest is None or latest.number != version:
        raise ValidationError(_("The text has changed since you checked it: version %(number)s is the newest. Check it "
                                "again before signing off.") % {"number": latest.number if latest else 0})  # fmt: skip
    if seen is not None and seen != decisions_seen(c):
        raise ValidationError(_("A member place has recorded or changed its decision since you checked. Check the "
                                "decisions again before signing off."))  # fmt: skip
    positions = current_positions(c)
    objected, reason = positions["objected"], override_reason.strip()
    if objected and not reason:
        raise ValidationError({"override_reason": ngettext(
            "%(places)s objects to this response, so it cannot be signed off as agreed. Give the reason the "
            "secretariat signs it off despite the objection, or ask the lead place to revise it",
            "%(places)s object to this response, so it cannot be signed off as agreed. Give the reason the "
            "secretariat signs it off despite the objection, or ask the lead place to revise it",
            len(objected)) % {"places": presenters.names(objected)}})  # fmt: skip
    c.status = Stage.SIGNED_OFF
    c.signed_off_at = timezone.now()
    c.signed_off_by = _user(by)
    c.signed_off_version = latest
    c.positions = positions
    c.override_reason = reason if objected else ""
    c.save()
    note = (f"Version {latest.number} signed off; the text is frozen. Review round {c.round} closed: "
            f"{presenters.positions_summary(positions)}.")  # fmt: skip
    if objected:
        note += f" Signed off despite the objection of {presenters.names(objected)}: {reason}"
    _event(c, Event.Kind.SIGNED_OFF, by, note)
    context = {"consultation": c, "url": absolute(c.get_absolute_url()), "positions": positions,
               "summary": presenters.positions_summary(positions), "objected": presenters.names(objected),
               "reason": c.override_reason}  # fmt: skip
    objecting = [p.pk for p in member_places() if p.name in objected]
    emails = sorted(set(officer_emails([c.lead_place_id, *objecting])))
    subject = lambda: _("Signed off: Key Cities response to %(title)s") % {"title": c.title}  # noqa: E731
    transaction.on_commit(lambda: _mail(subject, "signed_off", context, emails))
    return c


@transaction.atomic
def mark_submitted(c: Consultation, on: dt.date, *, by: Any) -> Consultation:
    c = _locked(c)
    if c.status != Stage.SIGNED_OFF:
        raise ValidationError(_("Only a signed-off response can be recorded as submitted."))
    if on > timezone.localdate():
        raise ValidationError(_("The date submitted cannot be in the future."))
    c.status = Stage.SUBMITTED
    c.submitted_on = on
    c.save(update_fields=["status", "submitted_on"])
    _event(c, Event.Kind.SUBMITTED, by, f"Submitted on {on:%-d %B %Y}; published in the archive.")
    return c


@transaction.atomic
def record_government_response(c: Consultation, url: str, on: dt.date, *, by: Any) -> Consultation:
    c = _locked(c)
    if c.status not in {Stage.SUBMITTED, Stage.GOVERNMENT_RESPONSE}:
        raise ValidationError(_("Record the government’s response once ours has been submitted."))
    URLValidator(schemes=["http", "https"])(url)
    c.status = Stage.GOVERNMENT_RESPONSE
    c.government_response_url = url
    c.government_response_on = on
    c.save(update_fields=["status", "government_response_url", "government_response_on"])
    _event(c, Event.Kind.GOVERNMENT_RESPONSE, by, f"Published {on:%-d %B %Y}: {url}")
    return c


# --------------------------------------------------------------------------- asks


@transaction.atomic
def add_ask(c: Consultation, text: str, department: str, work_area: WorkArea | None, *, by: Any) -> Ask:
    if not text.strip():
        raise ValidationError(_("Enter the ask."))
    if not department.strip():
        raise ValidationError(_("Enter the department the ask is of."))
    position = (c.asks.aggregate(p=Max("position"))["p"] or 0) + 1
    ask = Ask.objects.create(consultation=c, position=position, text=text.strip(), department=department.strip(),
                             work_area=work_area)  # fmt: skip
    _event(c, Event.Kind.ASK, by, f"{ask.department}: {ask.text[:100]}")
    return ask


@transaction.atomic
def update_ask(ask: Ask, status: str, on: dt.date, evidence: str = "", *, by: Any) -> AskUpdate:
    if status not in AskStatus.values:
        raise ValidationError(_("Choose a status."))
    if status != AskStatus.NO_REPLY and not evidence.strip():
        raise ValidationError(_("Give the evidence for the status: a link or a quotation."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    ask.status, ask.status_on, ask.evidence = status, on, evidence.strip()
    ask.save(update_fields=["status", "status_on", "evidence"])
    update = AskUpdate.objects.create(ask=ask, status=status, on=on, evidence=evidence.strip(), by=_user(by))
    _event(ask.consultation, Event.Kind.ASK_STATUS, by, f"{ask.text[:60]}: {ask.get_status_display()}")
    return update


# --------------------------------------------------------------------------- scheduled emails


@dataclass
class Digest:
    place: Place
    consultations: list[Consultation]
    to: list[str]


def deadline_digests(today: dt.date, days: int) -> list[Digest]:
    """Per lead place: its consultations closing within `days` days whose response is not yet submitted."""
    due = (Consultation.objects.filter(closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=days))
           .exclude(status__in=[Stage.SUBMITTED, Stage.GOVERNMENT_RESPONSE]).select_related("lead_place")
           .order_by("closes_on", "title"))  # fmt: skip
    by_place: dict[int, Digest] = {}
    for c in due:
        digest = by_place.setdefault(c.lead_place_id, Digest(c.lead_place, [], []))
        digest.consultations.append(c)
    for digest in by_place.values():
        digest.to = officer_emails([digest.place.pk])
    return sorted(by_place.values(), key=lambda d: d.place.name)


def send_deadline_digest(today: dt.date | None = None, days: int = 14) -> list[Digest]:
    """Email each lead place's officers the consultations they lead that close soon (run daily)."""
    today = today or timezone.localdate()
    digests = deadline_digests(today, days)
    for d in digests:
        rows = [{"consultation": c, "days_left": (c.closes_on - today).days,
                 "url": absolute(c.get_absolute_url())} for c in d.consultations]  # fmt: skip

        def subject(place: str = d.place.name) -> str:
            return _("Key Cities consultations closing in the next %(days)s days (%(place)s)") % {
                "days": days,
                "place": place,
            }

        _mail(subject, "digest", {"place": d.place, "rows": rows, "days": days}, d.to)
    return digests


def send_due_reminders(today: dt.date | None = None, within: int = 3) -> dict[Consultation, list[Place]]:
    """Remind places that have not reviewed responses whose review deadline is within `within` days."""
    today = today or timezone.localdate()
    sent: dict[Consultation, list[Place]] = {}
    for c in Consultation.objects.filter(status=Stage.MEMBER_REVIEW, review_deadline__gte=today,
                                         review_deadline__lte=today + dt.timedelta(days=within)):  # fmt: skip
        with transaction.atomic():
            sent[c] = send_reminders(c, by=None)
    return sent

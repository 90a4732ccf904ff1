"""Writes for residents' voice; each public function is one transaction (django-auditlog records the changes to
surveys, questions, options and themes, and that a response was made, never what it says).

Population: `import_population` loads the Census cells of every member place (extract and validate in
`population.py`; a changed file or membership replaces the set in one transaction; an unchanged one is skipped).

Responses: `start_response` (one per browser unless the survey allows more, checked under the survey's row
lock), `save_answer`, `submit`. Personal data: a response's free text, postcode district, ward, the email a resident
gave to get their link, and the browser and link hashes. `erase_for_person` (registered with core.erasure)
deletes the responses of a person who asks, by the email they gave, and redacts them from any other answer;
`erase_expired` anonymises responses `retention_days` after their survey closed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keycities.core import erasure
from keycities.core.bilingual import localised_text
from keycities.core.erasure import ERASED
from keycities.network.models import Place, WorkArea
from keycities.network.queries import member_place_ids

from . import population, wards
from .models import (
    PREFER_NOT,
    AgeBand,
    Answer,
    Option,
    PopulationCell,
    PopulationSource,
    Question,
    Response,
    Sex,
    Survey,
    Theme,
    hash_token,
    new_token,
)

CENSUS_DAY = dt.date(2021, 3, 21)
POSTCODE_DISTRICT = re.compile(r"^(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)$")


# --------------------------------------------------------------------------- population


def population_codes() -> dict[int, list[str]]:
    """Each member place's local authorities in England and Wales on Census Day."""
    out: dict[int, list[str]] = {}
    for place in Place.objects.filter(pk__in=member_place_ids()).prefetch_related("areas"):
        codes = [a.area_code for a in place.areas_on(CENSUS_DAY) if a.area_code[0] in "EW"]
        if codes:
            out[place.pk] = sorted(codes)
    return out


def import_population() -> tuple[bool, int]:
    """Load the population cells of every member place. Returns (loaded, cells): (False, n) when the files and
    the member places are unchanged since the last load. A bad file raises DataFileError and changes nothing."""
    codes = population_codes()
    digest = hashlib.sha256((population.checksum() + repr(sorted(codes.items()))).encode()).hexdigest()
    if PopulationSource.objects.filter(checksum=digest).exists():
        return False, PopulationCell.objects.filter(source__checksum=digest).count()
    found = population.cells({c for cs in codes.values() for c in cs})  # validates every file before any write
    by_area: dict[tuple[str, str, str], int] = {(c.area_code, c.age_band, c.sex): c.count for c in found}
    with transaction.atomic():
        PopulationSource.objects.all().delete()
        source = PopulationSource.objects.create(checksum=digest, description=population.DESCRIPTION)
        rows = [
            PopulationCell(source=source, place_id=place_id, age_band=band, sex=sex,
                           count=sum(by_area[(code, band, sex)] for code in place_codes))
            for place_id, place_codes in codes.items() for band in AgeBand.values for sex in Sex.values
        ]  # fmt: skip
        PopulationCell.objects.bulk_create(rows)
    return True, len(rows)


def population_of(place_id: int) -> dict[tuple[str, str], int]:
    """(age band, sex) -> usual residents of the place, from the current load ({} if none)."""
    return {(c.age_band, c.sex): c.count for c in PopulationCell.objects.filter(place_id=place_id)}


# --------------------------------------------------------------------------- building surveys


@dataclass
class SurveyData:
    slug: str
    title: str
    title_cy: str
    introduction: str
    introduction_cy: str
    privacy_notice: str
    privacy_notice_cy: str
    opens_on: dt.date
    closes_on: dt.date
    places: Sequence[Place]
    work_areas: Sequence[WorkArea] = ()
    allow_repeat: bool = False
    retention_days: int = 365


def _check_dates(data: SurveyData) -> None:
    if data.closes_on < data.opens_on:
        raise ValidationError({"closes_on": _("The closing date must be on or after the opening date.")})
    if not data.places:
        raise ValidationError({"places": _("Choose at least one member place.")})


@transaction.atomic
def create_survey(data: SurveyData, *, by: Any = None) -> Survey:
    _check_dates(data)
    if Survey.objects.filter(slug=data.slug).exists():
        raise ValidationError({"slug": _("A survey already has this address.")})
    survey = Survey.objects.create(
        slug=data.slug, title=data.title, title_cy=data.title_cy, introduction=data.introduction,
        introduction_cy=data.introduction_cy, privacy_notice=data.privacy_notice,
        privacy_notice_cy=data.privacy_notice_cy, opens_on=data.opens_on, closes_on=data.closes_on,
        allow_repeat=data.allow_repeat, retention_days=data.retention_days,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )  # fmt: skip
    survey.places.set(data.places)
    survey.work_areas.set(data.work_areas)
    return survey


@transaction.atomic
def update_survey(survey: Survey, data: SurveyData) -> Survey:
    _check_dates(data)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    for name in ("title", "title_cy", "introduction", "introduction_cy", "privacy_notice", "privacy_notice_cy",
                 "opens_on", "closes_on", "allow_repeat", "retention_days"):  # fmt: skip
        setattr(survey, name, getattr(data, name))
    if survey.results_public and not survey.is_closed():
        survey.results_public = False  # reopened: its results are no longer final, nor public (nor in the library)
    survey.save()
    survey.places.set(data.places)
    survey.work_areas.set(data.work_areas)
    return survey


@dataclass
class QuestionData:
    kind: str
    text: str
    text_cy: str
    hint: str = ""
    hint_cy: str = ""
    required: bool = False
    options: Sequence[tuple[str, str]] = ()  # (English, Welsh), for single, multiple and ranking
    scale_points: int = 5
    low_label: str = ""
    low_label_cy: str = ""
    high_label: str = ""
    high_label_cy: str = ""


OPTION_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING}


def questions_locked(survey: Survey) -> str | None:
    """Why the survey's questions cannot change now, or None: they can change until the first resident starts
    a response (a draft, a launched survey not yet open, or an open one nobody has started), and never once it
    has closed. Answers point at questions and options, so changing them under a response would change what
    someone said."""
    started = survey.responses.count()
    if started:
        return ngettext("The questions cannot change: %(n)s resident has started answering this survey.",
                        "The questions cannot change: %(n)s residents have started answering this survey.",
                        started) % {"n": started}  # fmt: skip
    if survey.is_closed():
        return _("The questions cannot change: the survey has closed.")
    return None


def _lock_for_questions(survey: Survey) -> Survey:
    """The survey's row, locked (start_response takes the same lock, so no response starts while questions
    change), or ValidationError if its questions cannot change."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    reason = questions_locked(survey)
    if reason:
        raise ValidationError(reason)
    return survey


def changed_since_shown() -> str:
    return _("The questions have changed since the page was shown: check them and try again.")


def _as_seen(survey: Survey, question: Question, seen: int | None = None) -> Question:
    """The question's row, locked, or ValidationError if it has gone or (`seen`: the position the page showed it
    at) moved since: a change sent twice (a double click) or from a page another change has made stale is
    refused rather than applied to whichever question is there now (docs/adr/0022-concurrency.md)."""
    current = survey.questions.select_for_update().filter(pk=question.pk).first()
    if current is None or (seen is not None and current.position != seen):
        raise ValidationError(changed_since_shown())
    return current


def _check_question(survey: Survey, data: QuestionData, *, editing: Question | None = None) -> None:
    if data.kind in OPTION_KINDS and len(data.options) < 2:
        raise ValidationError({"options": _("Give at least two options, each in English and Welsh.")})
    if any(not en.strip() or not cy.strip() for en, cy in data.options):
        raise ValidationError({"options": _("Give every option in English and in Welsh.")})
    if data.kind == Question.Kind.SCALE and not 2 <= data.scale_points <= 11:
        raise ValidationError({"scale_points": _("A scale has from 2 to 11 points.")})
    others = survey.questions.exclude(pk=editing.pk) if editing else survey.questions.all()
    if data.kind in DEMOGRAPHIC and others.filter(kind=data.kind).exists():
        raise ValidationError({"kind": _("The survey already asks this.")})


def _fields(data: QuestionData) -> dict[str, Any]:
    if data.kind in DEMOGRAPHIC_TEXT and not (data.text.strip() and data.text_cy.strip()):
        data.text, data.text_cy = DEMOGRAPHIC_TEXT[Question.Kind(data.kind)]
    return {"kind": data.kind, "text": data.text, "text_cy": data.text_cy, "hint": data.hint, "hint_cy": data.hint_cy,
            "required": data.required and data.kind not in DEMOGRAPHIC, "scale_points": data.scale_points,
            "low_label": data.low_label, "low_label_cy": data.low_label_cy, "high_label": data.high_label,
            "high_label_cy": data.high_label_cy}  # fmt: skip


@transaction.atomic
def add_question(survey: Survey, data: QuestionData, *, seen: int | None = None) -> Question:
    """Add a question at the end. `seen`: how many questions the page showed; when the survey has another number
    by now (the same question sent twice by a double click, or another change), it is refused, not added again."""
    survey = _lock_for_questions(survey)
    if seen is not None and survey.questions.count() != seen:
        raise ValidationError(changed_since_shown())
    _check_question(survey, data)
    position = (survey.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    question = Question.objects.create(survey=survey, position=position, **_fields(data))
    if data.kind in OPTION_KINDS:
        for i, (en, cy) in enumerate(data.options, start=1):  # one save each, so each is audited
            Option.objects.create(question=question, position=i, text=en.strip(), text_cy=cy.strip())
    return question


@transaction.atomic
def update_question(question: Question, data: QuestionData) -> Question:
    """Change a question's wording, options or settings (not its type: remove it and add another). Options are
    changed in place, position by position; options beyond the new list are removed. Each save is audited."""
    survey = _lock_for_questions(question.survey)
    question = _as_seen(survey, question)
    if data.kind != question.kind:
        raise ValidationError({"kind": _("A question’s type cannot change: remove it and add a new one.")})
    _check_question(question.survey, data, editing=question)
    for name, value in _fields(data).items():
        setattr(question, name, value)
    question.save()
    pairs = list(data.options) if data.kind in OPTION_KINDS else []
    existing = list(question.options.order_by("position"))
    for i, (en, cy) in enumerate(pairs, start=1):
        if i <= len(existing):
            option = existing[i - 1]
            if (option.text, option.text_cy) != (en.strip(), cy.strip()):
                option.text, option.text_cy = en.strip(), cy.strip()
                option.save()
        else:
            Option.objects.create(question=question, position=i, text=en.strip(), text_cy=cy.strip())
    for option in existing[len(pairs) :]:
        option.delete()
    return question


@transaction.atomic
def move_question(question: Question, step: int, *, seen: int | None = None) -> Question:
    """Move a question up (step -1) or down (+1) by swapping it with its neighbour (`seen`: the position the page
    showed it at)."""
    survey = _lock_for_questions(question.survey)
    question = _as_seen(survey, question, seen)
    ordered = list(survey.questions.select_for_update().order_by("position"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index + step
    if not 0 <= other < len(ordered):
        raise ValidationError(_("The question is already first.") if step < 0 else _("The question is already last."))
    mine, theirs = ordered[index], ordered[other]
    a, b = mine.position, theirs.position
    mine.position = 0  # out of the way of the unique (survey, position) while they swap
    mine.save(update_fields=["position"])
    theirs.position = a
    theirs.save(update_fields=["position"])
    mine.position = b
    mine.save(update_fields=["position"])
    return mine


@transaction.atomic
def remove_question(question: Question, *, seen: int | None = None) -> None:
    """Delete a question (and its options) and close the gap in the numbering (`seen`: the position the page
    showed it at)."""
    survey = _lock_for_questions(question.survey)
    question = _as_seen(survey, question, seen)
    gone = question.position
    question.delete()
    for later in survey.questions.select_for_update().filter(position__gt=gone).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])


DEMOGRAPHIC = {Question.Kind.AGE, Question.Kind.SEX, Question.Kind.POSTCODE, Question.Kind.WARD}
# The wording of the demographic questions when staff leave it blank (the Census 2021 questions, shortened).
DEMOGRAPHIC_TEXT = {
    Question.Kind.AGE: ("What is your age?", "Beth yw eich oed?"),
    Question.Kind.SEX: ("What is your sex?", "Beth yw eich rhyw?"),
    Question.Kind.POSTCODE: ("What is the first part of your postcode?", "Beth yw rhan gyntaf eich cod post?"),
    Question.Kind.WARD: ("Which ward do you live in?", "Ym mha ward ydych chi’n byw?"),
}


@transaction.atomic
def launch(survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before launching the survey."))
    survey.status = Survey.Status.LIVE
    survey.save(update_fields=["status"])
    return survey


@transaction.atomic
def publish_results(survey: Survey, public: bool) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if public and not survey.is_closed():
        raise ValidationError(_("Results can be published once the survey has closed."))
    survey.results_public = public
    survey.save(update_fields=["results_public"])
    return survey


# --------------------------------------------------------------------------- responses


class AlreadyAnswered(Exception):
    """This browser has sent a response to a survey that allows one per browser."""


def browser_hash(browser_id: str, survey: Survey) -> str:
    return hashlib.sha256(f"{survey.slug}:{browser_id}".encode()).hexdigest() if browser_id else ""


@transaction.atomic
def start_response(survey: Survey, place: Place, *, browser: str = "", language: str = "en") -> tuple[Response, str]:
    """A new response (not yet sent) and the token of its private link."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_open():
        raise ValidationError(_("This survey is not open."))
    if not survey.places.filter(pk=place.pk).exists():
        raise ValidationError({"place": _("Choose one of the places this survey is for.")})
    key = browser_hash(browser, survey)
    if key and not survey.allow_repeat and survey.responses.filter(browser_hash=key, submitted_at__isnull=False
                                                                   ).exists():  # fmt: skip
        raise AlreadyAnswered
    token, token_hash = new_token()
    response = Response.objects.create(survey=survey, place=place, token_hash=token_hash, browser_hash=key,
                                       language="cy" if language.startswith("cy") else "en")  # fmt: skip
    return response, token


def response_by_token(token: str) -> Response | None:
    return Response.objects.select_related("survey", "place").filter(token_hash=hash_token(token)).first()


def normalise_postcode_district(value: str) -> str:
    """'cv1 ' -> 'CV1'; a full postcode is cut to its district; ValidationError if it is not a district."""
    text = re.sub(r"\s+", " ", value.strip().upper())
    district = text.split(" ")[0] if " " in text else text
    if len(district) > 4 or not POSTCODE_DISTRICT.match(district):
        raise ValidationError(_("Enter the first part of your postcode, like CV1 or SA12"))
    return district


@transaction.atomic
def save_answer(response: Response, question: Question, *, options: Sequence[int] = (), scale: int | None = None,
                text: str = "", choice: str = "") -> Answer | None:  # fmt: skip
    """Keep (or replace) one answer; an empty answer removes it. `choice` is a demographic category."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.submitted_at is not None:
        raise ValidationError(_("This response has been sent already."))
    if question.survey_id != response.survey_id:
        raise ValidationError(_("That question is not in this survey."))
    valid = set(question.options.values_list("pk", flat=True))
    if any(o not in valid for o in options):
        raise ValidationError(_("Choose from the options given."))
    if question.kind == Question.Kind.AGE:
        if choice and choice not in {*AgeBand.values, PREFER_NOT}:
            raise ValidationError(_("Choose from the options given."))
        response.age_band = choice
    elif question.kind == Question.Kind.SEX:
        if choice and choice not in {*Sex.values, PREFER_NOT}:
            raise ValidationError(_("Choose from the options given."))
        response.sex = choice
    elif question.kind == Question.Kind.POSTCODE:
        response.postcode_district = normalise_postcode_district(text) if text.strip() else ""
        text = ""
    elif question.kind == Question.Kind.WARD:
        if choice and choice != PREFER_NOT and choice not in {w.code for w in wards.wards_of(response.place_id)}:
            raise ValidationError(_("Choose a ward in %(place)s from the list.") % {
                "place": localised_text(response.place, "name")})  # fmt: skip
        response.ward = choice
    if question.kind in DEMOGRAPHIC:
        response.save(update_fields=["age_band", "sex", "postcode_district", "ward"])
        Answer.objects.filter(response=response, question=question).delete()
        return None
    empty = not options and scale is None and not text.strip()
    if empty:
        Answer.objects.filter(response=response, question=question).delete()
        return None
    answer, _created = Answer.objects.update_or_create(
        response=response, question=question,
        defaults={"options": list(options), "scale": scale, "text": text.strip(), "embedding": [], "theme": None},
    )  # fmt: skip
    return answer


@transaction.atomic
def remember_email(response: Response, email: str) -> Response:
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.email = email.strip()
    response.save(update_fields=["email"])
    return response


@transaction.atomic
def submit(response: Response) -> Response:
    """Send the response: once (sending it again changes nothing), and once per browser unless allowed."""
    survey = Survey.objects.select_for_update().get(pk=response.survey_id)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.submitted_at is not None:
        return response
    if not survey.is_open():
        raise ValidationError(_("This survey has closed."))
    missing = [q.text for q in survey.questions.filter(required=True) if not response.answers.filter(question=q)
               .exists()]  # fmt: skip
    if missing:
        raise ValidationError(_("Answer every question marked as required."))
    if (
        response.browser_hash
        and not survey.allow_repeat
        and survey.responses.filter(browser_hash=response.browser_hash, submitted_at__isnull=False).exists()
    ):
        raise AlreadyAnswered
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at"])
    return response


# --------------------------------------------------------------------------- personal data


def _theirs(person: erasure.Person) -> Any:
    return Response.objects.filter(email__iexact=person.email) if person.email else Response.objects.none()


def find_person(person: erasure.Person) -> None:
    for response in _theirs(person):
        person.rows.append(response)


def erase_for_person(person: erasure.Person, by: Any) -> int:
    """Delete the person's responses (found by the email they gave for their link), and redact their email and
    names from any other free-text answer and from theme labels."""
    count = 0
    with disable_auditlog():
        for response in _theirs(person).select_for_update():
            response.delete()
            count += 1
        needles = person.needles
        for answer in Answer.objects.filter(erasure.contains_any(["text"], needles)):
            answer.text = erasure.redact(answer.text, needles)
            answer.embedding = []
            answer.save(update_fields=["text", "embedding"])
        limit = Theme._meta.get_field("label").max_length or 120
        for theme in Theme.objects.filter(erasure.contains_any(["label", "label_cy"], needles)):
            # Staff name themes, and labels are made of the answers' words: a name in one goes too.
            theme.label = erasure.redact(theme.label, needles)[:limit]
            theme.label_cy = erasure.redact(theme.label_cy, needles)[:limit]
            theme.save(update_fields=["label", "label_cy"])
    return count


def export_for_person(person: erasure.Person) -> dict[str, Any]:
    return {"survey_responses": [{
        "survey": r.survey.title, "place": r.place.name, "started_at": r.started_at.isoformat(),
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None, "age_band": r.age_band,
        "sex": r.sex, "postcode_district": r.postcode_district, "ward": r.ward,
        "answers": [{"question": a.question.text, "options": [o.text for o in a.question.options.all()
                                                             if o.pk in a.options],
                     "scale": a.scale, "text": a.text} for a in r.answers.select_related("question")],
    } for r in _theirs(person).select_related("survey", "place")]}  # fmt: skip


@transaction.atomic
def erase_expired(today: dt.date | None = None) -> int:
    """Anonymise the responses of surveys closed more than their retention period ago: free text, postcode
    district, ward, email and the browser's and link's hashes go; the choices, age band and sex stay for the
    results."""
    today = today or timezone.localdate()
    count = 0
    for survey in Survey.objects.select_for_update().filter(retention_done=False, status=Survey.Status.LIVE):
        if survey.closes_on + dt.timedelta(days=survey.retention_days) >= today:
            continue
        with disable_auditlog():
            responses = Response.objects.filter(survey=survey)
            Answer.objects.filter(response__in=responses).exclude(text="").update(text=ERASED, embedding=[])
            for response in responses:
                response.email, response.postcode_district, response.browser_hash = "", "", ""
                response.ward = ""
                response.token_hash = new_token()[1]
                response.save(update_fields=["email", "postcode_district", "ward", "browser_hash", "token_hash"])
                count += 1
        survey.retention_done = True
        survey.save(update_fields=["retention_done"])
    return count


def submitted(survey: Survey) -> Any:
    return Response.objects.filter(survey=survey, submitted_at__isnull=False)

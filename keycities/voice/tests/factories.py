"""Surveys for the tests and the access table (not a fixture module: importing it has no side effects)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from keycities.network.models import Place
from keycities.voice import services
from keycities.voice.models import Question, Response, Survey


def make_survey(slug: str = "town-centres", places: tuple[str, ...] = ("bradford", "coventry"), *,
                launched: bool = True, closed: bool = False, public: bool = False, **extra: Any) -> Survey:  # fmt: skip
    today = timezone.localdate()
    opens, closes = (today - dt.timedelta(days=40), today - dt.timedelta(days=1)) if closed else (
        today - dt.timedelta(days=1), today + dt.timedelta(days=30))  # fmt: skip
    survey = services.create_survey(services.SurveyData(
        slug=slug, title="Our town centres", title_cy="Canol ein trefi", introduction="Tell us about town centres.",
        introduction_cy="Dywedwch wrthym am ganol trefi.", privacy_notice="We use your answers for research.",
        privacy_notice_cy="Rydym yn defnyddio eich atebion ar gyfer ymchwil.", opens_on=opens, closes_on=closes,
        places=list(Place.objects.filter(slug__in=places)), **extra))  # fmt: skip
    services.add_question(survey, services.QuestionData(
        kind=Question.Kind.SINGLE, text="How often do you visit the town centre?",
        text_cy="Pa mor aml ydych chi'n ymweld â chanol y dref?", required=True,
        options=[("Every week", "Bob wythnos"), ("Every month", "Bob mis"), ("Rarely", "Anaml")]))  # fmt: skip
    services.add_question(survey, services.QuestionData(
        kind=Question.Kind.MULTIPLE, text="What would bring you more often?",
        text_cy="Beth fyddai'n dod â chi'n amlach?",
        options=[("Parking", "Parcio"), ("Shops", "Siopau"), ("Events", "Digwyddiadau")]))  # fmt: skip
    services.add_question(survey, services.QuestionData(
        kind=Question.Kind.SCALE, text="How safe do you feel there?", text_cy="Pa mor ddiogel ydych chi'n teimlo yno?",
        low_label="Not at all", low_label_cy="Dim o gwbl", high_label="Very", high_label_cy="Iawn"))  # fmt: skip
    services.add_question(survey, services.QuestionData(
        kind=Question.Kind.RANKING, text="Rank these priorities", text_cy="Rhowch y blaenoriaethau hyn mewn trefn",
        options=[("Cleanliness", "Glendid"), ("Safety", "Diogelwch"), ("Transport", "Trafnidiaeth")]))  # fmt: skip
    services.add_question(survey, services.QuestionData(
        kind=Question.Kind.TEXT, text="Anything else?", text_cy="Unrhyw beth arall?"))  # fmt: skip
    for kind in (Question.Kind.AGE, Question.Kind.SEX, Question.Kind.POSTCODE):
        services.add_question(survey, services.QuestionData(kind=kind, text="", text_cy=""))
    if launched:
        survey = services.launch(survey)
    if public:
        services.publish_results(survey, True)
        survey.refresh_from_db()
    return survey


def answer(survey: Survey, place: str, *, age: str = "", sex: str = "", visit: int = 0, text: str = "",
           email: str = "", browser: str = "") -> Response:  # fmt: skip
    """One response, sent, straight through the services (the survey must be open)."""
    questions = {q.kind: q for q in survey.questions.prefetch_related("options")}
    response, _token = services.start_response(survey, Place.objects.get(slug=place), browser=browser)
    single = questions[Question.Kind.SINGLE]
    services.save_answer(response, single, options=[list(single.options.all())[visit].pk])
    if age:
        services.save_answer(response, questions[Question.Kind.AGE], choice=age)
    if sex:
        services.save_answer(response, questions[Question.Kind.SEX], choice=sex)
    if text:
        services.save_answer(response, questions[Question.Kind.TEXT], text=text)
    if email:
        services.remember_email(response, email)
    return services.submit(response)


def close(survey: Survey) -> Survey:
    """Move a survey's dates so that it has closed (answers are sent while it is open)."""
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(opens_on=today - dt.timedelta(days=40),
                                               closes_on=today - dt.timedelta(days=1))  # fmt: skip
    survey.refresh_from_db()
    return survey

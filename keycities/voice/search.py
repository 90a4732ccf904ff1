"""Published survey results in the Hub's search and the publications library (registered in apps.py with
core.search, as consultation responses and issued briefings are). A survey appears, as research, when staff
publish the results of a closed survey (`policy.published_surveys`) and leaves when they unpublish them; nothing
is copied. Only the survey's own words go in: its title and introduction in English and Welsh and its questions,
never an answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from keycities.core.search import Doc, Source, register

from .models import Question, Survey


def is_published(survey: Survey) -> bool:
    return survey.results_public and survey.is_closed()


def survey_doc(survey: Survey) -> Doc | None:
    if not is_published(survey):
        return None
    questions = " ".join(f"{q.text} {q.text_cy}" for q in survey.questions.all())
    body = f"{survey.title_cy}\n{survey.introduction_cy}\n{survey.introduction}\n{questions}"
    return Doc(key=str(survey.pk), title=survey.title, body=body, summary=survey.introduction[:300],
               url=survey.get_results_url(), date=survey.closes_on, places=tuple(p.slug for p in survey.places.all()),
               work_areas=tuple(w.slug for w in survey.work_areas.all()), kind="research")  # fmt: skip


def _survey_of(question: Question) -> list[Survey]:
    return [question.survey]


def register_sources() -> None:
    register(Source("survey", _("Survey results"), Survey, survey_doc,
                    lambda: Survey.objects.prefetch_related("places", "work_areas", "questions"), library=True,
                    order=58, related=((Question, _survey_of),)))  # fmt: skip

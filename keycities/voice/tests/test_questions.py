"""Staff add, change, reorder and remove questions until the first resident starts answering, never after (with
the reason), and every change is in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from keycities.accounts.models import User
from keycities.network.models import Place
from keycities.voice import services
from keycities.voice.models import Option, Question

from .factories import close, make_survey

pytestmark = pytest.mark.django_db


def texts(survey: Any) -> list[str]:
    return list(survey.questions.order_by("position").values_list("text", flat=True))


def logged(model: Any, action: int) -> int:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), action=action).count()


@pytest.fixture
def launched(registry: None) -> Any:
    """Launched and open, nobody has started yet: the questions can still change."""
    return make_survey()


def test_change_reorder_and_remove_before_anyone_answers(launched: Any) -> None:
    first = launched.questions.get(position=1)
    before = logged(Option, LogEntry.Action.DELETE), logged(Question, LogEntry.Action.UPDATE)
    services.update_question(first, services.QuestionData(
        kind=Question.Kind.SINGLE, text="How often do you go into town?",
        text_cy="Pa mor aml ydych chi'n mynd i'r dref?", required=True,
        options=[("Weekly", "Yn wythnosol"), ("Monthly", "Yn fisol")]))  # fmt: skip
    first.refresh_from_db()
    assert first.text == "How often do you go into town?"
    assert list(first.options.values_list("position", "text", "text_cy")) == [(1, "Weekly", "Yn wythnosol"),
                                                                              (2, "Monthly", "Yn fisol")]  # fmt: skip
    assert logged(Option, LogEntry.Action.DELETE) == before[0] + 1  # "Rarely" went
    assert logged(Question, LogEntry.Action.UPDATE) == before[1] + 1
    services.move_question(launched.questions.get(position=2), -1)
    assert texts(launched)[:3] == ["What would bring you more often?", "How often do you go into town?",
                                   "How safe do you feel there?"]  # fmt: skip
    services.remove_question(launched.questions.get(position=1))
    assert texts(launched)[:2] == ["How often do you go into town?", "How safe do you feel there?"]
    assert list(launched.questions.values_list("position", flat=True)) == list(range(1, 8))
    deleted = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Question),
                                      action=LogEntry.Action.DELETE).get()  # fmt: skip
    assert deleted.object_repr == "What would bring you more often?"
    with pytest.raises(ValidationError, match="already first"):
        services.move_question(launched.questions.get(position=1), -1)
    with pytest.raises(ValidationError, match="type cannot change"):
        services.update_question(launched.questions.get(position=1), services.QuestionData(
            kind=Question.Kind.TEXT, text="x", text_cy="y"))  # fmt: skip


def test_no_change_once_a_resident_has_started(launched: Any) -> None:
    services.start_response(launched, Place.objects.get(slug="bradford"))
    first = launched.questions.get(position=1)
    reason = "The questions cannot change: 1 resident has started answering this survey."
    assert services.questions_locked(launched) == reason
    for change in (
        lambda: services.update_question(first, services.QuestionData(kind="single", text="a", text_cy="b",
                                                                       options=[("A", "A"), ("B", "B")])),
        lambda: services.move_question(first, 1),
        lambda: services.remove_question(first),
        lambda: services.add_question(launched, services.QuestionData(kind="text", text="a", text_cy="b")),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            change()
        assert caught.value.messages == [reason]
    assert texts(launched)[0] == "How often do you visit the town centre?" and launched.questions.count() == 8


def test_a_closed_survey_without_responses_is_fixed_too(launched: Any) -> None:
    assert services.questions_locked(close(launched)) == "The questions cannot change: the survey has closed."


def test_the_pages(launched: Any, secretariat: User, client: Client) -> None:
    client.force_login(secretariat)
    url = reverse("voice:question-edit", args=[launched.slug, 3])
    page = client.get(url).content.decode()
    assert 'value="How safe do you feel there?"' in page and 'name="kind" value="scale"' in page
    third = str(launched.questions.get(position=3).pk)  # the page sends the question it shows
    reply = client.post(url, {"kind": "scale", "text": "How safe is it?", "text_cy": "Pa mor ddiogel yw hi?",
                              "scale_points": "7", "question_id": third})  # fmt: skip
    assert reply.status_code == 302
    changed = launched.questions.get(position=3)
    assert (changed.text, changed.scale_points) == ("How safe is it?", 7)
    reply = client.post(url, {"kind": "scale", "text": "", "text_cy": "", "question_id": third})
    assert reply.status_code == 400 and "Enter the question in English" in reply.content.decode()
    edit = reverse("voice:edit", args=[launched.slug])
    client.post(edit, {"move-down": "1", "question": "3", "question_id": third})
    assert texts(launched)[3] == "How safe is it?"
    client.post(edit, {"remove": "1", "question": "4", "question_id": third})
    assert "How safe is it?" not in texts(launched)
    services.start_response(launched, Place.objects.get(slug="bradford"))
    page = client.get(edit).content.decode()
    assert "1 resident has started answering" in page and 'name="remove"' not in page and "Add a question" not in page
    reply = client.post(edit, {"remove": "1", "question": "1"}, follow=True)
    assert "1 resident has started answering" in reply.content.decode() and launched.questions.count() == 7

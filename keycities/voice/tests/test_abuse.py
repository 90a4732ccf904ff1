"""What a careless user or an attacker sends to the survey pages: the same change twice, a change to a question
that has moved since the page was shown, an option longer than its column, a NUL byte in a free-text answer.
Each is refused with a message or cleaned, never applied twice and never a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from keycities.accounts.models import User
from keycities.network.models import Place
from keycities.proposals.tests.test_concurrency import together
from keycities.voice import services
from keycities.voice.forms import QuestionForm
from keycities.voice.models import Answer, Question

from .factories import make_survey

pytestmark = pytest.mark.django_db

CHANGED = "The questions have changed since the page was shown"


def texts(survey: Any) -> list[str]:
    return list(survey.questions.order_by("position").values_list("text", flat=True))


@pytest.fixture
def launched(registry: None) -> Any:
    return make_survey()


def test_remove_sent_twice_removes_one_question(launched: Any, secretariat: User, client: Client) -> None:
    client.force_login(secretariat)
    edit = reverse("voice:edit", args=[launched.slug])
    first = launched.questions.get(position=1)
    page = client.get(edit).content.decode()
    assert f'name="question_id" value="{first.pk}"' in page
    sent = {"remove": "1", "question": "1", "question_id": str(first.pk)}
    assert client.post(edit, sent).status_code == 302
    reply = client.post(edit, sent, follow=True)  # a double click: the second finds the page out of date
    assert CHANGED in reply.content.decode()
    assert launched.questions.count() == 7 and texts(launched)[0] == "What would bring you more often?"


def test_add_sent_twice_adds_one_question(launched: Any, secretariat: User, client: Client) -> None:
    client.force_login(secretariat)
    edit = reverse("voice:edit", args=[launched.slug])
    assert 'name="questions_shown" value="8"' in client.get(edit).content.decode()
    sent = {"add-question": "1", "kind": "single", "text": "Parking?", "text_cy": "Parcio?", "options": "Yes\nNo",
            "options_cy": "Ydy\nNac ydy", "questions_shown": "8"}  # fmt: skip
    assert client.post(edit, sent).status_code == 302
    reply = client.post(edit, sent)  # a double click: the page showed 8 questions, the survey now has 9
    assert reply.status_code == 400 and CHANGED in reply.content.decode()
    assert texts(launched).count("Parking?") == 1 and launched.questions.count() == 9


def test_move_sent_twice_moves_once(launched: Any, secretariat: User, client: Client) -> None:
    client.force_login(secretariat)
    edit = reverse("voice:edit", args=[launched.slug])
    third = launched.questions.get(position=3)
    sent = {"move-up": "1", "question": "3", "question_id": str(third.pk)}
    client.post(edit, sent)
    reply = client.post(edit, sent, follow=True)
    assert CHANGED in reply.content.decode()
    assert texts(launched)[:3] == ["How often do you visit the town centre?", "How safe do you feel there?",
                                   "What would bring you more often?"]  # fmt: skip


def test_a_question_of_another_survey_is_not_found(launched: Any, secretariat: User, client: Client) -> None:
    other = make_survey("another", ("bradford",))
    client.force_login(secretariat)
    theirs = other.questions.get(position=1)
    reply = client.post(reverse("voice:edit", args=[launched.slug]),
                        {"remove": "1", "question": "1", "question_id": str(theirs.pk)}, follow=True)  # fmt: skip
    assert CHANGED in reply.content.decode()
    assert launched.questions.count() == 8 and other.questions.count() == 8


def test_changes_from_stale_pages_are_refused_inside_the_lock(launched: Any) -> None:
    """The interleavings forced with stale objects: the second of two removals, a move of a removed question,
    a change to a removed question; each a ValidationError with the reason, never DoesNotExist."""
    seen = launched.questions.get(position=1)
    stale = launched.questions.get(position=1)
    services.remove_question(seen, seen=1)
    for change in (lambda: services.remove_question(stale, seen=1), lambda: services.move_question(stale, 1, seen=1),
                   lambda: services.update_question(stale, services.QuestionData(
                       kind="single", text="a", text_cy="b", options=[("A", "A"), ("B", "B")]))):  # fmt: skip
        with pytest.raises(ValidationError, match=CHANGED):
            change()
    moved = launched.questions.get(position=2)
    services.move_question(launched.questions.get(position=1), 1)  # someone else swaps 1 and 2
    with pytest.raises(ValidationError, match=CHANGED):
        services.move_question(moved, 1, seen=2)  # it is at 1 now: moving "down" from 2 is not what was asked
    assert launched.questions.count() == 7


def test_editing_a_question_that_has_moved_is_refused(launched: Any, secretariat: User, client: Client) -> None:
    clean = services.add_question(launched, services.QuestionData(kind=Question.Kind.SCALE, text="How clean is it?",
                                                                  text_cy="Pa mor lân yw hi?"))  # fmt: skip
    for _step in range(5):  # from 9 to 4, just below the other scale question
        services.move_question(Question.objects.get(pk=clean.pk), -1)
    client.force_login(secretariat)
    url = reverse("voice:question-edit", args=[launched.slug, 3])
    shown = launched.questions.get(position=3)
    assert f'name="question_id" value="{shown.pk}"' in client.get(url).content.decode()
    services.move_question(Question.objects.get(pk=clean.pk), -1)  # another member of staff: now at 3
    reply = client.post(url, {"kind": "scale", "text": "Overwritten?", "text_cy": "Trosysgrifwyd?",
                              "scale_points": "5", "question_id": str(shown.pk)})  # fmt: skip
    assert reply.status_code == 400 and CHANGED in reply.content.decode()
    assert "Overwritten?" not in texts(launched) and "How clean is it?" in texts(launched)


def test_an_option_longer_than_its_column_is_a_form_error(launched: Any, secretariat: User, client: Client) -> None:
    long = "x" * 201
    form = QuestionForm({"kind": "single", "text": "Q", "text_cy": "C", "options": f"{long}\nB",
                         "options_cy": "A\nB"})  # fmt: skip
    assert not form.is_valid() and "Each option must be 200 characters or fewer" in str(form.errors)
    client.force_login(secretariat)
    url = reverse("voice:question-edit", args=[launched.slug, 1])
    first = launched.questions.get(position=1)
    reply = client.post(url, {"kind": "single", "text": "Q", "text_cy": "C", "options": "A\nB",
                              "options_cy": f"A\n{long}", "question_id": str(first.pk)})  # fmt: skip
    assert reply.status_code == 400 and "Each option must be 200 characters or fewer" in reply.content.decode()
    added = client.post(reverse("voice:edit", args=[launched.slug]), {
        "add-question": "1", "kind": "single", "text": "Q", "text_cy": "C", "options": f"{long}\nB",
        "options_cy": "A\nB"})  # fmt: skip
    assert added.status_code == 400 and "Each option must be 200 characters or fewer" in added.content.decode()
    assert launched.questions.count() == 8


def test_control_characters_in_a_free_text_answer_are_dropped(launched: Any) -> None:
    response, token = services.start_response(launched, Place.objects.get(slug="bradford"))
    position = launched.questions.get(kind=Question.Kind.TEXT).position
    url = f"/surveys/answer/{token}/{position}/"
    assert Client().post(url, {"answer": "Buses\x00 please", "continue": "1"}).status_code == 400  # RejectNul
    reply = Client().post(url, {"answer": "Buses\x07 please\x1b\r\nand trams", "continue": "1"})
    assert reply.status_code == 302
    assert Answer.objects.get(response=response).text == "Buses please\nand trams"


@pytest.mark.django_db(transaction=True)
def test_two_removals_at_the_same_moment_remove_one_question(registry: None, secretariat: User) -> None:
    """A real race (threads released together): whichever request wins, one question goes and the other request
    is told the page was out of date."""
    survey = make_survey()
    first = survey.questions.get(position=1)
    clients = []
    for _n in range(2):
        c = Client()
        c.force_login(secretariat)
        clients.append(c)
    edit = reverse("voice:edit", args=[survey.slug])
    sent = {"remove": "1", "question": "1", "question_id": str(first.pk)}
    replies = together([lambda c=c: c.post(edit, sent) for c in clients])
    assert [getattr(r, "status_code", r) for r in replies] == [302, 302]
    assert survey.questions.count() == 7 and texts(survey)[0] == "What would bring you more often?"


@pytest.mark.django_db(transaction=True)
def test_a_change_racing_the_first_resident(registry: None, secretariat: User) -> None:
    """A question change and the first resident starting, at the same moment: either the change is made before
    the resident starts (and they see it) or it is refused with the reason; never a change under a response."""
    survey = make_survey()
    staff = Client()
    staff.force_login(secretariat)
    url = reverse("voice:question-edit", args=[survey.slug, 3])
    shown = survey.questions.get(position=3)
    change = {"kind": "scale", "text": "How safe is it?", "text_cy": "Pa mor ddiogel yw hi?", "scale_points": "7",
              "question_id": str(shown.pk)}  # fmt: skip
    bradford = Place.objects.get(slug="bradford").pk
    edited, started = together([lambda: staff.post(url, change),
                                lambda: Client().post(f"/surveys/{survey.slug}/", {"place": bradford})])  # fmt: skip
    assert getattr(started, "status_code", started) == 302 and survey.responses.count() == 1
    shown.refresh_from_db()
    if getattr(edited, "status_code", edited) == 302:
        assert shown.text == "How safe is it?"
    else:
        assert getattr(edited, "status_code", edited) == 400 and shown.text == "How safe do you feel there?"
        assert "1 resident has started answering" in edited.content.decode()  # type: ignore[union-attr]


@pytest.mark.parametrize("posted", ["²", "٣", "9" * 40, "-1", " 1"])
def test_a_resident_posting_a_number_that_is_not_one_gets_the_questions_error(registry: None, posted: str) -> None:
    """str.isdigit() accepts "²", which int() refuses: every number posted goes through core.text.whole_number."""
    from django.core.cache import cache

    from .test_journey import start

    cache.clear()
    survey = make_survey()
    client = Client()
    token = start(client, survey)
    for position in (1, 2, 3, 4):  # single, multiple, scale, ranking
        question = survey.questions.get(position=position)
        data = {f"rank-{o.pk}": posted for o in question.options.all()} if position == 4 else {"answer": posted}
        reply = client.post(f"/surveys/answer/{token}/{position}/", {**data, "continue": "1"})
        assert reply.status_code == 400 and "Choose from the options" in reply.content.decode(), position

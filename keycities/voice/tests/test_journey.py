"""A resident answers, one question a page, in English and in Welsh; saves and comes back; sends. Abuse is
refused: the honeypot, the rate limit, a second response from the same browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from keycities.network.models import Place
from keycities.voice.models import Question, Response

from .factories import make_survey

pytestmark = pytest.mark.django_db


def start(client: Client, survey: Any, place: str = "bradford", prefix: str = "") -> str:
    reply = client.post(f"{prefix}/surveys/{survey.slug}/", {"place": Place.objects.get(slug=place).pk})
    assert reply.status_code == 302, reply.content[:3000]
    token = re.search(r"/surveys/answer/([^/]+)/1/", reply["Location"])
    assert token
    return token.group(1)


def test_a_resident_answers_saves_comes_back_and_sends(registry: None) -> None:
    cache.clear()
    survey = make_survey()
    q = {x.kind: x for x in survey.questions.prefetch_related("options")}
    client = Client()
    page = client.get(f"/surveys/{survey.slug}/")
    assert page.status_code == 200 and "Our town centres" in page.content.decode()
    token = start(client, survey)
    first = client.get(f"/surveys/answer/{token}/1/")
    assert "Question 1 of 8" in first.content.decode() and first["Cache-Control"].count("no-store")
    # Required: continuing without an answer is refused, on the same page.
    assert client.post(f"/surveys/answer/{token}/1/", {"continue": "1"}).status_code == 400
    options = list(q[Question.Kind.SINGLE].options.all())
    reply = client.post(f"/surveys/answer/{token}/1/", {"answer": options[1].pk, "continue": "1"})
    assert reply["Location"] == f"/surveys/answer/{token}/2/"
    # Save and come back later, by email.
    reply = client.post(f"/surveys/answer/{token}/2/", {"answer": [o.pk for o in q[Question.Kind.MULTIPLE]
                                                                   .options.all()][:2], "save": "1"})  # fmt: skip
    assert reply["Location"] == f"/surveys/answer/{token}/saved/"
    assert token in client.get(reply["Location"]).content.decode()
    client.post(f"/surveys/answer/{token}/saved/", {"email": "res@example.org"})
    assert token in mail.outbox[-1].body
    # Back in another browser, by the link.
    other = Client()
    page = other.get(f"/surveys/answer/{token}/2/").content.decode()
    assert "checked" in page
    other.post(f"/surveys/answer/{token}/3/", {"answer": "4"})
    ranks = {f"rank-{o.pk}": str(i) for i, o in enumerate(reversed(q[Question.Kind.RANKING].options.all()), 1)}
    other.post(f"/surveys/answer/{token}/4/", ranks)
    other.post(f"/surveys/answer/{token}/5/", {"answer": "More benches please."})
    other.post(f"/surveys/answer/{token}/6/", {"answer": "35-49"})
    other.post(f"/surveys/answer/{token}/7/", {"answer": "female"})
    assert other.post(f"/surveys/answer/{token}/8/", {"answer": "nonsense postcode"}).status_code == 400
    assert other.post(f"/surveys/answer/{token}/8/", {"answer": "bd1 4as"})["Location"].endswith("/check/")
    check = other.get(f"/surveys/answer/{token}/check/").content.decode()
    assert "More benches please." in check and "35 to 49" in check and "BD1" in check and "1. Transport" in check
    assert other.post(f"/surveys/answer/{token}/check/")["Location"] == f"/surveys/answer/{token}/sent/"
    response = Response.objects.get()
    assert response.submitted_at and (response.age_band, response.sex, response.postcode_district) == (
        "35-49",
        "female",
        "BD1",
    )
    ranking = response.answers.get(question=q[Question.Kind.RANKING])
    assert ranking.options == [o.pk for o in reversed(q[Question.Kind.RANKING].options.all())]
    # Sent: the link no longer changes anything.
    assert other.post(f"/surveys/answer/{token}/1/", {"answer": options[0].pk})["Location"].endswith("/sent/")


def test_welsh_pages_show_welsh_text(registry: None) -> None:
    cache.clear()
    survey = make_survey()
    client = Client()
    page = client.get(f"/cy/surveys/{survey.slug}/").content.decode()
    assert "Canol ein trefi" in page and "Dechrau nawr" in page
    token = start(client, survey, prefix="/cy")
    page = client.get(f"/cy/surveys/answer/{token}/1/").content.decode()
    assert "Pa mor aml ydych chi" in page and "Bob wythnos" in page and "Cwestiwn 1 o 8" in page
    assert "16 i 24" in client.get(f"/cy/surveys/answer/{token}/6/").content.decode()


def test_one_response_per_browser_unless_allowed(registry: None) -> None:
    cache.clear()
    survey = make_survey()
    client = Client()
    options = list(survey.questions.get(position=1).options.all())
    token = start(client, survey)
    client.post(f"/surveys/answer/{token}/1/", {"answer": options[0].pk, "check": "1"})
    client.post(f"/surveys/answer/{token}/check/")
    again = client.post(f"/surveys/{survey.slug}/", {"place": Place.objects.get(slug="bradford").pk})
    assert again.status_code == 409
    repeat = make_survey("repeatable", allow_repeat=True)
    token = start(client, repeat)
    client.post(f"/surveys/answer/{token}/1/", {"answer": repeat.questions.get(position=1).options.first().pk})
    client.post(f"/surveys/answer/{token}/check/")
    assert start(client, repeat)


def test_honeypot_and_rate_limit(registry: None, settings: Any) -> None:
    cache.clear()
    survey = make_survey()
    bradford = Place.objects.get(slug="bradford").pk
    assert Client().post(f"/surveys/{survey.slug}/", {"place": bradford, "website": "x"}).status_code == 400
    settings.VOICE_RESPONSES_PER_HOUR = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.post(f"/surveys/{survey.slug}/", {"place": bradford}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_survey_that_is_not_open_cannot_be_answered(registry: None) -> None:
    draft = make_survey("draft-one", launched=False)
    assert Client().get(f"/surveys/{draft.slug}/").status_code == 404  # not yet public
    closed = make_survey("closed-one", closed=True)
    page = Client().get(f"/surveys/{closed.slug}/")
    assert page.status_code == 404  # closed and not published: nothing to show the public

"""Responses are personal data: a person's responses are exported and erased on request (core.erasure), quotes
are anonymised, and responses are anonymised after the retention period."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from keycities.accounts.models import User
from keycities.core import erasure
from keycities.tests.test_erasure import search_everything
from keycities.voice import services
from keycities.voice.anonymise import anonymise
from keycities.voice.models import Answer, Response, Theme

from .factories import answer, make_survey

pytestmark = pytest.mark.django_db

EMAIL, NAME = "sian.obriain@example.org", "Siân Ó Briain"


def test_a_person_s_responses_are_exported_and_erased(registry: None, secretariat: User,
                                                      django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    cache.clear()
    # The Hub knows their name from their account (a resident answering needs none, and gives no name).
    User.objects.create_user("sobriain", EMAIL, "correct horse battery", first_name="Siân", last_name="Ó Briain")
    survey = make_survey()
    answer(survey, "bradford", age="25-34", sex="female", text="The market needs more stalls.", email=EMAIL)
    answer(survey, "coventry", text=f"My neighbour {NAME} ({EMAIL}) runs the community garden.", browser="x")
    data = erasure.export_person(EMAIL)
    assert [r["answers"][0]["options"] for r in data["survey_responses"]] == [["Every week"]]
    staff = Client()
    staff.force_login(secretariat)
    exported = json.loads(staff.post("/proposals/people/", {"email": EMAIL, "export": "1"}).content)
    assert exported["survey_responses"][0]["place"] == "Bradford"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post("/proposals/people/", {"email": EMAIL, "confirm-erase": "1"}).status_code == 302
    assert Response.objects.count() == 1  # theirs has gone; the other person's stays, without them
    assert "[erased]" in Answer.objects.get(text__gt="").text
    found = [hit for hit in search_everything() if hit[0].startswith("voice.")]
    assert found == []


def test_quotes_are_anonymised() -> None:
    text = ("My name is Sarah Jones, email sarah.jones@example.com or ring 07700 900123 or +44 (0)1632 960001. "
            "Ask Mr Patel, or speak to John O'Neill at the library. Fy enw i yw Siân Ó Briain. The High Street "
            "in Bradford is dead on Sundays.")  # fmt: skip
    out = anonymise(text, known_places={"Bradford"})
    for leaked in ["Sarah", "Jones", "sarah.jones", "07700", "1632", "Patel", "John", "O'Neill", "Siân", "Briain"]:
        assert leaked not in out, out
    assert "[email removed]" in out and "[phone number removed]" in out and "[name removed]" in out
    assert "High Street" in out and "Bradford" in out and "Sundays" in out


def test_responses_are_anonymised_after_the_retention_period(registry: None) -> None:
    cache.clear()
    survey = make_survey(retention_days=30)
    answer(survey, "bradford", age="25-34", sex="male", text="Call me on 07700 900123", email=EMAIL)
    response = Response.objects.get()
    assert services.erase_expired() == 0
    later = timezone.localdate() + dt.timedelta(days=90)
    assert services.erase_expired(later) == 1
    response.refresh_from_db()
    assert (response.email, response.postcode_district, response.browser_hash) == ("", "", "")
    assert response.age_band == "25-34" and Answer.objects.get(text__gt="").text == "[erased]"
    assert services.erase_expired(later) == 0


def test_a_theme_named_after_the_person_is_redacted(registry: None) -> None:
    """Staff name themes (and labels are made of the answers' words): a name in one goes with the person."""
    User.objects.create_user("sobriain", EMAIL, "correct horse battery", first_name="Siân", last_name="Ó Briain")
    survey = make_survey()
    text_question = survey.questions.get(kind="text")
    theme = Theme.objects.create(question=text_question, label=f"Thanks to {NAME}", label_cy=f"Diolch i {NAME}",
                                 kept=True)  # fmt: skip
    erasure.erase_person(EMAIL, by=None)
    theme.refresh_from_db()
    assert NAME not in theme.label and NAME not in theme.label_cy and "[erased]" in theme.label
    assert search_everything() == []  # the theme's audit history included

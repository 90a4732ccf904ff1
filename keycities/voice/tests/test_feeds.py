"""A published closed survey feeds the publications library and the briefing packs of its places and work areas,
on its own (registered with core.search; read by the briefings' content builder), and leaves when unpublished."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from keycities.accounts.models import User
from keycities.briefings import content
from keycities.briefings import services as briefings
from keycities.briefings.models import Kind as PackKind
from keycities.library.models import SearchEntry
from keycities.network.models import Place, WorkArea
from keycities.voice import services

from .factories import answer, close, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(secretariat: User) -> Any:
    """24 answers in Bradford (15 every week, 9 every month) and 3 in Coventry, for the skills work area."""
    cache.clear()
    services.import_population()
    made = make_survey(work_areas=[WorkArea.objects.get(slug="skills")])
    plan = [("65-74", "female", 0)] * 8 + [("35-49", "male", 0)] * 7 + [("25-34", "female", 1)] * 9
    for i, (age, sex, visit) in enumerate(plan):
        answer(made, "bradford", age=age, sex=sex, visit=visit, browser=f"b{i}")
    for i in range(3):
        answer(made, "coventry", age="50-64", sex="male", visit=2, browser=f"c{i}")
    return close(made)


def test_published_results_appear_in_the_library_and_leave_when_unpublished(survey: Any, client: Client) -> None:
    assert not SearchEntry.objects.filter(source="survey").exists()
    assert "Our town centres" not in client.get(reverse("library:index")).content.decode()
    services.publish_results(survey, True)
    entry = SearchEntry.objects.get(source="survey", key=str(survey.pk))
    assert (entry.kind, entry.url, entry.date) == ("research", f"/surveys/{survey.slug}/results/", survey.closes_on)
    assert entry.places == "bradford coventry" and entry.work_areas == "skills" and entry.is_public
    assert "How often do you visit" in entry.body and "Canol ein trefi" in entry.body
    page = client.get(reverse("library:index"), {"kind": "research"}).content.decode()
    assert "Our town centres" in page and f"/surveys/{survey.slug}/results/" in page
    services.publish_results(survey, False)
    assert not SearchEntry.objects.filter(source="survey").exists()
    assert "Our town centres" not in client.get(reverse("library:index")).content.decode()


def test_an_open_or_unpublished_survey_is_not_in_the_library(survey: Any, secretariat: User) -> None:
    make_survey("still-open")
    assert not SearchEntry.objects.filter(source="survey").exists()
    services.publish_results(survey, True)
    assert SearchEntry.objects.filter(source="survey").count() == 1
    # Reopened by moving its closing date: unpublished, and out of the library.
    data = services.SurveyData(slug=survey.slug, title=survey.title, title_cy=survey.title_cy,
                               introduction=survey.introduction, introduction_cy=survey.introduction_cy,
                               privacy_notice=survey.privacy_notice, privacy_notice_cy=survey.privacy_notice_cy,
                               opens_on=survey.opens_on, closes_on=survey.closes_on + dt.timedelta(days=30),
                               places=list(survey.places.all()), work_areas=list(survey.work_areas.all()))  # fmt: skip
    services.update_survey(survey, data)
    survey.refresh_from_db()
    assert not survey.results_public and not SearchEntry.objects.filter(source="survey").exists()


def test_the_place_pack_has_the_survey_section_with_its_figures_sourced(survey: Any, secretariat: User) -> None:
    place = Place.objects.get(slug="bradford")
    pack = briefings.create_pack({"kind": PackKind.PLACE, "title": "Bradford", "place": place}, by=secretariat)
    assert not any(s["heading"].startswith("Residents") for s in content.build(pack)["sections"])
    services.publish_results(survey, True)
    data = content.build(pack)
    section = next(s for s in data["sections"] if s["heading"] == "Residents’ voice: Our town centres")
    note = next(n for n in data["notes"] if "residents’ survey “Our town centres”" in n["text"])
    assert f"/surveys/{survey.slug}/results/" in note["text"] and "27 responses in all" in note["text"]
    assert section["paragraphs"][0] == f"24 people in Bradford answered “Our town centres” [{note['number']}]."
    first = section["table"]["rows"][0]
    # 15 of Bradford's 24 visit every week: 62.5%, Wilson interval 42.7% to 78.8%.
    assert first[:2] == ["How often do you visit the town centre?", "Every week"]
    assert first[2] == f"62% (43–79%) [{note['number']}]" and first[4] == "24" and first[3].endswith("%)")
    fact = next(f for f in data["facts"] if f["key"] == "survey:town-centres:bradford:1")
    assert fact["value"] == 62.5 and fact["note"] == note["number"]
    # The multiple-choice question nobody answered has no figure; nothing under 10 is shown.
    assert all("fewer than 10" not in row[2] or row[1] == "–" for row in section["table"]["rows"])
    with translation.override("cy"):
        welsh = content.build(pack)
    assert any(s["heading"] == "Llais preswylwyr: Canol ein trefi" for s in welsh["sections"])


def test_the_work_area_pack_has_all_respondents_and_coventrys_small_numbers_stay_hidden(
    survey: Any, secretariat: User
) -> None:
    services.publish_results(survey, True)
    area = WorkArea.objects.get(slug="skills")
    pack = briefings.create_pack({"kind": PackKind.WORK_AREA, "title": "Skills", "work_area": area}, by=secretariat)
    data = content.build(pack)
    section = data["sections"][-1]
    assert section["heading"] == "Residents’ voice: Our town centres"
    assert section["paragraphs"][0].startswith("27 people in all the places surveyed answered")
    first = section["table"]["rows"][0]
    assert first[1] == "Every week" and first[2].startswith("56% ") and first[4] == "27"  # 15 of 27
    coventry = Place.objects.get(slug="coventry")
    pack = briefings.create_pack({"kind": PackKind.PLACE, "title": "Coventry", "place": coventry}, by=secretariat)
    section = next(s for s in content.build(pack)["sections"] if s["heading"].startswith("Residents’ voice"))
    assert section["table"]["rows"][0][1:] == ["–", "fewer than 10", "", "fewer than 10"]
    assert not any(f["key"].startswith("survey:town-centres:coventry") for f in content.build(pack)["facts"])

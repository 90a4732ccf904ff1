"""Wards as a demographic: the resident's place's wards from the bundled ONS lookup (Welsh names on /cy/),
validated; the results per ward, with wards of fewer than 10 respondents never shown on their own."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from keycities.core.errors import DataFileError
from keycities.network.models import Place
from keycities.voice import results, services, wards
from keycities.voice.models import Question, Response

from .factories import answer, close, make_survey
from .test_journey import start

pytestmark = pytest.mark.django_db


def by_hand(area: str) -> dict[str, tuple[str, str]]:
    """The lookup's wards of one local authority, read without the Hub's reader."""
    with wards.WARD_FILE.open(encoding="utf-8-sig", newline="") as f:
        return {r["WD24CD"]: (r["WD24NM"], r["WD24NMW"]) for r in csv.DictReader(f) if r["LAD24CD"] == area}


@pytest.fixture
def with_ward(registry: None) -> Any:
    survey = make_survey("wards", ("bradford", "newport"), launched=False)
    services.add_question(survey, services.QuestionData(kind=Question.Kind.WARD, text="", text_cy=""))
    return services.launch(survey)


def test_a_places_wards_are_the_files(registry: None) -> None:
    bradford = wards.wards_of(Place.objects.get(slug="bradford"))
    assert {w.code: w.name for w in bradford} == {k: v[0] for k, v in by_hand("E08000032").items()}
    assert len(bradford) == 30  # Bowling and Barkerend is split between two seats: offered once
    newport = {w.code: w for w in wards.wards_of(Place.objects.get(slug="newport"))}
    assert len(newport) == 21 and newport["W05001640"].name_cy == "Dwyrain Tŷ-du"
    assert wards.wards_of(Place.objects.get(slug="carlisle")) == []  # now within Cumberland: no list of its own


def test_a_bad_file_is_refused_with_its_row(tmp_path: Path) -> None:
    bad = tmp_path / "lookup.csv"
    bad.write_text("WD24CD,WD24NM,WD24NMW,LAD24CD\nE05000001,,,E08000032\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="row 2"):
        wards._by_area(bad)
    bad.write_text("WD24CD,WD24NM,LAD24CD\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="WD24NMW"):
        wards._by_area(bad)


def test_the_resident_chooses_from_their_places_wards_in_welsh_on_cy(with_ward: Any) -> None:
    cache.clear()
    client = Client()
    token = start(client, with_ward, "newport", prefix="/cy")
    position = with_ward.questions.get(kind=Question.Kind.WARD).position
    page = client.get(f"/cy/surveys/answer/{token}/{position}/").content.decode()
    assert "Ym mha ward ydych chi’n byw?" in page and '<option value="W05001640">Dwyrain Tŷ-du</option>' in page
    assert "E05001345" not in page  # Bradford's wards are not offered to a resident of Newport
    reply = client.post(f"/surveys/answer/{token}/{position}/", {"answer": "E05001345", "continue": "1"})
    assert reply.status_code == 400 and "Choose a ward in Newport from the list." in reply.content.decode()
    reply = client.post(f"/surveys/answer/{token}/{position}/", {"answer": "W05001640", "continue": "1"})
    assert reply.status_code == 302
    response = Response.objects.get(survey=with_ward)
    assert response.ward == "W05001640"
    assert "Rogerstone East" in client.get(f"/surveys/answer/{token}/check/").content.decode()
    english = client.get(f"/surveys/answer/{token}/{position}/").content.decode()
    assert '<option value="W05001640" selected>Rogerstone East</option>' in english


def test_results_per_ward_suppress_small_wards(with_ward: Any) -> None:
    ward_q = with_ward.questions.get(kind=Question.Kind.WARD)
    plan = [("E05001341", 0)] * 10 + [("E05001341", 1)] * 2 + [("E05001342", 0)] * 4  # Baildon, Bingley
    for i, (ward, visit) in enumerate(plan):
        made = answer(with_ward, "bradford", age="35-49", sex="female", visit=visit, browser=f"w{i}")
        Response.objects.filter(pk=made.pk).update(ward=ward)
    with pytest.raises(ValidationError):
        response, _token = services.start_response(with_ward, Place.objects.get(slug="bradford"))
        services.save_answer(response, ward_q, choice="W05001640")  # a Newport ward for a Bradford response
    built = results.build(close(with_ward))
    names = {w.code: w.name for w in wards.wards_of(Place.objects.get(slug="bradford"))}
    first = built.questions[0]
    ward_rows = [r for r in first.rows if r.group_kind == "ward"]
    assert {r.group for r in ward_rows} == {"Baildon"}  # 12 respondents; Bingley's 4 are not shown on their own
    shares = {r.category: r.share for r in ward_rows}
    assert (shares["Every week"].count, shares["Every week"].base) == (10, 12)
    assert shares["Every week"].percent == pytest.approx(100 * 10 / 12)
    assert shares["Every month"].suppressed and shares["Every month"].percent is None  # 2
    asked = next(q for q in built.questions if q.question.kind == Question.Kind.WARD)
    counts = {r.category: r.share for r in asked.rows if r.group_kind == "all"}
    assert counts["Baildon"].count == 12 and counts["Baildon"].percent == pytest.approx(75.0)
    assert counts["Bingley"].suppressed and names["E05001342"] == "Bingley"
    assert built.asks_ward


def test_retention_removes_the_ward(with_ward: Any) -> None:
    made = answer(with_ward, "bradford", visit=0, browser="x")
    Response.objects.filter(pk=made.pk).update(ward="E05001341")
    close(with_ward)
    services.erase_expired(dt.date.today() + dt.timedelta(days=400))
    assert Response.objects.get(pk=made.pk).ward == ""

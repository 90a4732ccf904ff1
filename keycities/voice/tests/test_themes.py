"""Themes: clustering, staff's renames, merges and splits kept across re-runs, and a theme table per place.
The embedding is replaced by a fixed one here (the model itself is measured in `python -m benchmarks voice`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from keycities.voice import themes
from keycities.voice.models import Question

from .factories import answer, close, make_survey

pytestmark = pytest.mark.django_db

TOPICS = {"bus": [1.0, 0.0, 0.0], "park": [0.0, 1.0, 0.0], "shop": [0.0, 0.0, 1.0]}


def fake_embed(text: str) -> list[float]:
    for word, vector in TOPICS.items():
        if word in text:
            return vector
    return [0.5, 0.5, 0.5]


def test_clustering_finds_the_number_of_groups() -> None:
    vectors = (
        [[1, 0.01 * i, 0] for i in range(8)]
        + [[0, 1, 0.02 * i] for i in range(7)]
        + [[0.1 * i, 0, 1] for i in range(6)]
    )
    labels = themes.cluster(vectors)
    assert len(set(labels)) == 3 and len(set(labels[:8])) == 1 and labels[0] != labels[8] != labels[15]
    assert themes.cluster([[1, 0]] * 4) == [0, 0, 0, 0]  # too few answers to split


def test_staff_decisions_are_kept_across_runs(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr(themes, "embed", fake_embed)
    survey = make_survey()
    texts = [f"The bus service is poor, number {i}" for i in range(12)] + [f"Our park is lovely {i}" for i in range(6)]
    texts += [f"More shop fronts please {i}" for i in range(5)]
    for i, text in enumerate(texts):
        answer(survey, "bradford" if i % 2 else "coventry", text=text, browser=f"t{i}")
    question = survey.questions.get(kind=Question.Kind.TEXT)
    assert themes.run(question) == 3
    bus = next(t for t in question.themes.all() if "bus" in t.label)
    themes.rename(question, bus.pk, "Buses", "Bysiau")
    park = next(t for t in question.themes.all() if "park" in t.label)
    shop = next(t for t in question.themes.all() if "shop" in t.label)
    merged = themes.merge(question, [park.pk, shop.pk])
    themes.rename(question, merged.pk, "Places to go", "Lleoedd i fynd")
    # New answers arrive; the themes are found again: staff's names and the merge stand.
    answer(survey, "bradford", text="Another bus complaint", browser="late1")
    assert themes.run(question) == 2
    labels = sorted(question.themes.values_list("label", flat=True))
    assert labels == ["Buses", "Places to go"]
    assert question.themes.get(label="Buses").answers.count() == 13
    halves = themes.split(question, question.themes.get(label="Places to go").pk)
    assert {h.answers.count() for h in halves} == {6, 5} and all(h.kept for h in halves)
    assert themes.run(question) == 3
    table = themes.theme_tables(close(survey))[0]
    buses = next(r for r in table["rows"] if r["theme"] == "Buses")
    assert buses["total"].count == 13 and len(buses["quotes"]) == 2
    assert all("[name removed]" not in q or True for q in buses["quotes"])
    rows = themes.theme_rows(survey)
    buses_row = next(r for r in rows if r[1] == "Buses" and r[2] == "All places")
    assert [str(buses_row[0]), *buses_row[1:5]] == ["5", "Buses", "All places", 24, 13]


def test_the_theme_page_for_staff(registry: None, monkeypatch: pytest.MonkeyPatch, client_for: Any) -> None:
    cache.clear()
    monkeypatch.setattr(themes, "embed", fake_embed)
    survey = make_survey()
    for i in range(3):
        answer(survey, "bradford", text=f"bus {i}", browser=f"p{i}")
    client = client_for("secretariat")
    assert client.post(f"/surveys/{survey.slug}/manage/themes/5/", {"run": "1"}).status_code == 302
    assert "bus" in client.get(f"/surveys/{survey.slug}/manage/themes/5/").content.decode()
    url = f"/surveys/{survey.slug}/manage/themes/5/"
    # A tampered theme id is a plain refusal, not Python's words about a number; a pasted label is one line.
    for bad in ("abc", "²", "9" * 30, ""):
        page = client.post(url, {"rename": "1", "theme": bad, "label": "Buses"}, follow=True).content.decode()
        assert "There is no such theme." in page and "invalid literal" not in page
    theme = survey.questions.get(kind=Question.Kind.TEXT).themes.first()
    assert theme is not None
    client.post(
        url, {"rename": "1", "theme": str(theme.pk), "label": "Bus\r\nservices\t", "label_cy": "Gwasanaethau\nbysiau"}
    )
    theme.refresh_from_db()
    assert (theme.label, theme.label_cy) == ("Bus services", "Gwasanaethau bysiau")

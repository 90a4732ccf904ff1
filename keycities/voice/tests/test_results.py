"""Results: counts, percentages and intervals; small cells suppressed; weights to the Census margins; public only
once closed and published; the API never gives a response."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from keycities.accounts.models import User
from keycities.network.models import Place
from keycities.voice import analysis, presenters, results, services

from .factories import answer, close, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(registry: None) -> Any:
    """60 answers in Bradford (older women over-represented, no men under 25) and 5 in Coventry."""
    cache.clear()
    services.import_population()
    survey = make_survey()
    plan = [("65-74", "female", 0)] * 25 + [("35-49", "female", 1)] * 12 + [("35-49", "male", 2)] * 10
    plan += [("16-24", "female", 0)] * 3 + [("25-34", "male", 1)] * 10
    for i, (age, sex, visit) in enumerate(plan):
        answer(survey, "bradford", age=age, sex=sex, visit=visit, browser=f"b{i}")
    for i in range(5):
        answer(survey, "coventry", age="50-64", sex="male", visit=0, browser=f"c{i}")
    return close(survey)


def test_counts_percentages_and_weights(answered: Any) -> None:
    built = results.build(answered)
    assert built.responses == 65
    bradford = next(p for p in built.places if p.slug == "bradford")
    assert bradford.respondents == 60 and bradford.weighted and bradford.deff and bradford.deff > 1
    # The weights reproduce Bradford's Census margins where there are respondents.
    cells = services.population_of(Place.objects.get(slug="bradford").pk)
    female = sum(v for (a, s), v in cells.items() if s == "female") / sum(cells.values())
    assert next(g for g in bradford.sexes if g.key == ("female",)).weighted_share == pytest.approx(female, abs=0.02)
    # Nobody aged 50-64 or 75+ answered in Bradford: said plainly.
    assert any("50 to 64" in s and "no respondents" in s for s in bradford.statements)
    coventry = next(p for p in built.places if p.slug == "coventry")
    assert not coventry.weighted and "cannot be weighted" in coventry.statements[0]
    first = built.questions[0]
    overall = [r for r in first.rows if r.group_kind == "all"]
    weekly = overall[0].share
    assert (weekly.count, weekly.base) == (33, 65) and weekly.percent == pytest.approx(100 * 33 / 65)
    low, high = analysis.wilson(33, 65)
    assert (weekly.low, weekly.high) == (pytest.approx(100 * low), pytest.approx(100 * high))
    assert weekly.weighted_percent is not None and weekly.weighted_percent != weekly.percent
    # Coventry's 5 answers are suppressed, in every row.
    assert all(r.share.suppressed for r in first.rows if r.group == "Coventry")


def test_results_are_public_only_once_closed_and_published(answered: Any, secretariat: User) -> None:
    url = f"/surveys/{answered.slug}/results/"
    assert Client().get(url).status_code == 404
    assert Client().get(f"/api/v1/surveys/{answered.slug}/results").status_code == 404
    staff = Client()
    staff.force_login(secretariat)
    page = staff.get(url)
    assert page.status_code == 200 and "not public" in page.content.decode()
    assert staff.post(f"/surveys/{answered.slug}/manage/", {"publish": "1"}).status_code == 302
    page = Client().get(url).content.decode()
    assert "Bradford" in page and "no respondents" in page and "fewer than 10" in page
    assert "Canlyniadau" in Client().get(f"/cy{url}").content.decode()
    data = json.loads(Client().get(f"/api/v1/surveys/{answered.slug}/results").content)
    assert data["responses"] == 65 and {p["place"] for p in data["places"]} == {"bradford", "coventry"}
    assert not any(k in json.dumps(data) for k in ("postcode", "token", "browser", "email"))
    rows = list(csv.DictReader(io.StringIO(Client().get(f"/surveys/{answered.slug}/results/answers.csv")
                                           .content.decode())))  # fmt: skip
    coventry = [r for r in rows if r["group"] == "Coventry"]
    assert coventry and all(r["percent"] == "" for r in coventry)
    listed = json.loads(Client().get("/api/v1/surveys/").content)
    assert [s["slug"] for s in listed["results"]] == [answered.slug]
    rep = Client().get(f"/api/v1/surveys/{answered.slug}/results?format=csv&table=representativeness")
    assert rep.status_code == 200 and "cannot_be_fixed_by_weighting" in rep.content.decode()


def test_only_managers_see_and_change_a_survey(answered: Any, officer: User, client_for: Any) -> None:
    # The officer is Bradford's; the survey is for Bradford and Coventry: they see it, but only the secretariat
    # changes a survey for more than one place.
    bradford_officer = Client()
    bradford_officer.force_login(officer)
    assert bradford_officer.get(f"/surveys/{answered.slug}/manage/").status_code == 200
    assert bradford_officer.post(f"/surveys/{answered.slug}/manage/", {"publish": "1"}).status_code == 403
    assert client_for("partner").get(f"/surveys/{answered.slug}/manage/").status_code == 403


def test_each_question_has_a_chart_with_intervals_a_table_and_a_csv(answered: Any) -> None:
    services.publish_results(answered, True)
    page = Client().get(f"/surveys/{answered.slug}/results/").content.decode()
    title = "How often do you visit the town centre?: all respondents"
    assert "<svg" in page and f'role="img" aria-label="{title}"' in page and f"<title>{title}</title>" in page
    assert "How often do you visit the town centre?: Bradford" in page  # a chart per place
    assert "How often do you visit the town centre?: Coventry" not in page  # every figure suppressed: no chart
    assert f'href="/surveys/{answered.slug}/results/question-1.csv"' in page
    built = results.build(answered)
    everyone = [r for r in built.questions[0].rows if r.group_kind == "all"]
    chart = presenters.answer_chart("T", everyone)
    assert chart is not None and chart.columns == ["Answer", "Unweighted", "Unweighted: 95% interval", "Weighted",
                                                   "Weighted: 95% interval"]  # fmt: skip
    weekly = everyone[0].share
    assert chart.rows[0][:3] == ["Every week", f"{weekly.percent:.1f}%", f"{weekly.low:.1f}%–{weekly.high:.1f}%"]
    raw = list(csv.DictReader(io.StringIO(chart.csv)))
    assert (raw[0]["category"], raw[0]["series"], float(raw[0]["value"])) == ("Every week", "Unweighted",
                                                                               weekly.percent)  # fmt: skip
    assert float(raw[1]["value"]) == pytest.approx(weekly.weighted_percent)
    # The description says what the bars are.
    assert "unweighted, weighted" in chart.spec["description"].lower()
    one = list(csv.DictReader(io.StringIO(Client().get(f"/surveys/{answered.slug}/results/question-1.csv")
                                          .content.decode())))  # fmt: skip
    assert one and {r["question"] for r in one} == {"1"} and one[0]["count"] == "33"
    assert Client().get(f"/surveys/{answered.slug}/results/question-99.csv").status_code == 404
    welsh = Client().get(f"/cy/surveys/{answered.slug}/results/").content.decode()
    assert "Heb eu pwysoli" in welsh or "Heb ei bwysoli" in welsh

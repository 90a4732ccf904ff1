"""Pilots: the registry as staff enter it, the evaluation on real observatory data (the bundled ONS GDP workbook and
the small extracts the session loads), its refusals, and the estimates recomputed independently of pysyncon and
linearmodels."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import numpy as np
import pytest
from auditlog.models import LogEntry
from django.test import Client

from keycities.network.models import Place
from keycities.observatory import queries as observatory
from keycities.pilots import estimation, panel, presenters, services
from keycities.pilots.forms import PilotForm
from keycities.pilots.models import Evaluation, Outcome, Pilot

pytestmark = pytest.mark.django_db


@pytest.fixture
def coventry(registry: None) -> Place:
    return Place.objects.get(slug="coventry")


@pytest.fixture
def pilot(secretariat: Any, coventry: Place) -> Pilot:
    return services.create_pilot(
        {
            "name": "Coventry skills test bed",
            "kind": "devolved-delivery",
            "published": True,
            "summary": "Adult skills budget run by the city.",
            "places": [coventry],
        },
        by=secretariat,
    )


def outcome_on(pilot: Pilot, place: Place, indicator: str, year: int, by: Any) -> Outcome:
    return services.add_outcome(
        pilot, {"indicator": indicator, "place": place, "intervention": dt.date(year, 4, 1), "expected": 1}, by=by
    )


def evaluated(outcome: Outcome, by: Any) -> Evaluation:
    """Run the evaluation as the task does (the page's button is tested on its own)."""
    started = services.start_evaluation(outcome, by=by)
    return services.run_evaluation(started.pk)


def test_staff_enter_a_pilot_and_evaluate_it_through_the_pages(
    client_for: Any, coventry: Place, django_capture_on_commit_callbacks: Any
) -> None:
    client: Client = client_for("secretariat")
    response = client.post(
        "/pilots/new/",
        {
            "name": "Coventry employment pilot",
            "kind": "national-pilot",
            "places": [coventry.pk],
            "summary": "A public summary.",
            "funder": "Department for Work and Pensions",
            "funding": "250000",
            "start": "2012-04-01",
            "end": "2015-03-31",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pilot = Pilot.objects.get(name="Coventry employment pilot")
    assert LogEntry.objects.get_for_object(pilot).exists()
    response = client.post(
        f"/pilots/{pilot.slug}/milestones/", {"title": "First cohort", "due": "2012-09-01", "status": "done"}
    )
    assert pilot.milestones.get().status == "done"
    response = client.post(
        f"/pilots/{pilot.slug}/outcomes/new/",
        {"indicator": "gdp-per-head", "place": coventry.pk, "intervention": "2012-04-01", "expected": "1"},
    )
    assert response.status_code == 302
    outcome = pilot.outcomes.get()
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs the task on commit
        client.post(f"/pilots/{pilot.slug}/outcomes/{outcome.pk}/evaluate/")
    evaluation = outcome.evaluations.get()
    assert evaluation.state == Evaluation.State.DONE, evaluation.refusal
    assert evaluation.done == evaluation.total > 0
    page = Client().get(f"/pilots/{pilot.slug}/outcomes/{outcome.pk}/").content.decode()
    assert "<svg" in page and "synthetic control" in page and "Caveats" in page
    api = Client().get(f"/api/v1/pilots/{pilot.slug}/evaluation", {"indicator": "gdp-per-head"}).json()
    assert api["state"] == "done" and api["headline"] and api["refusal"] is None
    assert abs(sum(w["weight"] for w in api["result"]["weights"]) - 1) < 1e-6
    assert len(api["result"]["placebos"]) == len(api["comparators"]) == estimation.DEFAULT_COMPARATORS
    weights = Client().get(
        f"/api/v1/pilots/{pilot.slug}/evaluation", {"indicator": "gdp-per-head", "format": "csv", "part": "weights"}
    )
    assert weights["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(weights.content.decode())))
    assert {r["code"] for r in rows} == set(api["comparators"])
    assert Client().get("/api/v1/pilots/").json()["results"][0]["slug"] == pilot.slug
    listing = Client().get("/pilots/").content.decode()
    assert "Pilots by local authority" in listing and "Coventry employment pilot" in listing
    assert Client().get(f"/api/v1/pilots/{pilot.slug}").json()["outcomes"][0]["evaluation_state"] == "done"


def test_estimates_recomputed_independently(pilot: Pilot, coventry: Place, secretariat: Any) -> None:
    """The stored figures, recomputed from the observatory's panel with numpy alone: the synthetic series is the
    weighted donors, the gap and RMSPE follow, the p-value is the rank among the placebos, and the
    difference-in-differences estimate is the treated place's change less the comparators' mean change."""
    evaluation = evaluated(outcome_on(pilot, coventry, "gdp-per-head", 2012, secretariat), secretariat)
    result = evaluation.result
    assert result is not None
    data, _sources = panel.build(observatory.indicator("gdp-per-head"), coventry)  # type: ignore[arg-type]
    periods = result["periods"]
    assert periods[0] == 1998 and periods[-1] == 2020  # the 2022-23 extract (members only) is left out
    codes = [w["code"] for w in result["weights"]]
    w = np.array([w["weight"] for w in result["weights"]])
    assert (w >= 0).all() and abs(w.sum() - 1) < 1e-9
    Y = np.array([[data.series[c][p] for c in codes] for p in periods])
    y = np.array([data.series["coventry"][p] for p in periods])
    assert np.allclose(Y @ w, result["synthetic"]) and np.allclose(y, result["treated_series"])
    pre = np.array(periods) < 2012
    gap = y - Y @ w
    assert result["estimate"] == pytest.approx(gap[~pre].mean())
    assert result["pre_rmspe"] == pytest.approx(np.sqrt((gap[pre] ** 2).mean()))
    effects = np.array([p["effect"] for p in result["placebos"]])
    rank = 1 + (np.abs(effects) >= abs(result["estimate"])).sum()
    assert result["p"] == pytest.approx(rank / (len(effects) + 1))
    assert result["low"] <= result["estimate"] <= result["high"]
    assert (result["low"] <= 0 <= result["high"]) == (result["p"] > estimation.ALPHA)  # the same test, inverted
    change = Y[~pre].mean(axis=0) - Y[pre].mean(axis=0)
    did = (y[~pre].mean() - y[pre].mean()) - change.mean()
    assert result["did"]["estimate"] == pytest.approx(did, rel=1e-6)
    assert result["did"]["se"] > 0 and result["did"]["low"] < did < result["did"]["high"]
    # The clustered standard error, recomputed with statsmodels (place and year dummies, errors clustered by
    # place): the two libraries' small-sample corrections differ by a few per cent, no more.
    import pandas as pd
    import statsmodels.api as sm

    values = np.column_stack([y, Y])
    frame = pd.DataFrame(
        [
            (j, t, values[t, j], float(j == 0 and not pre[t]))
            for j in range(values.shape[1])
            for t in range(len(periods))
        ],
        columns=["unit", "year", "y", "d"],
    )
    X = sm.add_constant(pd.get_dummies(frame[["unit", "year"]].astype(str), drop_first=True).astype(float))
    X["d"] = frame["d"]
    fitted = sm.OLS(frame["y"], X).fit(cov_type="cluster", cov_kwds={"groups": frame["unit"]})
    assert fitted.params["d"] == pytest.approx(did, rel=1e-6)
    assert fitted.bse["d"] == pytest.approx(result["did"]["se"], rel=0.1)
    assert result["in_time"]["year"] < 2012
    # The weights solve the synthetic control's problem: recomputed with another solver (scipy's NNLS with the
    # sum-to-one constraint as a heavily weighted row, on pysyncon's scaling of each year by its spread across
    # places), the optimum's pre-period fit is no better than the stored one's.
    from scipy.optimize import nnls

    scale = np.column_stack([Y[pre], y[pre]]).std(axis=1, ddof=1)
    A, b = Y[pre] / scale[:, None], y[pre] / scale
    heavy = 1e4
    w_nnls, _ = nnls(np.vstack([A, heavy * np.ones(len(codes))]), np.append(b, heavy))
    assert abs(w_nnls.sum() - 1) < 1e-3
    assert np.sum((A @ w - b) ** 2) <= np.sum((A @ w_nnls - b) ** 2) * 1.01 + 1e-9
    # The synthetic control fits at least as well before the intervention as the plain mean of the comparators.
    assert result["pre_rmspe"] <= np.sqrt(((y[pre] - Y[pre].mean(axis=1)) ** 2).mean()) + 1e-9


def test_refusals_give_a_reason_and_no_number(pilot: Pilot, coventry: Place, secretariat: Any) -> None:
    few = evaluated(outcome_on(pilot, coventry, "employment-rate", 2023, secretariat), secretariat)
    assert few.state == Evaluation.State.REFUSED and few.result is None
    assert few.refusal["code"] == "too-few-pre-periods"  # type: ignore[index]
    late = evaluated(outcome_on(pilot, coventry, "gdp-per-head", 2031, secretariat), secretariat)
    assert late.refusal["code"] == "after-last-data"  # type: ignore[index]
    assert "after the last year with figures" in presenters.refusal_reason(late.refusal)  # type: ignore[arg-type]

    gva = outcome_on(pilot, coventry, "gdp-cvm-index", 2012, secretariat)
    services.set_comparators(gva, ["E06000001", "E06000002"], "Only the Tees", by=secretariat)
    assert evaluated(gva, secretariat).refusal["code"] == "no-donors"  # type: ignore[index]

    gdp = outcome_on(pilot, coventry, "gdp", 2012, secretariat)
    data, _ = panel.build(observatory.indicator("gdp"), coventry)  # type: ignore[arg-type]
    smallest = sorted(
        (sum(v.values()) / len(v), c)
        for c, v in data.series.items()
        if c != "coventry" and c.startswith("E0") and len(v) >= 20
    )[:12]
    services.set_comparators(gdp, [c for _, c in smallest], "The smallest economies", by=secretariat)
    refused = evaluated(gdp, secretariat)
    assert refused.refusal["code"] == "outside-hull" and refused.result is None  # type: ignore[index]
    api = Client().get(f"/api/v1/pilots/{pilot.slug}/evaluation", {"indicator": "gdp"}).json()
    assert api["result"] is None and "outside the range" in api["refusal"]["reason"]
    assert (
        Client().get(f"/api/v1/pilots/{pilot.slug}/evaluation", {"indicator": "gdp", "format": "csv"}).status_code
        == 404
    )


def test_comparators_are_staffs_to_change_and_recorded(pilot: Pilot, coventry: Place, secretariat: Any) -> None:
    outcome = outcome_on(pilot, coventry, "gdp-per-head", 2012, secretariat)
    with pytest.raises(Exception, match="Say why"):
        services.set_comparators(outcome, ["E06000001"], "", by=secretariat)
    with pytest.raises(Exception, match="own places"):
        services.set_comparators(outcome, ["E08000026"], "Coventry itself", by=secretariat)
    services.set_comparators(outcome, ["e06000001", "E06000002 "], "Closer economies", by=secretariat)
    outcome.refresh_from_db()
    assert outcome.comparators == ["E06000001", "E06000002"]
    entry = LogEntry.objects.get_for_object(outcome).order_by("-timestamp").first()
    assert entry is not None and "comparators" in entry.changes_dict


def test_a_pilot_candidate_becomes_a_pilot_keeping_its_history(client_for: Any, secretariat: Any) -> None:
    from keycities.network.models import WorkArea
    from keycities.proposals import services as proposals
    from keycities.proposals.models import Status

    sent = proposals.submit(
        proposals.Draft(
            name="Pat",
            email="pat@example.org",
            organisation="",
            organisation_type="charity",
            work_areas=[WorkArea.objects.get(slug="skills")],
            not_sure=False,
            places=[Place.objects.get(slug="hull")],
            title="Retrofit apprenticeships",
            summary="Train retrofitters.",
            details="Details.",
            files=[],
        )
    )
    client = client_for("secretariat")
    client.post(f"/pilots/from-proposal/{sent.proposal.reference}/")
    assert not Pilot.objects.exists()  # not a pilot candidate yet
    proposals.transition(sent.proposal, Status.PILOT_CANDIDATE, by=secretariat)
    assert "Make this proposal a pilot" in client.get(f"/proposals/{sent.proposal.reference}/").content.decode()
    response = client.post(f"/pilots/from-proposal/{sent.proposal.reference}/")
    pilot = Pilot.objects.get(proposal=sent.proposal)
    assert response.status_code == 302 and response["Location"].endswith(f"/pilots/{pilot.slug}/edit/")
    assert not pilot.published and [p.slug for p in pilot.places.all()] == ["hull"]
    assert sent.proposal.events.filter(note__contains=pilot.slug).exists()
    assert "This proposal became a pilot" in client.get(f"/proposals/{sent.proposal.reference}/").content.decode()
    client.post(f"/pilots/from-proposal/{sent.proposal.reference}/")
    assert Pilot.objects.count() == 1
    assert sent.proposal.reference in client.get(f"/pilots/{pilot.slug}/").content.decode()


def test_the_form_checks_dates_and_savings(registry: None) -> None:
    form = PilotForm(
        {
            "name": "X",
            "kind": "invest-to-save",
            "places": [Place.objects.get(slug="hull").pk],
            "summary": "S",
            "start": "2020-01-01",
            "end": "2019-01-01",
            "claimed_savings": "1000",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"end", "savings_method"}


def test_headline_says_when_not_distinguishable() -> None:
    result = {
        "unit": "%",
        "estimate": -0.31,
        "low": -0.95,
        "high": 0.33,
        "p": 13 / 31,
        "alpha": 0.1,
        "expected": -1,
        "first_post": 2015,
        "treated": {"name": "Coventry"},
        "placebos": [{}] * 30,
        "distinguishable": False,
    }
    said = presenters.headline(result, "Claimant rate")
    assert said.startswith("From 2015, Claimant rate in Coventry was 0.3 percentage points lower")
    assert "not distinguishable from the placebos: 12 of 30" in said and "90% interval −0.9 to 0.3" in said
    result.update(p=1 / 31, distinguishable=True, estimate=0.8, low=0.2, high=1.4)
    said = presenters.headline(result, "Claimant rate")
    assert "Only 0 of 30" in said and "opposite of the change the pilot hoped for" in said


def test_a_pilots_documents_are_library_publications_shown_as_the_library_allows(
    pilot: Pilot, secretariat: Any, client_for: Any
) -> None:
    from keycities.library.tests.test_search import publish

    public = publish(secretariat, title="Evaluation plan for the Coventry pilot")
    private = publish(secretariat, title="Draft cost model for the Coventry pilot", is_public=False)
    form = PilotForm(
        {"name": pilot.name, "kind": pilot.kind, "places": [p.pk for p in pilot.places.all()],
         "summary": pilot.summary, "documents": [public.pk, private.pk], "published": "on"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    services.update_pilot(pilot, form.cleaned_data, by=secretariat)
    assert set(pilot.documents.all()) == {public, private}
    assert any("documents" in e.changes_dict for e in LogEntry.objects.get_for_object(pilot))
    url = pilot.get_absolute_url()
    anonymous = client_for("anonymous").get(url).content.decode()
    assert "Evaluation plan for the Coventry pilot" in anonymous and "Draft cost model" not in anonymous
    staff = client_for("secretariat").get(url).content.decode()
    assert "Draft cost model for the Coventry pilot" in staff and "Staff only" in staff
    api = client_for("anonymous").get(f"/api/v1/pilots/{pilot.slug}").json()
    assert [d["title"] for d in api["documents"]] == ["Evaluation plan for the Coventry pilot"]
    assert api["documents"][0]["url"].endswith(public.get_absolute_url())

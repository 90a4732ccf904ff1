"""The asks ledger (page, CSV, API) and the consultations API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from keycities.accounts.models import User
from keycities.consultations import services
from keycities.consultations.models import Consultation, Stage
from keycities.network.models import Place, WorkArea

from .conftest import draft, signed_in, today

pytestmark = pytest.mark.django_db


def publish(c: Consultation, lead: User, secretariat: User, hull: User) -> None:
    services.add_questions(c, ["Do you agree?"], by=lead)
    draft(c, lead, ["Yes, with a floor."])
    services.open_review(c, today(), by=lead)
    services.record_review(c, hull.place, "endorse", by=hull)  # type: ignore[arg-type]
    services.record_review(c, lead.place, "endorse", by=lead)  # type: ignore[arg-type]
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    services.mark_submitted(c, today(), by=secretariat)


@pytest.fixture
def ledger(consultation: Consultation, officer: User, secretariat: User, members: dict[str, User]) -> dict:  # type: ignore[type-arg]
    skills, transport = WorkArea.objects.get(slug="skills"), WorkArea.objects.get(slug="transport")
    a1 = services.add_ask(consultation, "Devolve the adult skills budget", "Department for Education", skills,
                          by=officer)  # fmt: skip
    a2 = services.add_ask(consultation, "Five-year bus funding settlements", "HM Treasury", transport, by=officer)
    publish(consultation, officer, secretariat, members["hull"])
    services.update_ask(a1, "accepted", today(), "https://www.gov.uk/response#skills", by=secretariat)
    other = services.create_consultation({
        "title": "Still drafting", "body_type": "committee", "body_name": "Treasury Committee",
        "url": "https://committees.parliament.uk/x", "published_on": today() - dt.timedelta(days=3),
        "closes_on": today() + dt.timedelta(days=30), "lead_place": Place.objects.get(slug="hull"),
    }, by=secretariat)  # fmt: skip
    a3 = services.add_ask(other, "A draft ask", "HM Treasury", None, by=secretariat)
    return {"asks": (a1, a2, a3), "other": other}


def test_ask_status_needs_evidence_and_keeps_history(ledger: dict, secretariat: User) -> None:  # type: ignore[type-arg]
    a1, a2, _ = ledger["asks"]
    with pytest.raises(ValidationError, match="Give the evidence"):
        services.update_ask(a2, "rejected", today(), "", by=secretariat)
    services.update_ask(a1, "implemented", today(), "Budget devolved from April.", by=secretariat)
    a1.refresh_from_db()
    assert (a1.status, a1.evidence) == ("implemented", "Budget devolved from April.")
    assert [u.status for u in a1.updates.all()] == ["accepted", "implemented"]


def test_ledger_page_filters_and_hides_unpublished_asks(ledger: dict, officer: User) -> None:  # type: ignore[type-arg]
    page = Client().get("/consultations/asks/").content.decode()
    assert "2 asks." in page and "Devolve the adult skills budget" in page and "A draft ask" not in page
    page = Client().get("/consultations/asks/?department=HM+Treasury").content.decode()
    assert "1 ask." in page and "Five-year bus funding settlements" in page and "Devolve" not in page
    page = Client().get("/consultations/asks/?status=accepted&work_area=skills").content.decode()
    assert "1 ask." in page and "Devolve the adult skills budget" in page
    assert "0 asks." in Client().get("/consultations/asks/?status=rejected").content.decode()
    staff = signed_in(officer).get("/consultations/asks/?department=HM+Treasury").content.decode()
    assert "2 asks." in staff and "A draft ask" in staff  # members see drafts' asks too


def test_ledger_csv(ledger: dict) -> None:  # type: ignore[type-arg]
    response = Client().get("/consultations/asks.csv?work_area=skills")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["ask"], r["department"], r["work_area"], r["status"], r["status_on"]) for r in rows] == [
        ("Devolve the adult skills budget", "Department for Education", "Skills", "Accepted", today().isoformat())
    ]
    assert rows[0]["evidence"] == "https://www.gov.uk/response#skills"


def test_asks_api(ledger: dict) -> None:  # type: ignore[type-arg]
    body = Client().get("/api/v1/asks/").json()
    assert body["count"] == 2 and body["next"] is None
    assert {r["ask"]: r["status"] for r in body["results"]} == {
        "Devolve the adult skills budget": "accepted", "Five-year bus funding settlements": "no-reply"}  # fmt: skip
    one = Client().get("/api/v1/asks/?department=HM%20Treasury").json()["results"]
    assert [(r["ask"], r["work_area"], r["status_label"]) for r in one] == [
        ("Five-year bus funding settlements", "transport", "No reply")
    ]
    page = Client().get("/api/v1/asks/?limit=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and "offset=1" in page["next"]
    rows = list(csv.DictReader(io.StringIO(Client().get("/api/v1/asks/?format=csv&status=accepted").content.decode())))
    assert [r["ask"] for r in rows] == ["Devolve the adult skills budget"]
    error = Client().get("/api/v1/asks/?status=maybe").json()
    assert error["error"]["status"] == 422 and error["error"]["code"] == "invalid_parameters"


def test_consultations_api(ledger: dict, consultation: Consultation) -> None:  # type: ignore[type-arg]
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=today() - dt.timedelta(days=1))
    closed = today() - dt.timedelta(days=5)
    services.create_consultation({
        "title": "Closed and ignored", "body_type": "other", "body_name": "Someone",
        "url": "https://example.org/closed", "published_on": today() - dt.timedelta(days=90),
        "closes_on": closed, "lead_place": Place.objects.get(slug="hull")}, by=None)  # fmt: skip
    body = Client().get("/api/v1/consultations/").json()
    assert [r["title"] for r in body["results"]] == ["Skills England: post-16 funding reform", "Still drafting"]
    published, still = body["results"]
    assert published["is_open"] is False and published["days_left"] is None
    assert published["response"]["endorsed_by"] == ["Bradford", "Hull"]
    positions = published["response"]["positions"]
    assert (positions["endorsed"], positions["objected"], len(positions["did_not_respond"])) == (["Bradford", "Hull"],
                                                                                               [], 22)  # fmt: skip
    assert published["response"]["objection_overridden"] is None
    assert published["response"]["questions"] == [{"question": "Do you agree?", "answer": "Yes, with a floor."}]
    assert published["response"]["url"] == f"/consultations/responses/{consultation.pk}/"
    assert still["days_left"] == 30 and still["response"] is None and still["stage"] == "Considering a response"
    assert still["body_type_label"] == "Parliamentary committee"
    assert [r["title"] for r in Client().get("/api/v1/consultations/?show=open").json()["results"]] == [
        "Still drafting"
    ]
    assert [r["title"] for r in Client().get("/api/v1/consultations/?show=published").json()["results"]] == [
        "Skills England: post-16 funding reform"
    ]
    rows = list(csv.DictReader(io.StringIO(Client().get("/api/v1/consultations/?format=csv").content.decode())))
    assert rows[0]["endorsed_by"] == "Bradford; Hull" and rows[1]["days_left"] == "30"
    assert Client().post("/api/v1/consultations/", {}).status_code == 405
    assert Consultation.objects.get(pk=consultation.pk).status == Stage.SUBMITTED


def test_an_asks_department_is_chosen_from_those_already_used(ledger: dict, officer: User) -> None:  # type: ignore[type-arg]
    c = ledger["asks"][0].consultation
    page = " ".join(signed_in(officer).get(f"/consultations/{c.pk}/asks/").content.decode().split())
    assert 'list="id_department-options"' in page
    options = re.findall(r'<option value="([^"]+)">', page.split('<datalist id="id_department-options">')[1]
                         .split("</datalist>")[0])  # fmt: skip
    assert options == ["Department for Education", "HM Treasury"]  # asks' departments and those consulting
    from keycities.engagement.models import Organisation

    Organisation.objects.create(name="Department for Transport", kind="department")
    Organisation.objects.create(name="BBC Radio Leeds", kind="media")
    page = signed_in(officer).get(f"/consultations/{c.pk}/asks/").content.decode()
    assert '<option value="Department for Transport">' in page and "BBC Radio Leeds" not in page

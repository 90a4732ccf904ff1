"""Every consultation page for every role, anonymous included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from keycities.accounts.models import User
from keycities.consultations import services
from keycities.consultations.models import Consultation
from keycities.tests.fixtures import ROLES

from .conftest import TODAY, draft, make_officer, signed_in

pytestmark = pytest.mark.django_db

PUBLIC, STAFF, LEAD, SECRETARIAT = "public", "staff", "lead", "secretariat"
# (path under /consultations/, who may; {pk} is a draft in member review, {pub} a published response)
PAGES = [
    ("", PUBLIC), ("responses/", PUBLIC), ("responses/{pub}/", PUBLIC), ("asks/", PUBLIC), ("asks.csv", PUBLIC),
    ("{pub}/response.docx", PUBLIC), ("{pub}/response.pdf", PUBLIC),
    ("register/", STAFF), ("{pk}/", STAFF), ("{pk}/versions/", STAFF), ("{pk}/compare/?from=1&to=2", STAFF),
    ("{pk}/review/", STAFF), ("{pk}/asks/", STAFF), ("{pk}/history/", STAFF), ("{pk}/documents/{doc}/", STAFF),
    ("{pk}/edit/", LEAD),
    ("new/", SECRETARIAT), ("import/", SECRETARIAT), ("{pk}/details/", SECRETARIAT),
]  # fmt: skip
# What each role gets for each kind of page: 200, 302 (sent to sign in), 403 or 404.
EXPECTED = {
    PUBLIC: {"anonymous": 200, "partner": 200, "officer": 200, "secretariat": 200, "other_officer": 200},
    STAFF: {"anonymous": 302, "partner": 403, "officer": 200, "secretariat": 200, "other_officer": 200},
    LEAD: {"anonymous": 302, "partner": 403, "officer": 200, "secretariat": 200, "other_officer": 403},
    SECRETARIAT: {"anonymous": 302, "partner": 403, "officer": 403, "secretariat": 200,
                  "other_officer": 403},
}  # fmt: skip


@pytest.fixture
def world(consultation: Consultation, officer: User, secretariat: User, partner: User) -> dict:  # type: ignore[type-arg]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    hull = make_officer("hull")
    services.add_questions(consultation, ["Q?"], by=officer)
    draft(consultation, officer, ["A."])
    doc = services.add_document(consultation, SimpleUploadedFile("paper.pdf", PDF), by=officer)
    services.open_review(consultation, TODAY, by=officer)
    pub = services.create_consultation({
        "title": "Published", "body_type": "other", "body_name": "B", "url": "https://example.org/p",
        "published_on": TODAY - dt.timedelta(days=9), "closes_on": TODAY, "lead_place": hull.place,
    }, by=None)  # fmt: skip
    services.add_questions(pub, ["Q?"], by=hull)
    services.open_review(pub, TODAY, by=hull)
    services.sign_off(pub, by=secretariat)
    services.mark_submitted(pub, TODAY, by=secretariat)
    return {"pk": consultation.pk, "pub": pub.pk, "doc": doc.pk, "other_officer": hull}


def client(role: str, client_for, world: dict) -> Client:  # type: ignore[no-untyped-def, type-arg]
    return signed_in(world["other_officer"]) if role == "other_officer" else client_for(role)


@pytest.mark.parametrize("role", [*ROLES, "other_officer"])
def test_every_page_for_every_role(client_for, world: dict, role: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    c = client(role, client_for, world)
    got = {}
    for path, _ in PAGES:
        url = "/consultations/" + path.format(**world)
        response = c.get(url)
        got[path] = response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/account/sign-in/?next=")
    assert got == {path: EXPECTED[rule][role] for path, rule in PAGES}


@pytest.mark.parametrize("role", [*ROLES, "other_officer"])
def test_unpublished_responses_and_exports_stay_private(client_for, world: dict, role: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    c = client(role, client_for, world)
    assert c.get(f"/consultations/responses/{world['pk']}/").status_code == 404
    assert c.get(f"/consultations/{world['pk']}/response.pdf").status_code == 404  # in review: not signed off
    assert c.get(f"/consultations/{world['pub']}/response.odt").status_code == 404


# (action posted, to which page, who may)
ACTIONS = [
    ("{pk}/", {"action": "comment", "section": "{section}", "text": "Good."},
     {"officer", "secretariat", "other_officer"}),
    ("{pk}/review/", {"action": "record", "decision": "endorse"}, {"officer", "other_officer"}),
    ("{pk}/review/", {"action": "remind"}, {"officer", "secretariat"}),
    ("{pk}/review/", {"action": "sign-off"}, {"secretariat"}),
    ("{pk}/asks/", {"action": "add", "text": "Ask", "department": "HMT"}, {"officer", "secretariat"}),
]  # fmt: skip


@pytest.mark.parametrize("role", [*ROLES, "other_officer"])
@pytest.mark.parametrize(("path", "data", "allowed"), ACTIONS)
def test_every_action_for_every_role(client_for, world: dict, role: str, path: str, data: dict,  # type: ignore[no-untyped-def, type-arg]
                                     allowed: set[str]) -> None:  # fmt: skip
    section = Consultation.objects.get(pk=world["pk"]).sections.get().pk
    c = client(role, client_for, world)
    response = c.post("/consultations/" + path.format(**world),
                      {k: v.format(section=section) for k, v in data.items()})  # fmt: skip
    if role in allowed:
        assert response.status_code == 302 and not response["Location"].startswith("/account/")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role == "anonymous":
            assert response["Location"].startswith("/account/sign-in/")


def test_secretariat_admin_permissions(secretariat: User) -> None:
    assert secretariat.has_perm("consultations.change_consultation")
    assert signed_in(secretariat).get("/admin/consultations/consultation/").status_code == 200
    assert signed_in(secretariat).get("/admin/consultations/version/add/").status_code == 403

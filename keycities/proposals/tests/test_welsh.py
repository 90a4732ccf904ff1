"""'Work with us' in Welsh (issue 14): the form, check-answers and confirmation pages at /cy/work-with-us/, the
proposal's language, and a submitter answered in the language they wrote in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from keycities.accounts.models import User
from keycities.network.models import WorkArea
from keycities.proposals import services
from keycities.proposals.models import Language, Proposal, Status

pytestmark = pytest.mark.django_db

WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
                "Tachwedd", "Rhagfyr"]  # fmt: skip
GOOD = {
    "name": "Siân Owen", "email": "sian@example.org", "organisation": "Menter Abertawe",
    "organisation_type": "charity", "work_areas": ["skills"], "places": ["swansea"],
    "title": "Prentisiaethau digidol i oedolion", "summary": "Cyrsiau deuddeg wythnos am ddim i oedolion.",
    "details": "Byddem yn cynnal y cyrsiau gyda’r colegau lleol a chyflogwyr.", "consent": "on",
}  # fmt: skip


def welsh_date(day: dt.date) -> str:
    return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def send_in_welsh(client: Client, capture) -> Proposal:  # type: ignore[no-untyped-def]
    response = client.post("/cy/work-with-us/", {**GOOD, "attachments": []})
    assert response.status_code == 302 and response["Location"] == "/cy/work-with-us/check/"
    with capture(execute=True):
        done = client.post("/cy/work-with-us/check/")
    assert done["Location"] == "/cy/work-with-us/confirmation/"
    return Proposal.objects.latest("submitted_at")


def test_the_form_check_answers_and_confirmation_are_in_welsh(officer: User, client: Client,
                                                              django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    form = client.get("/cy/work-with-us/").content.decode()
    assert '<html lang="cy"' in form
    assert "Anfonwch eich syniad neu’ch cynnig atom" in form
    assert "Pa feysydd gwaith y mae’n ymwneud â nhw?" in form and ">Sgiliau<" in form and ">Abertawe<" in form
    assert "Elusen neu grŵp cymunedol" in form and ">Parhau<" in form

    bad = {**GOOD, "email": "dim-e-bost", "summary": "gair " * 101}
    errors = client.post("/cy/work-with-us/", bad).content.decode()
    assert "Mae problem wedi codi" in errors
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com" in errors
    assert "Rhaid i’r crynodeb fod yn 100 gair neu lai (mae 101 gair ynddo)" in errors

    client.post("/cy/work-with-us/", {**GOOD, "attachments": []})
    check = client.get("/cy/work-with-us/check/").content.decode()
    assert "Gwiriwch eich atebion cyn anfon eich cynnig" in check
    for text in ["Siân Owen", "Elusen neu grŵp cymunedol", "Sgiliau", "Abertawe", "Anfon y cynnig"]:
        assert text in check

    proposal = send_in_welsh(client, django_capture_on_commit_callbacks)
    assert proposal.language == Language.WELSH
    done = client.get("/cy/work-with-us/confirmation/").content.decode()
    assert "Mae’r cynnig wedi’i anfon" in done and "Eich cyfeirnod" in done and proposal.reference in done


def test_the_submitter_is_emailed_in_welsh_and_reviewers_are_told(officer: User, client: Client,
                                                                 django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    proposal = send_in_welsh(client, django_capture_on_commit_callbacks)
    confirmation, notice = mail.outbox
    assert confirmation.to == ["sian@example.org"]
    assert confirmation.subject == f"Eich cynnig i Key Cities: {proposal.reference}"
    assert confirmation.body.startswith("Annwyl Siân Owen,")
    assert f"Eich cyfeirnod yw {proposal.reference}." in confirmation.body
    routed = "Mae eich cynnig wedi mynd at Bradford (Sgiliau), sy’n arwain ei faes gwaith, ac at ysgrifenyddiaeth"
    assert routed in confirmation.body
    assert f"erbyn {welsh_date(proposal.first_response_due)}." in confirmation.body
    token = re.search(r"/cy/work-with-us/status/([^/\s]+)/", confirmation.body).group(1)  # type: ignore[union-attr]

    # Reviewers read the Hub's language, and are told to answer in Welsh.
    assert notice.subject == f"New proposal {proposal.reference}: Prentisiaethau digidol i oedolion"
    assert "Written in: Welsh (answer the submitter in Welsh)" in notice.body

    # The status page the link leads to is in Welsh, with Welsh dates.
    status = client.get(f"/cy/work-with-us/status/{token}/").content.decode()
    assert "Beth sydd wedi digwydd" in status and "Daeth y cynnig i law." in status and "Wedi dod i law" in status
    assert welsh_date(proposal.first_response_due) in status
    added = client.post(f"/cy/work-with-us/status/{token}/", {"text": "Mwy o wybodaeth."}, follow=True)
    assert "Diolch. Mae’r wybodaeth wedi’i hychwanegu at eich cynnig." in added.content.decode()

    # A reviewer working in English answers; the submitter reads it in Welsh.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(proposal, Status.ACCEPTED, by=officer, public_answer="Byddwn yn bwrw ymlaen â hyn.")
    (answer,) = mail.outbox
    assert answer.subject == f"Eich cynnig {proposal.reference}: Wedi’i dderbyn i’r rhaglen waith"
    assert "Statws eich cynnig" in answer.body and "Byddwn yn bwrw ymlaen â hyn." in answer.body
    status = client.get(f"/cy/work-with-us/status/{token}/").content.decode()
    assert "Newidiwyd y statws i ‘Wedi’i dderbyn i’r rhaglen waith’." in status


def test_reviewers_see_the_language_on_the_review_page_and_queue(officer: User, client: Client,
                                                                django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    proposal = send_in_welsh(client, django_capture_on_commit_callbacks)
    staff = Client()
    staff.force_login(officer)
    review = staff.get(f"/proposals/{proposal.reference}/").content.decode()
    assert "Written in" in review and '<strong class="govuk-tag govuk-tag--blue">Welsh</strong>' in review
    assert "answer them in Welsh" in review
    queue = staff.get("/proposals/").content.decode()
    assert proposal.reference in queue and '<strong class="govuk-tag govuk-tag--blue">Welsh</strong>' in queue
    rows = staff.get("/proposals/export.csv").content.decode().splitlines()
    assert rows[0].endswith(",language") and rows[1].startswith(proposal.reference) and rows[1].endswith(",cy")
    # A Welsh-speaking reviewer sees the same in Welsh.
    cymraeg = staff.get(f"/cy/proposals/{proposal.reference}/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--blue">Cymraeg</strong>' in cymraeg and "Hanes" in cymraeg
    suggested = re.search(r"Awgrymwyd</dt><dd class=\"govuk-summary-list__value\">([^<]*)<", cymraeg).group(1)  # type: ignore[union-attr]
    welsh_names = dict(WorkArea.objects.values_list("slug", "name_cy"))
    assert [n.rsplit(" (", 1)[0] for n in suggested.split("), ")] == [
        welsh_names[x["slug"]] for x in proposal.suggestions[:3]
    ]


def test_an_english_proposal_stays_english(officer: User, client: Client,
                                           django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    client.post("/work-with-us/", {**GOOD, "attachments": []})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/work-with-us/check/")
    proposal = Proposal.objects.get()
    assert proposal.language == Language.ENGLISH
    assert mail.outbox[0].subject == f"Your proposal to Key Cities: {proposal.reference}"
    assert "/work-with-us/status/" in mail.outbox[0].body and "/cy/" not in mail.outbox[0].body


def test_a_welsh_proposal_marked_not_sure_is_routed_by_what_it_says(officer: User, client: Client,
                                                                   django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    # Issue 14 item 6 (ADR 0030): the suggestion reads the Welsh, so the proposal reaches the right work area.
    client.post("/cy/work-with-us/", {
        **GOOD, "work_areas": [], "not_sure": "on", "attachments": [], "title": "Bysiau i'r cymoedd gyda'r nos",
        "summary": "Does dim bws o'r pentrefi ar ôl chwech o'r gloch.",
        "details": "Hoffem i'r cyngor gael mwy o reolaeth dros lwybrau, amserlenni a phrisiau tocynnau.",
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cy/work-with-us/check/")
    proposal = Proposal.objects.latest("submitted_at")
    assert proposal.language == Language.WELSH and proposal.not_sure
    assert [w.slug for w in proposal.work_areas.all()] == ["transport"]
    assert proposal.suggestions[0]["slug"] == "transport"

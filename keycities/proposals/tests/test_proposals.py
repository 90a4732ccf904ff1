"""'Work with us', end to end through the pages and services."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from keycities.accounts.models import ApiToken, Role, User
from keycities.core.tasks import UPLOADS_DIR
from keycities.network.models import Place
from keycities.proposals import policy, services
from keycities.proposals.models import Event, Proposal, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


GOOD = {
    "name": "Asha Patel", "email": "asha@example.org", "organisation": "Northern Skills Trust",
    "organisation_type": "charity", "work_areas": ["skills"], "places": ["bradford", "kirklees"],
    "title": "Digital skills bootcamps for adults", "summary": "Free twelve-week bootcamps for adults.",
    "details": "We would run the bootcamps with the local colleges and employers.", "consent": "on",
}  # fmt: skip


COMMITS: list = []  # type: ignore[type-arg]


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_commits(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    COMMITS[:] = [django_capture_on_commit_callbacks]


def committed():  # type: ignore[no-untyped-def]
    """Run what the code defers until the transaction commits (emails), as a real request would."""
    return COMMITS[0](execute=True)


def send(client: Client, data: dict | None = None, files: list | None = None) -> Proposal:  # type: ignore[type-arg]
    response = client.post("/work-with-us/", {**(data or GOOD), "attachments": files or []})
    assert response.status_code == 302 and response["Location"] == "/work-with-us/check/", response.content[:3000]
    with committed():
        done = client.post("/work-with-us/check/")
    assert done["Location"] == "/work-with-us/confirmation/"
    return Proposal.objects.latest("submitted_at")


def test_a_partner_sends_a_proposal_and_it_is_routed(officer: User, client: Client) -> None:
    assert client.get("/work-with-us/").status_code == 200
    proposal = send(client, files=[upload("plan.pdf", PDF), upload("budget.docx", docx())])
    assert proposal.reference == f"KC-{timezone.localdate().year}-00001"
    assert [w.slug for w in proposal.work_areas.all()] == ["skills"]
    assert sorted(a.kind for a in proposal.attachments.all()) == ["DOCX", "PDF"]
    page = client.get("/work-with-us/confirmation/").content.decode()
    assert proposal.reference in page
    confirmation, notice = mail.outbox
    assert confirmation.to == ["asha@example.org"] and proposal.reference in confirmation.subject
    token = re.search(r"/work-with-us/status/([^/\s]+)/", confirmation.body).group(1)  # type: ignore[union-attr]
    assert proposal.token_hash != token and policy.access_by_token(token) == proposal
    assert notice.to == ["officer@bradford.test", "keycities@wakefield.gov.uk"]  # Bradford leads Skills
    assert Event.objects.filter(proposal=proposal, kind="submitted").count() == 1


def test_check_your_answers_shows_everything(registry: None, client: Client) -> None:
    client.post("/work-with-us/", {**GOOD, "attachments": [upload("plan.pdf", PDF)]})
    page = client.get("/work-with-us/check/").content.decode()
    for text in ["Asha Patel", "asha@example.org", "Charity or community group", "Skills", "Bradford, Kirklees",
                 "Digital skills bootcamps for adults", "plan.pdf"]:  # fmt: skip
        assert text in page


def test_errors_keep_what_was_typed_and_files_already_attached(registry: None, client: Client) -> None:
    response = client.post("/work-with-us/", {**GOOD, "email": "not-an-email", "summary": "word " * 101,
                                              "attachments": [upload("plan.pdf", PDF)]})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert "Summary must be 100 words or fewer (it has 101)" in page
    assert 'value="Asha Patel"' in page and "Digital skills bootcamps for adults" in page
    # Nothing is stored until the whole form is valid: the person is asked to attach the file again.
    assert "Attach plan.pdf again" in page and "Remove plan.pdf" not in page
    assert not default_storage.exists(UPLOADS_DIR) or default_storage.listdir(UPLOADS_DIR)[1] == []
    client.post("/work-with-us/", {**GOOD, "website": "", "attachments": [upload("plan.pdf", PDF)]})
    page = client.post("/work-with-us/", {**GOOD, "email": "still-wrong"}).content.decode()
    assert "Remove plan.pdf" in page  # accepted with a valid form: kept when the person comes back to edit
    send(client, GOOD)
    assert Proposal.objects.get().attachments.get().original_name == "plan.pdf"
    assert default_storage.listdir(UPLOADS_DIR)[1] == []  # moved into the proposal


@pytest.mark.parametrize(("files", "message"), [
    ([upload("notes.pdf", b"just text, named like a PDF")], "notes.pdf must be a PDF, DOCX or ODT document"),
    ([upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024))], "big.pdf must be smaller than 10 MB"),
    ([upload(f"{i}.pdf", PDF) for i in range(4)], "Attach up to 3 files"),
    ([upload("empty.pdf", b"")], "empty.pdf is empty"),
])  # fmt: skip
def test_files_are_checked_by_content_size_and_number(registry: None, client: Client, files: list,  # type: ignore[type-arg]
                                                     message: str) -> None:  # fmt: skip
    page = client.post("/work-with-us/", {**GOOD, "attachments": files}).content.decode()
    assert message in page and not Proposal.objects.exists()


def test_work_areas_or_not_sure(registry: None, client: Client) -> None:
    page = client.post("/work-with-us/", {**GOOD, "work_areas": []}).content.decode()
    assert "Select the work areas your proposal is about, or select ‘Not sure’" in page


def test_not_sure_is_routed_by_the_suggestion(registry: None, client: Client) -> None:
    proposal = send(client, {**GOOD, "work_areas": [], "not_sure": "on", "title": "Bus priority on radial routes",
                             "summary": "Bus lanes and signal priority to cut congestion and journey times.",
                             "details": "Bus operators and the councils would share the costs."})  # fmt: skip
    assert proposal.not_sure and [w.slug for w in proposal.work_areas.all()] == ["transport"]
    assert proposal.suggestions[0]["slug"] == "transport" and len(proposal.suggestions) == 11


def test_honeypot_and_rate_limit(registry: None, client: Client) -> None:
    assert client.post("/work-with-us/", {**GOOD, "website": "http://spam.example"}).status_code == 400
    assert not Proposal.objects.exists()
    for _ in range(5):
        send(client)
    client.post("/work-with-us/", GOOD)
    assert client.post("/work-with-us/check/").status_code == 429
    assert Proposal.objects.count() == 5


def test_submitted_text_is_escaped_everywhere(registry: None, client: Client, client_for) -> None:  # type: ignore[no-untyped-def]
    send(client, {**GOOD, "title": "<script>alert(1)</script>"})
    proposal = Proposal.objects.get()
    for page in [client_for("secretariat").get(proposal.get_absolute_url()), client.get("/work-with-us/check/")]:
        assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client_for("secretariat").get(
        proposal.get_absolute_url()).content.decode()  # fmt: skip


def test_first_response_is_due_in_ten_working_days_of_england_and_wales() -> None:
    # 25, 26 (Saturday; substitute 28), 28 December and 1 January are bank holidays.
    assert services.add_working_days(dt.date(2026, 12, 21), 10) == dt.date(2027, 1, 7)
    assert services.add_working_days(dt.date(2026, 11, 26), 10) == dt.date(2026, 12, 10)


def test_transitions_record_who_when_why_and_email_answers(officer: User, secretariat: User, client: Client) -> None:
    proposal = send(client)
    mail.outbox.clear()
    with pytest.raises(Exception, match="Give the reason for declining"):
        services.transition(proposal, Status.DECLINED, by=officer)
    with committed():
        services.transition(proposal, Status.UNDER_REVIEW, by=officer, note="Looks promising")
        services.transition(proposal, Status.ACCEPTED, by=officer, public_answer="We will take this forward.")
    with pytest.raises(Exception, match="cannot become declined"):
        services.transition(proposal, Status.DECLINED, by=officer, note="changed our minds")
    proposal.refresh_from_db()
    assert proposal.status == Status.ACCEPTED and proposal.first_response_at is not None
    events = list(proposal.events.filter(kind="transition").values_list("from_status", "to_status", "by__username"))
    assert events == [("received", "under-review", "officer"), ("under-review", "accepted", "officer")]
    assert [m.to for m in mail.outbox] == [["asha@example.org"]] and "take this forward" in mail.outbox[0].body


def test_referral_joins_the_other_places_queue(registry: None, client: Client, client_for) -> None:  # type: ignore[no-untyped-def]
    norwich = User.objects.create_user("norwich", "o@norwich.test", "x" * 12, role=Role.MEMBER_OFFICER,
                                       place=Place.objects.get(slug="norwich"))  # fmt: skip
    proposal = send(client)
    norwich_client = Client()
    norwich_client.force_login(norwich)
    assert norwich_client.get(proposal.get_absolute_url()).status_code == 404
    sec = User.objects.create_user("s2", "s2@k.test", "x" * 12, role=Role.SECRETARIAT)
    services.transition(proposal, Status.REFERRED, by=sec, referred_to=Place.objects.get(slug="norwich"))
    assert norwich_client.get(proposal.get_absolute_url()).status_code == 200


def test_status_page_add_information_and_withdraw(registry: None, client: Client) -> None:
    send(client)
    token = re.search(r"/work-with-us/status/([^/\s]+)/", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    url = f"/work-with-us/status/{token}/"
    assert "Received" in client.get(url).content.decode()
    with committed():
        client.post(url, {"text": "We now have a second college on board."})
    assert "second college" in client.get(url).content.decode()
    asked = client.post(url, {"withdraw": "1", "seen": "received"}).content.decode()
    assert "Are you sure you want to withdraw your proposal?" in asked and 'name="confirm-withdraw"' in asked
    assert Proposal.objects.get().status == Status.RECEIVED  # nothing happens before confirmation
    client.post(url, {"confirm-withdraw": "1", "seen": "received"})
    proposal = Proposal.objects.get()
    assert proposal.status == Status.WITHDRAWN and proposal.closed_at
    assert "Add information" not in client.get(url).content.decode()
    assert client.get("/work-with-us/status/not-a-real-token/").status_code == 404


@pytest.mark.parametrize(("role", "sees"), [("anonymous", None), ("partner", []), ("officer", ["skills"]),
                                            ("secretariat", ["skills", "transport"])])  # fmt: skip
def test_who_sees_which_proposals(client_for, role: str, sees: list[str] | None) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    send(client)
    send(client, {**GOOD, "work_areas": ["transport"], "places": ["kirklees"], "title": "Bus lanes"})
    viewer = client_for(role)
    response = viewer.get("/proposals/")
    if sees is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    visible = {p.work_areas.get().slug for p in Proposal.objects.all() if p.reference in response.content.decode()}
    assert sorted(visible) == sees
    for p in Proposal.objects.all():
        expected = 200 if p.work_areas.get().slug in sees else 404
        assert viewer.get(p.get_absolute_url()).status_code == expected


def test_a_partner_sees_their_own_but_cannot_review(partner: User) -> None:
    client = Client()
    client.force_login(partner)
    proposal = send(client)
    assert proposal.submitted_by == partner
    assert proposal.reference in client.get("/proposals/").content.decode()
    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert client.post(proposal.get_absolute_url(), {"note": "1", "n-note": "hi"}).status_code == 403
    assert client.get("/proposals/export.csv").status_code == 403


def test_queue_filters_overdue_and_csv(officer: User, client_for) -> None:  # type: ignore[no-untyped-def]
    proposal = send(Client())
    Proposal.objects.filter(pk=proposal.pk).update(first_response_due=dt.date(2020, 1, 1))
    client = client_for("officer")
    assert proposal.reference in client.get("/proposals/?overdue=on").content.decode()
    services.transition(proposal, Status.UNDER_REVIEW, by=officer)
    assert proposal.reference not in client.get("/proposals/?overdue=on").content.decode()
    rows = client.get("/proposals/export.csv").content.decode().splitlines()
    assert rows[0].startswith("reference,title,status") and rows[1].startswith(proposal.reference)


def test_retention_erases_personal_data_and_keeps_the_proposal(secretariat: User) -> None:
    proposal = send(Client(), files=[upload("plan.pdf", PDF)])
    services.transition(proposal, Status.DECLINED, by=secretariat, note="Out of scope")
    services.transition(proposal, Status.CLOSED, by=secretariat)
    assert services.erase_expired(timezone.now()) == 0
    assert services.erase_expired(timezone.now() + dt.timedelta(days=731)) == 1
    proposal.refresh_from_db()
    assert (proposal.name, proposal.email, proposal.organisation) == ("[erased]", "erased@invalid", "")
    assert proposal.title == "Digital skills bootcamps for adults" and not proposal.attachments.exists()
    assert proposal.events.filter(kind="erased").exists()


def test_secretariat_exports_and_erases_a_persons_data(secretariat: User, client_for) -> None:  # type: ignore[no-untyped-def]
    proposal = send(Client())
    client = client_for("secretariat")
    export = client.post("/proposals/people/", {"email": "ASHA@example.org", "export": "1"})
    data = export.json()
    assert [p["reference"] for p in data["proposals"]] == [proposal.reference]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(proposal.pk)).exists()
    confirm = client.post("/proposals/people/", {"email": "asha@example.org", "erase": "1"})
    proposal.refresh_from_db()
    assert confirm.status_code == 200 and proposal.name == "Asha Patel"  # nothing is erased before confirmation
    client.post("/proposals/people/", {"email": "asha@example.org", "confirm-erase": "1"})
    proposal.refresh_from_db()
    assert proposal.name == "[erased]"
    for role in ("anonymous", "partner", "officer"):
        assert client_for(role).get("/proposals/people/").status_code in {302, 403}


def test_api_with_a_token_follows_the_same_rules(officer: User, client: Client) -> None:
    send(Client())
    send(Client(), {**GOOD, "work_areas": ["transport"], "places": ["kirklees"], "title": "Bus lanes"})
    _, key = ApiToken.issue(officer, "test")
    body = client.get("/api/v1/proposals/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [r["work_areas"] for r in body["results"]] == [["skills"]]
    anonymous = client.get("/api/v1/proposals/")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    assert client.get("/api/v1/proposals/", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    other = Proposal.objects.get(title="Bus lanes").reference
    assert client.get(f"/api/v1/proposals/{other}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404


def test_suggest_endpoint(registry: None, client: Client) -> None:
    response = client.post("/api/v1/work-areas/suggest", {"title": "Affordable homes",
                                                          "text": "More council housing for social rent"},
                           content_type="application/json")  # fmt: skip
    body = response.json()
    assert len(body) == 11 and body[0]["slug"] == "housing"
    assert [s["score"] for s in body] == sorted((s["score"] for s in body), reverse=True)
    for _ in range(30):
        client.post("/api/v1/work-areas/suggest", {"title": "x"}, content_type="application/json")
    assert client.post("/api/v1/work-areas/suggest", {"title": "x"},
                       content_type="application/json").status_code == 429  # fmt: skip


def test_a_line_break_in_a_title_is_saved_as_one_line_and_mailed(officer: User, client: Client) -> None:
    # A crafted post (a text input cannot hold one): the subject lines of the emails must still be one line.
    proposal = send(client, {**GOOD, "title": "Digital skills\r\nBcc: everyone@example.org", "name": "Asha\nPatel",
                             "summary": "One\x0btwo."})  # fmt: skip
    assert (proposal.title, proposal.name, proposal.summary) == ("Digital skills Bcc: everyone@example.org",
                                                                 "Asha Patel", "One\ntwo.")  # fmt: skip
    assert all("\n" not in m.subject and "\r" not in m.subject for m in mail.outbox) and len(mail.outbox) == 2
    assert mail.outbox[1].subject.endswith(": Digital skills Bcc: everyone@example.org")
    assert [m.bcc for m in mail.outbox] == [[], []]


def test_a_partner_never_sees_reviewers_notes_internal_notes_or_who_reviewed(partner: User, officer: User) -> None:
    officer.first_name, officer.last_name = "Rita", "Reviewer"
    officer.save()
    client = Client()
    client.force_login(partner)
    proposal = send(client)
    services.add_note(proposal, "PRIVATE: their budget looks thin.", by=officer)
    services.assign(proposal, officer, by=officer)
    services.transition(proposal, Status.UNDER_REVIEW, by=officer, note="INTERNAL: park until March.")
    services.transition(proposal, Status.ACCEPTED, by=officer, note="INTERNAL: Bradford will fund it.",
                        public_answer="We will take this forward with you.")  # fmt: skip
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "We will take this forward with you." in page and "Accepted into the work programme" in page
    for secret in ("PRIVATE", "INTERNAL", "Rita Reviewer", "officer", "Reviewer assigned", "Private note"):
        assert secret not in page, secret
    api = client.get(f"/api/v1/proposals/{proposal.reference}").json()
    assert api["reviewer"] is None and api["status"] == "accepted"
    staff = Client()
    staff.force_login(officer)
    review = staff.get(proposal.get_absolute_url()).content.decode()
    assert all(s in review for s in ("PRIVATE", "INTERNAL: park until March.", "Rita Reviewer"))
    assert (
        staff.get(f"/api/v1/proposals/{proposal.reference}").json()["reviewer"] == "Rita Reviewer"
    )  # by full name everywhere


def test_the_submitter_is_told_who_has_their_proposal(registry: None, client: Client) -> None:
    proposal = send(client, {**GOOD, "work_areas": ["skills", "transport"]})
    told = ("Your proposal has gone to Bradford (Skills) and Wolverhampton (Transport), which lead its work areas, "
            "and to the Key Cities secretariat.")  # fmt: skip
    assert told in " ".join(client.get("/work-with-us/confirmation/").content.decode().split())
    assert told in " ".join(mail.outbox[0].body.split())
    token = re.search(r"/work-with-us/status/([^/\s]+)/", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    assert told in " ".join(client.get(f"/work-with-us/status/{token}/").content.decode().split())
    Proposal.objects.filter(pk=proposal.pk).update(referred_to=Place.objects.get(slug="hull"))
    page = " ".join(client.get(f"/work-with-us/status/{token}/").content.decode().split())
    assert "Your proposal has been referred to Hull, and the Key Cities secretariat follows it." in page
    Proposal.objects.filter(pk=proposal.pk).update(referred_to=None)
    proposal.work_areas.clear()  # no work area chosen, and none suggested with confidence
    assert services.routing(proposal).startswith("You were not sure which work area it belongs to")


def test_the_queue_shows_where_each_proposal_went_and_sorts_and_filters(secretariat: User, client_for) -> None:  # type: ignore[no-untyped-def]
    skills = send(Client())
    transport = send(Client(), {**GOOD, "work_areas": ["transport"], "title": "Bus lanes"})
    Proposal.objects.filter(pk=skills.pk).update(first_response_due=timezone.localdate() + dt.timedelta(days=40))
    client = client_for("secretariat")
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', client.get("/proposals/").content.decode(), re.S)[1:]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert cells[0].startswith(transport.reference) and "Wolverhampton" in cells[0]  # due sooner: first
    assert cells[1].startswith(skills.reference) and "Bradford" in cells[1]
    later_first = client.get("/proposals/?sort=-due").content.decode()
    assert later_first.index(skills.reference) < later_first.index(transport.reference)
    assert 'aria-sort="descending"' in later_first
    only_bradford = client.get("/proposals/?place=bradford").content.decode()
    assert skills.reference in only_bradford and transport.reference not in only_bradford
    assert "1 proposal." in only_bradford
    unassigned = client.get("/proposals/?unassigned=on").content.decode()
    assert skills.reference in unassigned and transport.reference in unassigned
    # An officer's queue has no "routed to" filter: it is their place's queue.
    assert 'name="place"' not in client_for("officer").get("/proposals/").content.decode()


def test_a_place_named_in_a_proposal_reads_it_but_neither_reviews_it_nor_sees_notes(officer: User) -> None:
    hull = User.objects.create_user("hull", "officer@hull.test", "x", role=Role.MEMBER_OFFICER,
                                    place=Place.objects.get(slug="hull"))  # fmt: skip
    proposal = send(Client(), {**GOOD, "places": ["hull"]})
    services.add_note(proposal, "Bradford's private view.", by=officer)
    client = Client()
    client.force_login(hull)
    page = client.get(f"/proposals/{proposal.reference}/").content.decode()
    assert proposal.title in page and "Bradford&#x27;s private view." not in page and "private view" not in page
    assert 'name="transition"' not in page
    assert proposal.reference in client.get("/proposals/").content.decode()
    refused = client.post(f"/proposals/{proposal.reference}/", {"transition": "1", "t-status": "under-review"})
    assert refused.status_code == 403
    assert not policy.may_review(hull, proposal) and policy.may_review(officer, proposal)


def test_over_long_answers_are_named_in_the_message_and_limited_in_the_page(registry: None, client: Client) -> None:
    page = client.get("/work-with-us/").content.decode()
    assert 'name="title" type="text" maxlength="150"' in page and 'name="name" type="text" maxlength="120"' in page
    assert 'name="details" rows="8" maxlength="20000"' in page
    response = client.post("/work-with-us/", {**GOOD, "title": "x" * 151, "organisation": "y" * 201})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Title must be 150 characters or fewer" in html
    assert "Organisation must be 200 characters or fewer" in html  # "(optional)" is not part of its name
    welsh = client.post("/cy/work-with-us/", {**GOOD, "title": "x" * 151}).content.decode()
    assert "Teitl: dim mwy na 150 nod" in welsh


def test_a_signed_in_partner_finds_the_form_filled_in_and_has_a_limit_of_their_own(partner: User) -> None:
    partner.first_name, partner.last_name = "Pat", "Partner"
    partner.save()
    client = Client()
    client.force_login(partner)
    page = client.get("/work-with-us/").content.decode()
    assert 'value="Pat Partner"' in page and 'value="partner@example.test"' in page
    assert 'value="University of Example"' in page
    for _ in range(5):
        send(client, {**GOOD, "email": "partner@example.test"})
    client.post("/work-with-us/", GOOD)
    assert client.post("/work-with-us/check/").status_code == 429  # the partner's own limit is used up
    # Someone else at the same address (the partner's office) still gets through: the limit was the account's.
    send(Client())
    assert Proposal.objects.count() == 6

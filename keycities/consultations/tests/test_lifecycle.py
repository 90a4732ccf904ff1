"""A response's whole life: drafting together, versions and diffs, member review, sign-off and its freeze,
export, submission, the archive and the government's response."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from docx import Document as Docx
from pypdf import PdfReader

from keycities.accounts.models import User
from keycities.claims.models import Claim
from keycities.claims.services import evaluate_all, load_claims
from keycities.claims.tests.test_claims import CLAIMS_FILE
from keycities.consultations import queries, services
from keycities.consultations.models import Consultation, Evidence, Review, Stage, Version

from .conftest import QUESTIONS, draft, signed_in, today

pytestmark = pytest.mark.django_db


def test_full_life_cycle(consultation: Consultation, officer: User, members: dict[str, User], secretariat: User,
                         django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    c = consultation
    lead = signed_in(officer)
    hull, kirklees, wakefield = (signed_in(members[s]) for s in ("hull", "kirklees", "wakefield"))
    sec = signed_in(secretariat)

    # The lead starts drafting and pastes the consultation's questions.
    assert lead.post(f"/consultations/{c.pk}/", {"action": "start"})["Location"] == f"/consultations/{c.pk}/edit/"
    lead.post(f"/consultations/{c.pk}/edit/", {"action": "paste", "questions": QUESTIONS})
    c.refresh_from_db()
    assert c.status == Stage.DRAFTING
    assert [s.question for s in c.sections.all()] == [
        "Do you agree with the proposed funding formula?",
        "How should the formula treat places with low skills levels?", "Any other comments?"]  # fmt: skip
    ids = [s.pk for s in c.sections.all()]

    # Two saves by the lead: each a version with its author.
    page = lead.get(f"/consultations/{c.pk}/edit/").content.decode()
    assert 'name="base" value="1"' in page
    response = lead.post(f"/consultations/{c.pk}/edit/", {
        "action": "save", "base": 1, "note": "First draft", f"answer_{ids[0]}": "We support the formula.",
        f"answer_{ids[1]}": "A floor for low-skill places."})  # fmt: skip
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        hull.post(f"/consultations/{c.pk}/", {"action": "comment", "section": ids[0],
                                              "text": "Could we mention the adult skills fund?"})  # fmt: skip
    assert mail.outbox[-1].to == ["officer@bradford.test"] and "adult skills fund" in mail.outbox[-1].body
    draft(c, officer, ["We strongly support the formula, with the adult skills fund.",
                       "A floor for low-skill places.", "None."])  # fmt: skip
    assert [(v.number, v.author.username) for v in c.versions.order_by("number")] == [
        (1, "officer"), (2, "officer"), (3, "officer")]  # fmt: skip
    assert c.versions.get(number=2).note == "First draft"

    # The lead opens review: every member officer is emailed.
    mail.outbox.clear()
    deadline = today() + dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(f"/consultations/{c.pk}/review/", {"action": "open", "deadline": deadline.isoformat()})
    c.refresh_from_db()
    assert c.status == Stage.MEMBER_REVIEW and c.review_deadline == deadline
    assert sorted(mail.outbox[0].to) == ["officer@bradford.test", "officer@hull.test", "officer@kirklees.test",
                                         "officer@wakefield.test"]  # fmt: skip

    # Three member places decide; objecting needs a reason.
    hull.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "endorse"})
    kirklees.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "endorse-with-comments",
                                                     "text": "Mention FE colleges."})  # fmt: skip
    page = wakefield.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "object"})
    assert page.status_code == 200 and "Give the reason for objecting" in page.content.decode()
    wakefield.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "object",
                                                      "text": "The floor is too low."})  # fmt: skip
    status = queries.review_status(c)
    assert {r.place.name: r.decision for r in status.reviews} == {
        "Hull": "endorse",
        "Kirklees": "endorse-with-comments",
        "Wakefield": "object",
    }
    assert len(status.waiting) == 21 and "Bradford" in [p.name for p in status.waiting]
    page = lead.get(f"/consultations/{c.pk}/review/").content.decode()
    waiting = re.search(r'<ul class="govuk-list govuk-list--bullet" id="waiting">(.*?)</ul>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "Bradford" in waiting and "Hull" not in waiting and "Wakefield" not in waiting

    # Reminders go to those who have not responded, not to those who have.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(f"/consultations/{c.pk}/review/", {"action": "remind"})
    assert mail.outbox[0].to == ["officer@bradford.test"]

    lead.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "endorse"})
    assert hull.post(f"/consultations/{c.pk}/review/", {"action": "sign-off"}).status_code == 403
    assert lead.post(f"/consultations/{c.pk}/review/", {"action": "sign-off"}).status_code == 403

    # Signing off asks for confirmation, showing every place's position; Wakefield objects, so it needs the
    # secretariat's reason for overriding the objection.
    confirm = sec.post(f"/consultations/{c.pk}/review/", {"action": "sign-off"})
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "Check before signing off" in page
    assert "3 of 24 member places endorsed this response; Wakefield objected to it." in page
    assert "Did not respond (20)" in page and "Sign off despite the objection" in page
    fields = {"action": "confirm-sign-off", "version": "3", "seen": confirm.context["form"].data["seen"]}
    refused = sec.post(f"/consultations/{c.pk}/review/", {**fields, "override_reason": ""})
    assert refused.status_code == 200 and "Wakefield objects to this response" in refused.content.decode()
    c.refresh_from_db()
    assert c.status == Stage.MEMBER_REVIEW
    reason = "The floor is set by the Department; the group agreed the rest at its March meeting."
    with django_capture_on_commit_callbacks(execute=True):
        sec.post(f"/consultations/{c.pk}/review/", {**fields, "override_reason": reason})
    c.refresh_from_db()
    assert c.status == Stage.SIGNED_OFF and c.signed_off_version.number == 3  # type: ignore[union-attr]
    assert c.override_reason == reason
    assert c.positions["objected"] == ["Wakefield"] and c.positions["endorsed"] == ["Bradford", "Hull"]
    assert c.positions["endorsed_with_comments"] == ["Kirklees"] and len(c.positions["did_not_respond"]) == 20
    assert "officer@wakefield.test" in mail.outbox[-1].to and reason in mail.outbox[-1].body
    # The round is closed: nobody can record or change a decision any more.
    closed = wakefield.post(f"/consultations/{c.pk}/review/", {"action": "record", "decision": "endorse"})
    assert "not open for member review" in closed.content.decode()

    # Exports: staff only until published.
    docx = lead.get(f"/consultations/{c.pk}/response.docx")
    assert docx.status_code == 200
    text = [p.text for p in Docx(io.BytesIO(docx.content)).paragraphs]
    assert "Response to: Skills England: post-16 funding reform" in text
    assert "We strongly support the formula, with the adult skills fund." in text
    tail = text[text.index("Member places") :]
    assert tail[:5] == ["Member places", "3 of 24 member places endorsed this response; Wakefield objected to it.",
                           "Endorsed (2)", "Bradford", "Hull"]  # fmt: skip
    assert tail[5:9] == ["Endorsed with comments (1)", "Kirklees", "Objected (1)", "Wakefield"]
    assert tail[9] == "Did not respond (20)" and len(tail) == 30
    pdf = lead.get(f"/consultations/{c.pk}/response.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Do you agree with the proposed funding formula?" in pdf_text and "Kirklees" in pdf_text
    assert signed_in(members["hull"]).get(f"/consultations/{c.pk}/response.pdf").status_code == 200
    from django.test import Client

    assert Client().get(f"/consultations/{c.pk}/response.pdf").status_code == 404
    assert Client().get(f"/consultations/responses/{c.pk}/").status_code == 404

    # Submitted: published in the public archive.
    sec.post(f"/consultations/{c.pk}/", {"action": "submitted", "submitted_on": today().isoformat()})
    c.refresh_from_db()
    assert c.status == Stage.SUBMITTED and c.submitted_on == today()
    archive = Client().get("/consultations/responses/").content.decode()
    assert "Skills England: post-16 funding reform" in archive
    public = Client().get(f"/consultations/responses/{c.pk}/").content.decode()
    assert "We strongly support the formula, with the adult skills fund." in public
    assert "3 of 24 member places endorsed this response; Wakefield objected to it." in public
    assert 'Endorsed (2)</th><td class="govuk-table__cell">Bradford, Hull</td>' in public
    assert 'Objected (1)</th><td class="govuk-table__cell">Wakefield</td>' in public
    assert "Wakefield objected to this response. The secretariat signed it off" in public and reason in public
    assert "agreed by its member places" not in Client().get("/consultations/responses/").content.decode()
    assert Client().get(f"/consultations/{c.pk}/response.docx").status_code == 200

    # The text can no longer change.
    with pytest.raises(ValidationError, match="submitted to government"):
        draft(c, officer, ["Changed after submission."])

    # The government responds.
    sec.post(f"/consultations/{c.pk}/", {"action": "government", "url": "https://www.gov.uk/response",
                                         "published_on": today().isoformat()})  # fmt: skip
    c.refresh_from_db()
    assert c.status == Stage.GOVERNMENT_RESPONSE and c.government_response_url == "https://www.gov.uk/response"
    assert "https://www.gov.uk/response" in Client().get(f"/consultations/responses/{c.pk}/").content.decode()

    # Every step is in the history and the audit log.
    kinds = list(c.events.values_list("kind", flat=True))
    for kind in ["created", "status", "questions", "version", "comment", "review-opened", "review", "reminder",
                 "signed-off", "submitted", "government-response"]:  # fmt: skip
        assert kind in kinds, kind
    history = sec.get(f"/consultations/{c.pk}/history/").content.decode()
    assert "Signed off by" in history and "Wakefield: Object – The floor is too low." in history
    assert LogEntry.objects.get_for_object(c).count() >= 5
    assert LogEntry.objects.get_for_object(Review.objects.get(place__slug="wakefield")).exists()


def test_saves_merge_and_conflicts_are_refused(consultation: Consultation, officer: User,
                                               secretariat: User) -> None:  # fmt: skip
    c = consultation
    services.add_questions(c, ["One?", "Two?"], by=officer)
    one, two = c.sections.all()
    services.save_draft(c, {one.pk: "A", two.pk: "B"}, base=1, by=officer)  # version 2
    # Both start from version 2; the secretariat changes question 2, the lead question 1: merged.
    services.save_draft(c, {one.pk: "A", two.pk: "B, improved"}, base=2, by=secretariat)
    merged = services.save_draft(c, {one.pk: "A, improved", two.pk: "B"}, base=2, by=officer)
    assert merged is not None and merged.answers() == {one.pk: "A, improved", two.pk: "B, improved"}
    # Both change question 1 from version 4: the second is refused and names the question.
    services.save_draft(c, {one.pk: "Mine", two.pk: "B, improved"}, base=4, by=secretariat)
    with pytest.raises(services.Conflict, match="changed the answer to question 1 too"):
        services.save_draft(c, {one.pk: "Theirs", two.pk: "B, improved"}, base=4, by=officer)
    assert services.save_draft(c, {one.pk: "Mine", two.pk: "B, improved"}, base=5, by=officer) is None  # no change
    assert c.versions.count() == 5


def test_compare_any_two_versions(consultation: Consultation, officer: User) -> None:
    c = consultation
    services.add_questions(c, ["Do you agree?", "Anything else?"], by=officer)
    draft(c, officer, ["We support the formula.", "No."])
    draft(c, officer, ["We strongly support the new formula.", "No."])
    client = signed_in(officer)
    page = client.get(f"/consultations/{c.pk}/compare/?from=3&to=2").content.decode()  # either order
    assert "Version 2 compared with version 3" in page
    assert "1 question changed." in page
    assert '<ins><span class="govuk-visually-hidden">[inserted: </span>strongly <span' in page
    assert "Anything else?" not in page  # unchanged questions hidden by default
    assert "Anything else?" in client.get(f"/consultations/{c.pk}/compare/?from=1&to=3&all=1").content.decode()
    first = client.get(f"/consultations/{c.pk}/compare/?from=1&to=3").content.decode()
    assert "<del><span" not in first and first.count("<ins><span") == 2  # all inserted since the empty version 1
    assert client.get(f"/consultations/{c.pk}/compare/?from=1&to=9").status_code == 404
    assert client.get(f"/consultations/{c.pk}/compare/?from=2&to=2").status_code == 302
    versions = client.get(f"/consultations/{c.pk}/versions/").content.decode()
    assert versions.count('type="radio" name="from"') == 3


def test_editing_a_signed_off_response_starts_a_new_round(
        consultation: Consultation, officer: User, members: dict[str, User], secretariat: User) -> None:  # fmt: skip
    c = consultation
    services.add_questions(c, ["Do you agree?"], by=officer)
    draft(c, officer, ["Yes."])
    services.open_review(c, today(), by=officer)
    services.record_review(c, members["hull"].place, "endorse", by=members["hull"])  # type: ignore[arg-type]
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    c.refresh_from_db()
    page = signed_in(officer).get(f"/consultations/{c.pk}/edit/").content.decode()
    assert "Saving a change starts round 2" in page and "the sign-off is withdrawn" in page

    draft(c, officer, ["Yes, on reflection."])
    c.refresh_from_db()
    assert (c.status, c.round, c.signed_off_version, c.review_deadline) == (Stage.DRAFTING, 2, None, None)
    assert queries.review_status(c).reviews == [] and len(queries.review_status(c).waiting) == 24
    assert [r.place.name for r in queries.review_status(c, 1).reviews] == ["Hull"]  # kept for the record
    assert c.events.filter(kind="new-round").count() == 1
    assert c.positions == {} and c.override_reason == ""
    with pytest.raises(ValidationError, match="Only a response in member review"):
        services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    assert signed_in(officer).get(f"/consultations/{c.pk}/response.pdf").status_code == 404


def test_review_rules(consultation: Consultation, officer: User, members: dict[str, User]) -> None:
    c = consultation
    hull = members["hull"]
    with pytest.raises(ValidationError, match="not open for member review"):
        services.record_review(c, hull.place, "endorse", by=hull)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="only on a draft"):
        services.open_review(c, today(), by=officer)
    services.start_drafting(c, by=officer)
    with pytest.raises(ValidationError, match="Add the questions"):
        services.open_review(c, today(), by=officer)
    services.add_questions(c, ["Q?"], by=officer)
    with pytest.raises(ValidationError, match="today or later"):
        services.open_review(c, today() - dt.timedelta(days=1), by=officer)
    services.open_review(c, today(), by=officer)
    for decision, message in [("object", "Give the reason for objecting."),
                              ("endorse-with-comments", "Enter your place’s comments.")]:  # fmt: skip
        with pytest.raises(ValidationError, match=message):
            services.record_review(c, hull.place, decision, "  ", by=hull)  # type: ignore[arg-type]
    from keycities.network.models import Place

    with pytest.raises(ValidationError, match="not a member of Key Cities"):
        services.record_review(c, Place.objects.get(slug="leeds"), "endorse", by=hull)
    services.record_review(c, hull.place, "abstain", by=hull)  # type: ignore[arg-type]
    services.record_review(c, hull.place, "endorse", by=hull)  # changed its mind: one row, updated
    assert list(Review.objects.values_list("place__slug", "decision")) == [("hull", "endorse")]
    assert "(changed)" in c.events.filter(kind="review").last().note  # type: ignore[union-attr]


def test_questions_one_by_one_and_removed(consultation: Consultation, officer: User) -> None:
    client = signed_in(officer)
    url = f"/consultations/{consultation.pk}/edit/"
    page = client.post(url, {"action": "question", "question": ""}).content.decode()
    assert "There is a problem" in page and "Enter the question" in page
    client.post(url, {"action": "question", "question": "First?"})
    client.post(url, {"action": "question", "question": "Second?"})
    first = consultation.sections.get(question="First?")
    client.post(url, {"action": "remove-question", "section": first.pk})
    assert [s["question"] for s in consultation.latest_version().content] == ["Second?"]  # type: ignore[union-attr]
    assert consultation.versions.count() == 3


def test_evidence_shows_the_current_figure_and_claim(consultation: Consultation, officer: User) -> None:
    load_claims(CLAIMS_FILE)
    evaluate_all()
    claim = Claim.objects.get(headline="24 mid-size cities and urban areas")
    services.add_questions(consultation, ["How big is the group?"], by=officer)
    section = consultation.sections.get()
    client = signed_in(officer)
    client.post(f"/consultations/{consultation.pk}/edit/", {"action": "evidence", "section": section.pk,
                                                            "kind": "figure", "indicator": "population",
                                                            "group": "key-cities"})  # fmt: skip
    client.post(f"/consultations/{consultation.pk}/edit/", {"action": "evidence", "section": section.pk,
                                                            "kind": "claim", "claim": claim.pk})  # fmt: skip
    assert Evidence.objects.count() == 2
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    from keycities.core.charts import format_value
    from keycities.observatory.aggregation import group_figure

    fig = group_figure("key-cities", "population", as_of=today())
    assert f"Population, Key Cities</a></strong> – <span class=\"govuk-!-font-weight-bold\">" \
           f"{format_value(fig.value, 'persons')}</span>" in page  # fmt: skip
    assert fig.releases[0].citation in page.replace("&#x27;", "'")
    assert '24 mid-size cities and urban areas</a></strong> – <span class="govuk-!-font-weight-bold">Holds' in page
    with pytest.raises(ValidationError, match="no indicator"):
        services.add_evidence(section, kind="figure", indicator="no-such-thing", by=officer)


def test_documents_are_checked_by_content(consultation: Consultation, officer: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    client = signed_in(officer)
    url = f"/consultations/{consultation.pk}/"
    page = client.post(url, {"action": "document", "file": SimpleUploadedFile("paper.pdf", b"not a pdf")})
    assert "paper.pdf must be a PDF, DOCX or ODT document" in page.content.decode()
    client.post(url, {"action": "document", "file": SimpleUploadedFile("paper.pdf", PDF)})
    doc = consultation.documents.get()
    assert (doc.original_name, doc.kind) == ("paper.pdf", "PDF")
    download = client.get(f"/consultations/{consultation.pk}/documents/{doc.pk}/")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert consultation.events.filter(kind="document").count() == 1


def test_line_breaks_and_control_characters_never_break_emails_or_exports(
        consultation: Consultation, officer: User, secretariat: User, members: dict[str, User],
        django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    c = consultation
    # Stored before the forms cleaned text: a title with a line break, an answer with Word's vertical tab.
    Consultation.objects.filter(pk=c.pk).update(title="Skills\r\nreform")
    c.refresh_from_db()
    services.add_questions(c, ["Do you agree?"], by=officer)
    services.save_draft(c, {c.sections.get().pk: "x"}, base=2, by=officer)
    Version.objects.filter(consultation=c).update(content=[{"section": c.sections.get().pk,
                                                            "question": "Do you\x0c agree?",
                                                            "answer": "Yes.\x0bWith a floor.\x1f"}])  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(officer).post(f"/consultations/{c.pk}/review/", {"action": "open",
                                                                   "deadline": today().isoformat()})  # fmt: skip
    assert mail.outbox and mail.outbox[0].subject.endswith("Key Cities response to Skills reform")
    c.refresh_from_db()
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    services.mark_submitted(c, today(), by=secretariat)
    from django.test import Client

    for fmt in ("docx", "pdf"):
        response = Client().get(f"/consultations/{c.pk}/response.{fmt}")
        assert response.status_code == 200, fmt
    text = "\n".join(p.text for p in Docx(io.BytesIO(Client().get(f"/consultations/{c.pk}/response.docx").content))
                     .paragraphs)  # fmt: skip
    assert "Yes.With a floor." in text and "Response to: Skills\r\nreform" not in text


def test_after_sign_off_no_page_says_places_are_still_to_respond(
        consultation: Consultation, officer: User, members: dict[str, User], secretariat: User) -> None:  # fmt: skip
    c = consultation
    services.add_questions(c, ["Do you agree?"], by=officer)
    draft(c, officer, ["Yes."])
    services.open_review(c, today() + dt.timedelta(days=3), by=officer)
    services.record_review(c, members["hull"].place, "endorse", by=members["hull"])  # type: ignore[arg-type]
    during = " ".join(signed_in(officer).get(f"/consultations/{c.pk}/").content.decode().split())
    assert "1 responded, 23 still to respond." in during
    c.refresh_from_db()
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    for path in (f"/consultations/{c.pk}/", f"/consultations/{c.pk}/review/"):
        page = " ".join(signed_in(officer).get(path).content.decode().split())
        assert "still to respond" not in page and "Not yet responded" not in page, path
    detail = " ".join(signed_in(officer).get(f"/consultations/{c.pk}/").content.decode().split())
    assert "Closed: 1 responded, 23 did not respond." in detail


def test_evidence_goes_with_the_response_as_numbered_notes(consultation: Consultation, officer: User,
                                                           secretariat: User) -> None:  # fmt: skip
    from keycities.core.charts import format_value
    from keycities.observatory.aggregation import group_figure

    c = consultation
    services.add_questions(c, ["How big is the group?", "Anything else?"], by=officer)
    first, _second = c.sections.order_by("position")
    services.add_evidence(first, kind="figure", indicator="population", group="key-cities", by=officer)
    draft(c, officer, ["Nearly six million people.", "No."])
    services.open_review(c, today(), by=officer)
    c.refresh_from_db()
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    services.mark_submitted(c, today(), by=secretariat)
    data = queries.response_data(c)
    fig = group_figure("key-cities", "population", as_of=today())
    assert [s["notes"] for s in data["sections"]] == [[1], []]
    note = data["notes"][0]["text"]
    assert note.startswith(f"Population, Key Cities: {format_value(fig.value, 'persons')}.")
    assert fig.releases[0].citation in note
    from django.test import Client

    page = " ".join(Client().get(f"/consultations/responses/{c.pk}/").content.decode().split())
    assert 'Evidence: <a class="govuk-link" href="#note-1" id="note-ref-1">[1]</a>' in page
    assert f"[1] Population, Key Cities: {format_value(fig.value, 'persons')}." in page
    docx = "\n".join(p.text for p in Docx(io.BytesIO(Client().get(f"/consultations/{c.pk}/response.docx").content))
                     .paragraphs)  # fmt: skip
    assert "Evidence: note [1]" in docx and "Notes: the evidence" in docx and fig.releases[0].citation in docx
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Client().get(f"/consultations/{c.pk}/response.pdf")
                                                                  .content)).pages)  # fmt: skip
    assert "Notes: the evidence" in pdf and "[1] Population, Key Cities" in " ".join(pdf.split())

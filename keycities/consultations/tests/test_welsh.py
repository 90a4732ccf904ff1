"""Consultations in Welsh (issue 14): the public list, the officers' pages, messages and the exports' labels at
/cy/; officers' emails stay in the Hub's language whatever page sent them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document as Docx

from keycities.accounts.models import User
from keycities.consultations import exports
from keycities.consultations.models import Consultation
from keycities.core.tests import pdfua

from .conftest import QUESTIONS, signed_in, today
from .test_presenters import DATA

pytestmark = pytest.mark.django_db


WELSH_MONTHS = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
                "Tachwedd", "Rhagfyr"]  # fmt: skip


def welsh_date(day: dt.date) -> str:
    return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"


def test_the_public_list_is_in_welsh(consultation: Consultation, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/cy/consultations/").content.decode()
    assert '<h1 class="govuk-heading-xl">Ymgyngoriadau</h1>' in page
    assert "Ymgyngoriadau agored (1)" in page and "10 diwrnod ar ôl" in page
    assert ">Sgiliau<" in page and "Yn ystyried ymateb" in page and "Adran o Lywodraeth y DU" in page
    english = client.get("/consultations/").content.decode()
    assert "Open consultations (1)" in english and "10 days left" in english


def test_an_officer_works_on_a_response_in_welsh(consultation: Consultation, officer: User,
                                                 django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    c, lead = consultation, signed_in(officer)
    started = lead.post(f"/cy/consultations/{c.pk}/", {"action": "start"}, follow=True).content.decode()
    assert "Mae’r gwaith drafftio wedi dechrau. Ychwanegwch gwestiynau’r ymgynghoriad." in started
    added = lead.post(f"/cy/consultations/{c.pk}/edit/", {"action": "paste", "questions": QUESTIONS}, follow=True)
    assert "Ychwanegwyd 3 cwestiwn." in added.content.decode()

    detail = lead.get(f"/cy/consultations/{c.pk}/").content.decode()
    assert "Wrthi’n drafftio" in detail and "Cwestiwn 1" in detail and "Heb ei ateb eto." in detail
    assert f"Cyhoeddwyd {welsh_date(c.published_on)}; yn cau {welsh_date(c.closes_on)}" in detail
    assert f"yn cau {welsh_date(c.closes_on)}" in detail  # the heading's caption

    error = lead.post(f"/cy/consultations/{c.pk}/review/", {"action": "open", "deadline": ""}).content.decode()
    assert "Mae problem wedi codi" in error and "Rhowch ddyddiad cau’r adolygiad" in error

    # Officers are emailed in the Hub's language, even when a Welsh page opened the review.
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(f"/cy/consultations/{c.pk}/review/", {"action": "open", "deadline": today().isoformat()})
    assert mail.outbox and all(m.subject.startswith("For review by ") for m in mail.outbox)
    review = lead.get(f"/cy/consultations/{c.pk}/review/").content.decode()
    assert f"Mae pob lle sy’n aelod yn cofnodi ei benderfyniad erbyn <strong>{welsh_date(today())}</strong>." in review


def test_the_exports_labels_follow_the_language() -> None:
    with translation.override("cy"):
        doc = [p.text for p in Docx(io.BytesIO(exports.build_docx(DATA))).paragraphs]
        pdf = pdfua.text(exports.build_pdf(DATA))
    assert doc[0] == "Key Cities\nLlais unedig dros Brydain drefol"
    assert "Ymateb i: Post-16 funding reform" in doc and "Ymgynghoriad gan: Department for Education" in doc
    assert "Dyddiad cau: 31 Mawrth 2026" in doc and "Cwestiwn 1" in doc and "Lleoedd sy’n aelodau" in doc
    for expected in ["Ymateb i: Post-16 funding reform", "Cwestiwn 2", "Dim ateb.", "Dyddiad cau 31 Mawrth 2026",
                     "Tudalen 1"]:  # fmt: skip
        assert expected in pdf, expected
    found = pdfua.structure(exports.build_pdf(DATA, "cy"))
    assert found["lang"] == "cy" and found["title"] == "Ymateb Key Cities: Post-16 funding reform"


def test_pdfs_show_every_welsh_letter() -> None:
    """The PDF standard fonts have no ŵ or ŷ: the export embeds DejaVu Sans (installed by `make setup`), and the
    Welsh letters are read back from the PDF's text."""
    welsh = {**DATA, "title": "Gŵyl y Dŷ Opera: ymgynghoriad", "lead_place": "Abertawe",
             "sections": [{"question": "A ydych yn cytuno â’r cynllun?", "answer": "Ydym. Mae’r ŵyl yn dŷ i bawb: "
                           "â ê î ô û ŵ ŷ, Â Ê Î Ô Û Ŵ Ŷ, ä ë ï ö ü ẅ ÿ, á é í ó ú ẃ ý, à è ì ò ù ẁ ỳ."}]}  # fmt: skip
    with translation.override("cy"):
        pdf = exports.build_pdf(welsh)
    text = pdfua.text(pdf)
    assert "Ymateb i: Gŵyl y Dŷ Opera: ymgynghoriad" in text
    assert "â ê î ô û ŵ ŷ, Â Ê Î Ô Û Ŵ Ŷ, ä ë ï ö ü ẅ ÿ, á é í ó ú ẃ ý, à è ì ò ù ẁ ỳ." in text
    found = pdfua.structure(pdf)
    assert found["lang"] == "cy" and found["title"] == "Ymateb Key Cities: Gŵyl y Dŷ Opera: ymgynghoriad"
    assert found["ua1_failures"] == []
    # DejaVu Sans (declared as "KC Sans"), embedded: ŵ and ŷ show in any reader.
    assert {"KC-Sans", "KC-Sans-Bold", "KC-Sans-Italic"} <= found["fonts"] and not found["not_embedded"], found


def published_response(c: Consultation, officer: User, secretariat: User) -> Consultation:
    from keycities.consultations import services

    services.add_questions(c, ["Do you agree with the proposed funding formula?", "What else should change?"],
                           by=officer)  # fmt: skip
    first, second = c.sections.order_by("position")
    services.save_draft(c, {first.pk: "Yes, with a floor for smaller places.", second.pk: "Multi-year settlements."},
                        base=1, by=officer)  # fmt: skip
    services.open_review(c, today(), by=officer)
    services.record_review(c, officer.place, "endorse", by=officer)
    services.sign_off(c, by=secretariat, version=c.latest_version().number)  # type: ignore[union-attr]
    services.mark_submitted(c, today(), by=secretariat)
    c.refresh_from_db()
    return c


def test_the_lead_adds_a_welsh_version_shown_on_the_welsh_page(consultation: Consultation, officer: User,
                                                               secretariat: User) -> None:  # fmt: skip
    from keycities.consultations.models import Event

    c = published_response(consultation, officer, secretariat)
    first, second = c.sections.order_by("position")
    english_only = signed_in(officer).get(f"/cy/consultations/responses/{c.pk}/").content.decode()
    assert '<div class="govuk-body" lang="en-GB"><p>Yes, with a floor for smaller places.</p></div>' in english_only
    assert "Nid yw’r ymateb hwn wedi’i gyhoeddi yn Gymraeg" in english_only

    lead = signed_in(officer)
    form = lead.get(f"/consultations/{c.pk}/welsh/").content.decode()
    assert f'name="answer_cy_{first.pk}"' in form and f'name="question_cy_{second.pk}"' in form
    saved = lead.post(f"/consultations/{c.pk}/welsh/", {
        "title_cy": "Sgiliau Lloegr: diwygio cyllid ôl-16",
        f"question_cy_{first.pk}": "Ydych chi’n cytuno â’r fformiwla gyllido arfaethedig?",
        f"answer_cy_{first.pk}": "Ydym, gyda lefel isaf ar gyfer lleoedd llai.",
        f"question_cy_{second.pk}": "", f"answer_cy_{second.pk}": "",
    })  # fmt: skip
    assert saved.status_code == 302
    c.refresh_from_db()
    assert c.welsh_version == c.signed_off_version.number  # type: ignore[union-attr]
    number = c.signed_off_version.number  # type: ignore[union-attr]
    assert (
        Event.objects.filter(consultation=c, kind="welsh").get().note
        == f"1 of 2 answers in Welsh, for version {number}"
    )

    welsh = Client().get(f"/cy/consultations/responses/{c.pk}/").content.decode()
    assert '<h1 class="govuk-heading-xl">Sgiliau Lloegr: diwygio cyllid ôl-16</h1>' in welsh
    assert "Ydych chi’n cytuno â’r fformiwla gyllido arfaethedig?" in welsh
    assert '<div class="govuk-body" lang="cy"><p>Ydym, gyda lefel isaf ar gyfer lleoedd llai.</p></div>' in welsh
    # The second answer has no Welsh: its English is shown, marked, with the notice.
    assert '<span lang="en-GB" class="kc-fallback">What else should change?</span>' in welsh
    assert '<div class="govuk-body" lang="en-GB"><p>Multi-year settlements.</p></div>' in welsh
    assert "Nid yw’r ymateb hwn wedi’i gyhoeddi yn Gymraeg" in welsh
    english = Client().get(f"/consultations/responses/{c.pk}/").content.decode()
    assert "Ydym, gyda lefel isaf" not in english and "Yes, with a floor for smaller places." in english
    # The Welsh PDF is built from the same template: the Welsh answer, and the English one marked as such.
    with translation.override("cy"):
        pdf = pdfua.text(Client().get(reverse("consultations:export", args=[c.pk, "pdf"])).content)
    assert "Ydym, gyda lefel isaf ar gyfer lleoedd llai." in pdf and "Multi-year settlements." in pdf
    assert "Nid yw’r ymateb hwn wedi’i gyhoeddi yn Gymraeg" in pdf


def test_the_welsh_version_waits_for_sign_off(consultation: Consultation, officer: User) -> None:
    assert signed_in(officer).get(f"/consultations/{consultation.pk}/welsh/").status_code == 404


def test_published_sections_take_their_welsh() -> None:
    from keycities.consultations.presenters import with_welsh

    sections = [{"section": 7, "question": "Q?", "answer": "A.", "notes": [1]},
                {"section": 8, "question": "R?", "answer": "B.", "notes": []}]  # fmt: skip
    out = with_welsh(sections, {"7": {"question": "C?", "answer": "Ateb."}})
    with translation.override("cy"):
        assert [(s.question_cy, s.answer_cy, s.answer_fallback) for s in out] == [("C?", "Ateb.", False),
                                                                                  ("", "", True)]  # fmt: skip
    with translation.override("en-gb"):
        assert not any(s.answer_fallback for s in out)


def test_the_welsh_docx_and_pdf_take_the_welsh_version(consultation: Consultation, officer: User,
                                                       secretariat: User) -> None:  # fmt: skip
    """The exports from a Welsh page: the Welsh title (in the heading and the document's own title), the Welsh
    version's answers, and the English of an untranslated answer with the notice; the English ones unchanged."""
    from keycities.consultations import services

    c = published_response(consultation, officer, secretariat)
    first = c.sections.order_by("position").first()
    assert first is not None
    welsh = ("Ydych chi’n cytuno â’r fformiwla gyllido arfaethedig?", "Ydym, gyda lefel isaf ar gyfer lleoedd llai.")
    services.save_welsh_version(c, "Sgiliau Lloegr: diwygio cyllid ôl-16", {first.pk: welsh}, by=officer)
    with translation.override("cy"):
        docx_url, pdf_url = (reverse("consultations:export", args=[c.pk, f]) for f in ("docx", "pdf"))
    assert docx_url.startswith("/cy/")
    doc = Docx(io.BytesIO(Client().get(docx_url).content))
    text = [p.text for p in doc.paragraphs]
    assert "Ymateb i: Sgiliau Lloegr: diwygio cyllid ôl-16" in text
    assert doc.core_properties.title == "Ymateb Key Cities: Sgiliau Lloegr: diwygio cyllid ôl-16"
    assert doc.core_properties.language == "cy-GB"
    assert "Ydych chi’n cytuno â’r fformiwla gyllido arfaethedig?" in text
    assert "Ydym, gyda lefel isaf ar gyfer lleoedd llai." in text
    assert "Yes, with a floor for smaller places." not in text
    assert "What else should change?" in text and "Multi-year settlements." in text  # no Welsh: the English
    assert any(t.startswith("Nid yw’r ymateb hwn wedi’i gyhoeddi yn Gymraeg") for t in text)
    pdf = Client().get(pdf_url).content
    assert pdfua.structure(pdf)["title"] == "Ymateb Key Cities: Sgiliau Lloegr: diwygio cyllid ôl-16"
    assert "Ymateb i: Sgiliau Lloegr: diwygio cyllid ôl-16" in pdfua.text(pdf)

    with translation.override(settings.LANGUAGE_CODE):
        english_url = reverse("consultations:export", args=[c.pk, "docx"])
    got = Client().get(english_url)
    assert got.status_code == 200, (english_url, got.status_code, got.get("Location"))
    english = Docx(io.BytesIO(got.content))
    assert english.core_properties.title == f"Key Cities response: {c.title}"
    assert "Yes, with a floor for smaller places." in [p.text for p in english.paragraphs]
    assert not any("Gymraeg" in p.text for p in english.paragraphs)


def test_the_archive_shows_welsh_titles_and_marks_the_english(consultation: Consultation, officer: User,
                                                              secretariat: User) -> None:  # fmt: skip
    c = published_response(consultation, officer, secretariat)
    archive = Client().get("/cy/consultations/responses/").content.decode()
    assert f'<span lang="en-GB" class="kc-fallback">{c.title}</span></a>' in archive
    Consultation.objects.filter(pk=c.pk).update(title_cy="Sgiliau Lloegr: diwygio cyllid ôl-16")
    archive = Client().get("/cy/consultations/responses/").content.decode()
    assert ">Sgiliau Lloegr: diwygio cyllid ôl-16</a>" in archive and c.title not in archive
    assert f">{c.title}</a>" in Client().get("/consultations/responses/").content.decode()


def test_the_lead_place_has_both_names_whatever_the_language(consultation: Consultation, officer: User,
                                                             secretariat: User, client: Client) -> None:  # fmt: skip
    """`response_data` and the API give the lead place's English and Welsh names, not the one of the request's
    language; a document built in Welsh shows the Welsh name even from data read on an English page."""
    from keycities.consultations import queries
    from keycities.network.models import Place

    c = published_response(consultation, officer, secretariat)
    Consultation.objects.filter(pk=c.pk).update(lead_place=Place.objects.get(slug="swansea"))
    c.refresh_from_db()
    english = queries.response_data(c)
    with translation.override("cy"):
        welsh = queries.response_data(c)
    assert (english["lead_place"], english["lead_place_cy"]) == (welsh["lead_place"], welsh["lead_place_cy"]) == (
        "Swansea", "Abertawe")  # fmt: skip
    doc = Docx(io.BytesIO(exports.build_docx(english, language="cy")))
    assert "Aelod arweiniol: Abertawe" in [p.text for p in doc.paragraphs]
    doc = Docx(io.BytesIO(exports.build_docx(welsh, language="en")))
    assert "Lead member: Swansea" in [p.text for p in doc.paragraphs]
    rows = {}
    for language in ("en", "cy"):
        got = client.get("/api/v1/consultations/?show=published", headers={"accept-language": language}).json()
        rows[language] = next(r for r in got["results"] if r["id"] == c.pk)
    for row in rows.values():
        assert (row["lead_place"], row["lead_place_name"], row["lead_place_name_cy"]) == (
            "swansea", "Swansea", "Abertawe")  # fmt: skip
    # Content is stable; interface labels and page addresses follow Accept-Language, as everywhere in the API.
    assert {**rows["en"]["response"], "url": ""} == {**rows["cy"]["response"], "url": ""}
    assert rows["cy"]["response"]["url"] == f"/cy/consultations/responses/{c.pk}/"
    assert rows["en"]["stage"] != rows["cy"]["stage"]

"""Presenters, question parsing and exports: no database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from keycities.consultations import exports, presenters
from keycities.consultations.services import split_questions
from keycities.core.tests import pdfua


@pytest.mark.parametrize(("closes", "text", "tag"), [
    (dt.date(2026, 3, 10), "Closes today", "govuk-tag--red"),
    (dt.date(2026, 3, 11), "1 day left", "govuk-tag--red"),
    (dt.date(2026, 3, 20), "10 days left", "govuk-tag--orange"),
    (dt.date(2026, 4, 30), "51 days left", "govuk-tag--grey"),
    (dt.date(2026, 3, 9), "Closed", "govuk-tag--red"),
])  # fmt: skip
def test_days_left(closes: dt.date, text: str, tag: str) -> None:
    today = dt.date(2026, 3, 10)
    assert presenters.days_left_text(closes, today) == text
    assert presenters.urgency_tag(closes, today) == tag


def test_numbered_questions_may_run_over_lines() -> None:
    pasted = (
        "Question 1: Do you agree?\n\n2) How should the formula treat\nplaces with low skills?\nQ3 - Anything else?"
    )
    assert split_questions(pasted) == ["Do you agree?", "How should the formula treat places with low skills?",
                                       "Anything else?"]  # fmt: skip


def test_unnumbered_questions_are_one_a_line() -> None:
    assert split_questions("Do you agree?\r\n\r\n  What else?  \n") == ["Do you agree?", "What else?"]
    assert split_questions("   \n") == []
    assert split_questions("12. Only one") == ["Only one"]


def test_word_diff_keeps_reading_order() -> None:
    segments = presenters.diff_words("We support the formula.", "We strongly support the new formula.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "We "), ("insert", "strongly "), ("equal", "support the "), ("insert", "new "),
        ("equal", "formula."),
    ]  # fmt: skip
    replaced = presenters.diff_words("We object.", "We agree.")
    assert [(s.op, s.text) for s in replaced] == [("equal", "We "), ("delete", "object."), ("insert", "agree.")]


def test_compare_versions_question_by_question() -> None:
    old = [{"section": 1, "question": "Q one", "answer": "Yes."},
           {"section": 2, "question": "Q two", "answer": "No."},
           {"section": 3, "question": "Q three", "answer": "Same."}]  # fmt: skip
    new = [{"section": 1, "question": "Q one", "answer": "Yes, with changes."},
           {"section": 3, "question": "Q three", "answer": "Same."},
           {"section": 4, "question": "Q four", "answer": "New."}]  # fmt: skip
    diffs = presenters.compare(old, new)
    assert [(d.number, d.question, d.state) for d in diffs] == [
        (1, "Q one", "changed"),
        (2, "Q two", "removed"),
        (3, "Q three", "unchanged"),
        (4, "Q four", "added"),
    ]
    assert diffs[0].inserted_words == 3 and diffs[0].deleted_words == 1  # "Yes." -> "Yes, with changes."
    assert presenters.diff_summary(diffs) == "1 question changed, 1 question added, 1 question removed."
    assert presenters.diff_summary(presenters.compare(old, old)) == "The two versions are the same."


DATA = {
    "group": "Key Cities", "title": "Post-16 funding reform", "body": "Department for Education",
    "body_type": "UK Government department", "url": "https://example.gov.uk", "closes_on": dt.date(2026, 3, 31),
    "lead_place": "Bradford", "signed_off_at": None, "submitted_on": dt.date(2026, 3, 20), "version": 3,
    "sections": [{"question": "Do you agree with the formula?", "answer": "Yes – with a floor for low-skill places.\n\n"
                  "It must reflect “need”, costing £12m."},
                 {"question": "Any other comments?", "answer": ""}],
    "endorsed_by": ["Bradford", "Hull", "Kirklees"], "override_reason": "",
    "positions": {"endorsed": ["Bradford", "Hull"], "endorsed_with_comments": ["Kirklees"], "abstained": [],
                  "objected": [], "did_not_respond": ["Wakefield"]},
}  # fmt: skip


def test_docx_export_reads_back() -> None:
    doc = Docx(io.BytesIO(exports.build_docx(DATA)))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == "Key Cities\nA united voice for urban Britain"
    assert "Response to: Post-16 funding reform" in text
    assert "Consultation by: Department for Education" in text
    q = text.index("Do you agree with the formula?")
    assert text[q - 1] == "Question 1"
    assert text[q + 1 : q + 3] == ["Yes – with a floor for low-skill places.", "It must reflect “need”, costing £12m."]
    assert text[-9:] == ["Member places", "3 of 4 member places endorsed this response; none objected.",
                         "Endorsed (2)", "Bradford", "Hull", "Endorsed with comments (1)", "Kirklees",
                         "Did not respond (1)", "Wakefield"]  # fmt: skip
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert str(title.style.font.color.rgb) == "5B2E8B"
    assert doc.paragraphs[0].runs[0].font.color.rgb == title.style.font.color.rgb


def test_pdf_export_reads_back() -> None:
    content = exports.build_pdf(DATA)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ["Key Cities", "Response to: Post-16 funding reform", "Question 1",
                     "Do you agree with the formula?", "costing £12m", "Question 2", "No answer.",
                     "3 of 4 member places endorsed this response; none objected.", "Did not respond (1)",
                     "Wakefield"]:  # fmt: skip
        assert expected in text, expected
    assert reader.metadata is not None and reader.metadata.title == "Key Cities response: Post-16 funding reform"


def test_pdf_export_is_tagged_pdf_ua() -> None:
    """PDF/UA-1: a structure tree with the headings of the published page (H1 the response, H2 its parts, H3 each
    question), the key facts and the places' positions as tables of row headers, the language and the title shown
    as the window title."""
    found = pdfua.structure(exports.build_pdf(DATA, "en"))
    assert found["ua1_failures"] == []  # a PDF/UA-1 validator passes it
    assert found["lang"] == "en-GB" and found["marked"] and found["display_doc_title"]
    assert found["title"] == "Key Cities response: Post-16 funding reform"
    assert 'pdfuaid:part="1"' in found["xmp"] or "<pdfuaid:part>1</pdfuaid:part>" in found["xmp"]
    tags = found["tags"]
    assert tags[0] == "Document" and tags.count("H1") == 1 and tags.index("H1") < tags.index("H2") < tags.index("H3")
    assert found["headings"] == ["Response to: Post-16 funding reform", "Our response", "Question 1", "Question 2",
                                 "Member places"]  # fmt: skip
    assert {"P", "Table", "TR", "TH", "TD", "Caption"} <= set(tags) and "L" not in tags


def test_control_characters_never_break_the_exports() -> None:
    # Pasted from Word: a vertical tab (soft line break), a form feed, a NUL and an escape.
    dirty = {
        **DATA,
        "title": "Funding\x0breform\x00",
        "sections": [{"question": "Q\x0c1?", "answer": "Line one\x0bline two\x1b[0m and a bell\x07."}],
    }
    doc = Docx(io.BytesIO(exports.build_docx(dirty)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Response to: Fundingreform" in text and "Line oneline two[0m and a bell." in text
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.build_pdf(dirty))).pages)
    assert "Line oneline two" in pdf


@pytest.mark.parametrize(("positions", "statement"), [
    ({"endorsed": ["A", "B"], "did_not_respond": []}, "All 2 member places endorsed this response."),
    ({"endorsed": ["A"], "endorsed_with_comments": ["B"], "did_not_respond": ["C"]},
     "2 of 3 member places endorsed this response; none objected."),
    ({"endorsed": ["A"], "objected": ["B", "C"], "abstained": ["D"]},
     "1 of 4 member places endorsed this response; B and C objected to it."),
    ({"did_not_respond": ["A", "B"]}, "0 of 2 member places endorsed this response; none objected."),
    ({}, "No member places' positions were recorded for this response."),
])  # fmt: skip
def test_the_agreement_statement_never_claims_agreement_that_was_not_given(positions: dict, statement: str) -> None:  # type: ignore[type-arg]
    assert presenters.agreement_statement(positions) == statement
    assert "agreed" not in statement


def test_positions_summary_and_names() -> None:
    positions = {"endorsed": ["Hull"] * 12, "endorsed_with_comments": ["Derby"] * 2, "abstained": [],
                 "objected": ["Wakefield"], "did_not_respond": ["Medway"] * 9}  # fmt: skip
    assert presenters.positions_summary(positions) == ("12 endorsed, 2 endorsed with comments, 1 objected, "
                                                       "9 did not respond")  # fmt: skip
    assert [presenters.names(n) for n in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == ["", "A", "A and B",
                                                                                       "A, B and C"]  # fmt: skip

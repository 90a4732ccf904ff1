"""The signed-off response as DOCX and PDF, in the Key Cities style: the group's name and
the consultation in brand purple, each question with its answer, and where each member place
stood (endorsed, endorsed with comments, abstained, objected, did not respond).

Both take `queries.response_data(...)`, a plain dict, so they are tested without a database.
Stored text may hold characters XML cannot (a vertical tab pasted from Word): they are removed
before either document is built."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keycities.core.pdf import BRAND, BRAND_HEX, pdf_fonts
from keycities.core.text import xml_safe

from .presenters import agreement_statement, position_rows

# The one PDF engine and its fonts are in keycities/core/pdf.py, shared with the briefing packs.
STRAP = gettext_lazy("A united voice for urban Britain")


def _date(value: Any) -> str:
    """The date in the active language (the labels follow the language the document is downloaded in)."""
    return str(format_date(value, "j F Y")) if value else ""


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [(_("Consultation by"), data["body"]), (_("Closing date"), _date(data["closes_on"])),
             (_("Lead member"), data["lead_place"])]  # fmt: skip
    if data.get("submitted_on"):
        facts.append((_("Submitted"), _date(data["submitted_on"])))
    return facts


def _notes_ref(numbers: list[int]) -> str:
    """The pointer under an answer to its notes: "Evidence: notes 1 and 2"."""
    listed = ", ".join(f"[{n}]" for n in numbers)
    return ngettext("Evidence: note %(notes)s", "Evidence: notes %(notes)s", len(numbers)) % {"notes": listed}


def build_docx(data: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    data = xml_safe(data)
    purple = RGBColor(*BRAND)
    doc = Document()
    doc.core_properties.title = _("%(group)s response: %(title)s") % data
    doc.core_properties.author = data["group"]
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = purple
        doc.styles[name].font.name = "Arial"

    brand = doc.add_paragraph()
    run = brand.add_run(data["group"])
    run.bold = True
    run.font.size = Pt(20)
    run.font.color.rgb = purple
    brand.add_run().add_break(WD_BREAK.LINE)
    strap = brand.add_run(str(STRAP))
    strap.italic = True
    strap.font.color.rgb = purple

    doc.add_heading(_("Response to: %(title)s") % data, level=0)
    for label, value in _facts(data):
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)

    for i, section in enumerate(data["sections"], start=1):
        doc.add_heading(_("Question %(number)s") % {"number": i}, level=2)
        q = doc.add_paragraph()
        q.add_run(section["question"]).bold = True
        for para in (section["answer"] or _("No answer.")).split("\n\n"):
            doc.add_paragraph(para.strip())
        if section.get("notes"):
            doc.add_paragraph(_notes_ref(section["notes"])).runs[0].italic = True

    if data.get("notes"):
        doc.add_heading(_("Notes: the evidence"), level=1)
        for note in data["notes"]:
            doc.add_paragraph(f"[{note['number']}] {note['text']}")
    doc.add_heading(_("Member places"), level=1)
    doc.add_paragraph(agreement_statement(data["positions"]))
    for label, names in position_rows(data["positions"]):
        doc.add_heading(f"{label} ({len(names)})", level=2)
        for name in names:
            doc.add_paragraph(name, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_pdf(data: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    data = xml_safe(data)
    fonts = pdf_fonts()
    purple = colors.HexColor(BRAND_HEX)
    base = getSampleStyleSheet()
    body = ParagraphStyle("kc-body", parent=base["BodyText"], fontName=fonts["normal"], fontSize=10.5, leading=14.5,
                          alignment=TA_LEFT, spaceAfter=6)  # fmt: skip
    brand = ParagraphStyle("kc-brand", parent=body, fontName=fonts["bold"], fontSize=20, leading=24,
                           textColor=purple, spaceAfter=0)  # fmt: skip
    strap = ParagraphStyle("kc-strap", parent=body, fontName=fonts["italic"], textColor=purple, spaceAfter=14)
    title = ParagraphStyle("kc-title", parent=body, fontName=fonts["bold"], fontSize=17, leading=21,
                           textColor=purple, spaceAfter=10)  # fmt: skip
    h2 = ParagraphStyle("kc-h2", parent=body, fontName=fonts["bold"], fontSize=13, leading=16, textColor=purple,
                        spaceBefore=10, spaceAfter=4)  # fmt: skip
    question = ParagraphStyle("kc-question", parent=body, fontName=fonts["bold"])

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list[Any] = [para(data["group"], brand), para(str(STRAP), strap),
                        para(_("Response to: %(title)s") % data, title)]  # fmt: skip
    story += [Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", body) for label, value in _facts(data)]
    for i, section in enumerate(data["sections"], start=1):
        story += [para(_("Question %(number)s") % {"number": i}, h2), para(section["question"], question)]
        story += [para(p.strip(), body) for p in (section["answer"] or _("No answer.")).split("\n\n")]
        if section.get("notes"):
            story.append(para(_notes_ref(section["notes"]), strap))
    if data.get("notes"):
        story.append(para(_("Notes: the evidence"), h2))
        story += [para(f"[{note['number']}] {note['text']}", body) for note in data["notes"]]
    story += [Spacer(1, 4 * mm), para(_("Member places"), h2), para(agreement_statement(data["positions"]), body)]
    for label, names in position_rows(data["positions"]):
        story += [para(f"{label} ({len(names)})", question),
                  ListFlowable([ListItem(para(n, body), leftIndent=12) for n in names], bulletType="bullet",
                               start="•", leftIndent=12, bulletFontName=fonts["normal"])]  # fmt: skip

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(purple)
        canvas.rect(0, A4[1] - 6 * mm, A4[0], 6 * mm, stroke=0, fill=1)
        canvas.setFont(fonts["normal"], 8)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(20 * mm, 10 * mm, (_("%(group)s response to %(title)s") % data)[:110])
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, _("Page %(number)s") % {"number": doc.page})
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                      bottomMargin=20 * mm, title=_("%(group)s response: %(title)s") % data,
                      author=data["group"]).build(story, onFirstPage=footer, onLaterPages=footer)  # fmt: skip
    return out.getvalue()

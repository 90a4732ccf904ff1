"""The signed-off response as DOCX and PDF, in the Key Cities style: the group's name and
the consultation in brand purple, each question with its answer, and where each member place
stood (endorsed, endorsed with comments, abstained, objected, did not respond).

Both take `queries.response_data(...)`, a plain dict, so they are tested without a database. The PDF is
the published page's template of the response rendered by the Hub's one PDF engine (WeasyPrint, tagged
PDF/UA-1, keycities/core/pdf.py), which the briefing packs use too.
Stored text may hold characters XML cannot (a vertical tab pasted from Word): they are removed
before either document is built."""

from __future__ import annotations

import io
from typing import Any

from django.template.defaultfilters import date as format_date
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keycities.core.bilingual import localised_text
from keycities.core.pdf import BRAND, STRAP, render_pdf
from keycities.core.text import xml_safe

from .presenters import agreement_statement, position_rows, with_welsh
from .presenters import names as place_names


def _date(value: Any) -> str:
    """The date in the active language (the labels follow the language the document is downloaded in)."""
    return str(format_date(value, "j F Y")) if value else ""


def _facts(data: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [(_("Consultation by"), data["body"]), (_("Closing date"), _date(data["closes_on"])),
             (_("Lead member"), localised_text(data, "lead_place"))]  # fmt: skip
    if data.get("submitted_on"):
        facts.append((_("Submitted"), _date(data["submitted_on"])))
    return facts


def _notes_ref(numbers: list[int]) -> str:
    """The pointer under an answer to its notes: "Evidence: notes 1 and 2"."""
    listed = ", ".join(f"[{n}]" for n in numbers)
    return ngettext("Evidence: note %(notes)s", "Evidence: notes %(notes)s", len(numbers)) % {"notes": listed}


def _in_language(data: dict[str, Any], title_cy: str) -> dict[str, Any]:
    """The data with the title in the active language: the Welsh version's title on a Welsh document where it has
    one (docs/adr/0010-welsh.md)."""
    return {**data, "title": title_cy} if translation.get_language() == "cy" and title_cy else data


def _language(language: str | None) -> str:
    return language or translation.get_language() or "en"


def build_docx(data: dict[str, Any], language: str | None = None, welsh: dict[str, dict[str, str]] | None = None,
               title_cy: str = "") -> bytes:  # fmt: skip
    """The response as a Word document (labels in `language`, or the active one); in Welsh, the title and answers
    of the issued Welsh version (`title_cy`, `welsh`) where it has them, the rest in English with a notice."""
    with translation.override(_language(language)):
        return _docx(xml_safe(data), with_welsh(xml_safe(data)["sections"], xml_safe(welsh or {})), title_cy)


def _docx(data: dict[str, Any], sections: list[Any], title_cy: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    welsh_page = translation.get_language() == "cy"
    data = _in_language(data, xml_safe(title_cy))
    purple = RGBColor(*BRAND)
    doc = Document()
    doc.core_properties.language = "cy-GB" if welsh_page else "en-GB"
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

    if welsh_page and any(s.answer_fallback for s in sections):
        doc.add_paragraph(_("This response has not been issued in Welsh, or not in full: the answers without a Welsh "
                            "version are shown in English.")).runs[0].italic = True  # fmt: skip
    for i, section in enumerate(sections, start=1):
        doc.add_heading(_("Question %(number)s") % {"number": i}, level=2)
        q = doc.add_paragraph()
        q.add_run(localised_text(section, "question")).bold = True
        answer = localised_text(section, "answer")
        for para in (answer or _("No answer.")).split("\n\n"):
            doc.add_paragraph(para.strip())
        if section.notes:
            doc.add_paragraph(_notes_ref(section.notes)).runs[0].italic = True

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


def build_pdf(data: dict[str, Any], language: str | None = None, welsh: dict[str, dict[str, str]] | None = None,
              title_cy: str = "") -> bytes:  # fmt: skip
    """The response as a tagged PDF/UA-1 document (labels in `language`, or the active one), from the published
    page's own template of the response (consultations/includes/response.html); in Welsh, the title and answers of
    the issued Welsh version (`title_cy`, `welsh`: section -> question and answer) where it has them."""
    data = xml_safe(data)
    with translation.override(_language(language)):
        data = _in_language(data, xml_safe(title_cy))
        sections = with_welsh(data["sections"], xml_safe(welsh or {}))
        context = {
            "data": data,
            "sections": sections,
            "untranslated": translation.get_language() == "cy" and any(s.answer_fallback for s in sections),
            "heading": _("Response to: %(title)s") % data,
            "facts": _facts(data),
            "agreement": agreement_statement(data["positions"]),
            "positions": position_rows(data["positions"]),
            "objected": place_names(data["positions"]["objected"]),
        }
        return render_pdf("consultations/pdf.html", context, title=_("%(group)s response: %(title)s") % data,
                          footer=_("%(group)s response to %(title)s") % data)  # fmt: skip

"""A pack's content (content.build) as PDF and DOCX. The Hub's one PDF engine is ReportLab with DejaVu Sans
(keycities/core/pdf.py), as for the consultation responses; the one DOCX builder is python-docx. The PDF carries
the pack's title and language in its metadata and an outline entry per heading; the DOCX uses Word's own heading
styles (Title, Heading 1, Heading 2), so both are navigable by heading."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from keycities.core.charts import spec_to_png
from keycities.core.pdf import BRAND, BRAND_HEX, pdf_fonts
from keycities.core.text import xml_safe

GROUP = "Key Cities"
# A chart's width on the page: A4 less the margins, in inches (DOCX) and millimetres (PDF).
CHART_INCHES = 6.3
CHART_MM = 170


def _chart_png(chart: dict[str, Any]) -> bytes | None:
    return spec_to_png(chart["spec"]) if chart.get("spec") else None


def _chart_caption(chart: dict[str, Any]) -> str:
    return chart["title"] + (f" [{chart['note']}]" if chart.get("note") else "")


def _subtitle(data: dict[str, Any], version: int | None) -> str:
    said = _("%(kind)s briefing, built from the Hub’s data on %(date)s") % {"kind": data["kind_label"],
                                                                           "date": data["built_on"]}  # fmt: skip
    return said + (" · " + _("version %(n)s") % {"n": version} if version else "")


def build_docx(data: dict[str, Any], version: int | None = None) -> bytes:
    from docx import Document
    from docx.shared import Inches, Pt, RGBColor

    data = xml_safe(data)
    purple = RGBColor(*BRAND)
    doc = Document()
    doc.core_properties.title = data["title"]
    doc.core_properties.author = GROUP
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = purple
        doc.styles[name].font.name = "Arial"
    doc.add_heading(data["title"], level=0)
    doc.add_paragraph(_subtitle(data, version)).runs[0].italic = True
    for section in data["sections"]:
        doc.add_heading(section["heading"], level=1)
        for text in section["paragraphs"]:
            doc.add_paragraph(text)
        for item in section["items"]:
            doc.add_paragraph(item, style="List Bullet")
        if (table := section.get("table")) and table["rows"]:
            doc.add_paragraph(table["caption"]).runs[0].bold = True
            grid = doc.add_table(rows=1, cols=len(table["head"]))
            grid.style = "Table Grid"
            for cell, text in zip(grid.rows[0].cells, table["head"], strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in table["rows"]:
                for cell, text in zip(grid.add_row().cells, row, strict=True):
                    cell.text = text
        if (chart := section.get("chart")) and (png := _chart_png(chart)):
            doc.add_picture(io.BytesIO(png), width=Inches(CHART_INCHES))
            picture = doc.inline_shapes[-1]._inline.docPr
            picture.set("descr", chart.get("description") or chart["title"])  # alt text
            picture.set("title", chart["title"])
            doc.add_paragraph(_chart_caption(chart), style="Caption")
    if data.get("changes"):
        doc.add_heading(_("What changed since the last pack"), level=1)
        for change in data["changes"]:
            doc.add_paragraph(change, style="List Bullet")
    doc.add_heading(_("Sources"), level=1)
    for note in data["notes"]:
        doc.add_paragraph(f"[{note['number']}] {note['text']}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_pdf(data: dict[str, Any], version: int | None = None, language: str = "en") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Table, TableStyle

    data = xml_safe(data)
    fonts = pdf_fonts()
    purple = colors.HexColor(BRAND_HEX)
    base = getSampleStyleSheet()
    body = ParagraphStyle("kc-body", parent=base["BodyText"], fontName=fonts["normal"], fontSize=10, leading=14,
                          spaceAfter=6)  # fmt: skip
    small = ParagraphStyle("kc-small", parent=body, fontSize=8, leading=10, spaceAfter=2)
    title = ParagraphStyle("kc-title", parent=body, fontName=fonts["bold"], fontSize=18, leading=22,
                           textColor=purple, spaceAfter=6)  # fmt: skip
    h1 = ParagraphStyle("kc-h1", parent=body, fontName=fonts["bold"], fontSize=13, leading=16, textColor=purple,
                        spaceBefore=10, spaceAfter=4)  # fmt: skip

    class Heading(Paragraph):
        """A heading that adds itself to the PDF's outline (the reader's bookmarks)."""

        def draw(self) -> None:
            super().draw()
            key = f"h{id(self)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(self.getPlainText(), key, level=0)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list[Any] = [Heading(escape(data["title"]), title), para(_subtitle(data, version), small)]
    for section in data["sections"]:
        story.append(Heading(escape(section["heading"]), h1))
        story += [para(p, body) for p in section["paragraphs"]]
        if section["items"]:
            story.append(ListFlowable([ListItem(para(i, body), leftIndent=12) for i in section["items"]],
                                      bulletType="bullet", start="•", leftIndent=12,
                                      bulletFontName=fonts["normal"]))  # fmt: skip
        if (table := section.get("table")) and table["rows"]:
            story.append(para(table["caption"], body))
            cells = [[para(c, small) for c in table["head"]]] + [[para(c, small) for c in r] for r in table["rows"]]
            grid = Table(cells, repeatRows=1)
            grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                                      ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
            story.append(grid)
        if (chart := section.get("chart")) and (png := _chart_png(chart)):
            picture = Image(io.BytesIO(png))
            picture.drawHeight = CHART_MM * mm * picture.imageHeight / picture.imageWidth
            picture.drawWidth = CHART_MM * mm
            story += [picture, para(_chart_caption(chart), small)]
    if data.get("changes"):
        story.append(Heading(escape(_("What changed since the last pack")), h1))
        story += [para("• " + c, body) for c in data["changes"]]
    story.append(Heading(escape(_("Sources")), h1))
    story += [para(f"[{n['number']}] {n['text']}", small) for n in data["notes"]]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(purple)
        canvas.rect(0, A4[1] - 6 * mm, A4[0], 6 * mm, stroke=0, fill=1)
        canvas.setFont(fonts["normal"], 8)
        canvas.setFillColor(colors.HexColor("#505a5f"))
        canvas.drawString(20 * mm, 10 * mm, data["title"][:110])
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, _("Page %(number)s") % {"number": doc.page})
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                                 bottomMargin=20 * mm, title=data["title"], author=GROUP, lang=language)  # fmt: skip
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()

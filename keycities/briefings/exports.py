"""A pack's content (content.build) as PDF and DOCX. The Hub's one PDF engine is WeasyPrint (keycities/core/pdf.py),
as for the consultation responses: the PDF is the issue page's content template (briefings/includes/content.html)
rendered as tagged PDF/UA-1, with the pack's title and language, H1 and H2 headings, tables with their headers and
the chart (the observatory's SVG) as a figure with its alternative text. The one DOCX builder is python-docx; the
DOCX uses Word's own heading styles (Title, Heading 1, Heading 2), so both are navigable by heading."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keycities.core.charts import spec_to_png
from keycities.core.pdf import BRAND, GROUP, html_to_pdf, page_html
from keycities.core.text import xml_safe

# A chart's width on the page: A4 less the margins, in inches.
CHART_INCHES = 6.3


def _chart_png(chart: dict[str, Any]) -> bytes | None:
    return spec_to_png(chart["spec"]) if chart.get("spec") else None


def _chart_caption(chart: dict[str, Any]) -> str:
    return chart["title"] + (f" [{chart['note']}]" if chart.get("note") else "")


def _subtitle(data: dict[str, Any], version: int | None) -> str:
    built = date_format(dt.date.fromisoformat(data["built_on"]), "j F Y")
    said = _("%(kind)s briefing, built from the Hub’s data on %(date)s") % {"kind": data["kind_label"], "date": built}
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


def pdf_html(data: dict[str, Any], version: int | None = None, language: str = "en") -> str:
    """The HTML the PDF is made from: the issue page's own content template inside the PDF's page."""
    data = xml_safe(data)
    with translation.override(language):
        subtitle = _subtitle(data, version)
    return page_html("briefings/pdf.html", {"data": data, "subtitle": subtitle}, title=data["title"],
                     footer=data["title"], language=language)  # fmt: skip


def build_pdf(data: dict[str, Any], version: int | None = None, language: str = "en") -> bytes:
    """The pack as a tagged PDF/UA-1 document in `language`."""
    return html_to_pdf(pdf_html(data, version, language))

"""Small real documents made in the test: a PDF with text, a scanned-looking PDF (a drawing, no text) and a DOCX."""

from __future__ import annotations

import io
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "", *, drawing: bool = False) -> bytes:
    """A one-page PDF made by the Hub's PDF engine (WeasyPrint): the text's lines, and a filled box if `drawing`."""
    from weasyprint import HTML

    lines = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines())
    box = '<div style="width: 300pt; height: 200pt; background: #0b0c0c"></div>' if drawing else ""
    return bytes(HTML(string=f"<!DOCTYPE html><html lang=en><body>{lines}{box}</body></html>").write_pdf())


def docx_bytes(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def pdf(text: str = "", name: str = "report.pdf", **kwargs: bool) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text, **kwargs), content_type="application/pdf")


def docx_file(text: str, name: str = "report.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_bytes(text), content_type="application/octet-stream")

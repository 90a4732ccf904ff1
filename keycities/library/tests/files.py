"""Small real documents made in the test: a PDF with text, a scanned-looking PDF (a drawing, no text) and a DOCX."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "", *, drawing: bool = False) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    if text:
        y = 800
        for line in text.splitlines():
            c.drawString(50, y, line)
            y -= 16
    if drawing:
        c.rect(50, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


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

"""Text from an uploaded PDF (pypdf) or DOCX (python-docx), for search. A PDF whose pages give no text is a scan
without a text layer: it is flagged so that staff can replace it with an accessible version or OCR it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO

from keycities.core.files import DOCX, PDF

log = logging.getLogger(__name__)

MAX_PAGES = 500
MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int
    no_text: bool  # a PDF with pages but no text layer


def extract(f: IO[bytes], content_type: str) -> Extracted:
    start = f.tell()
    try:
        if content_type == PDF:
            return _pdf(f)
        if content_type == DOCX:
            return _docx(f)
        return Extracted("", 0, False)
    finally:
        f.seek(start)


def _pdf(f: IO[bytes]) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(f)
        pages = len(reader.pages)
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_CHARS:
                break
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        log.warning("Could not read the PDF's text: %s", exc)
        return Extracted("", 0, True)
    text = "\n".join(parts)[:MAX_CHARS].replace("\x00", "")
    return Extracted(text, pages, pages > 0 and not text.strip())


def _docx(f: IO[bytes]) -> Extracted:
    import docx

    document = docx.Document(f)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    text = "\n".join(parts)[:MAX_CHARS].replace("\x00", "")
    return Extracted(text, 0, False)

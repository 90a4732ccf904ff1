"""What a file is, judged from its content rather than its name."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import IO

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def sniff_document(f: IO[bytes]) -> str | None:
    """PDF, DOCX or ODT from the bytes, or None. The file position is restored."""
    start = f.tell()
    try:
        head = f.read(8)
        f.seek(start)
        if head.startswith(b"%PDF-"):
            return PDF
        if not head.startswith(b"PK\x03\x04"):
            return None
        try:
            with zipfile.ZipFile(f) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                    return ODT
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return DOCX
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        return None
    finally:
        f.seek(start)


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()

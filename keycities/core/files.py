"""What a file is, judged from its content rather than its name.

DOCX and ODT are zip archives, so an upload can be a "zip bomb": a small file whose members inflate to
gigabytes. Nothing here ever inflates a member whole: every member is read through a stream, a chunk at a
time, against hard caps on the number of members, on each member's size and on the total (the sizes an
archive declares can lie, so the bytes actually inflated are counted). Memory stays at one chunk.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from pathlib import Path
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

MAX_MEMBERS = 1000
MAX_INFLATED_BYTES = 100 * 1024 * 1024  # all members together; a 10 MB document with pictures stays well under
MAX_RATIO = 200  # inflated size ÷ compressed size, for the archive as a whole (text compresses ~10:1)
CHUNK = 64 * 1024


class _TooBig(Exception):
    pass


def _read_capped(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The first `cap` bytes of a member, inflating no more than that (plus one chunk)."""
    with z.open(info) as member:
        return member.read(cap)


def _inflate_all(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], compressed: int) -> None:
    """Inflate every member as a stream, discarding the bytes: checks the CRCs and the true sizes."""
    limit = min(MAX_INFLATED_BYTES, max(compressed, 1) * MAX_RATIO)
    total = 0
    for info in infos:
        with z.open(info) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise _TooBig


def sniff_document(f: IO[bytes]) -> str | None:
    """PDF, DOCX or ODT from the bytes, or None. An archive is accepted only if every member inflates
    within the caps and its checksum; the file position is restored."""
    start = f.tell()
    try:
        head = f.read(8)
        f.seek(0, 2)
        size = f.tell() - start
        f.seek(start)
        if head.startswith(b"%PDF-"):
            return PDF
        if not head.startswith(b"PK\x03\x04"):
            return None
        try:
            with zipfile.ZipFile(f) as z:
                infos = z.infolist()
                if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_INFLATED_BYTES:
                    return None  # what it declares is already too much
                names = {i.filename: i for i in infos}
                kind = None
                if "mimetype" in names and _read_capped(z, names["mimetype"], len(ODT) + 2).strip() == ODT.encode():
                    kind = ODT
                elif "[Content_Types].xml" in names and "word/document.xml" in names:
                    kind = DOCX
                if kind is None:
                    return None
                _inflate_all(z, infos, size)
                return kind
        except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, NotImplementedError,
                RuntimeError, ValueError, _TooBig):  # fmt: skip
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


def download(stored: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download. A file the database refers to but the storage does not have (a database
    restored without its files) is a 404 and an error in the log, never a server error."""
    if not stored.name or not stored.storage.exists(stored.name):
        log.error("File %s is missing from the file store (run manage.py check_files)", stored.name)
        raise Http404("This file is missing from the Hub's file store.")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)

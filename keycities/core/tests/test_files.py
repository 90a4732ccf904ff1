"""Documents are judged by their bytes, and archives are checked as streams under hard caps: a zip bomb is
refused without ever being inflated in memory."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

from keycities.core.files import DOCX, MAX_MEMBERS, ODT, PDF, sniff_document

MIB = 1 << 20


def odt(content: bytes = b"<office:document-content/>") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return buffer


def docx() -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + "<w:p>Skills</w:p>" * 500 + "</w:document>")
    return buffer


def zeros(name: str, size: int, *, mimetype: bool = True) -> io.BytesIO:
    """An ODT-shaped archive with a member of `size` zero bytes, deflated (about 1,000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        if mimetype:
            z.writestr("mimetype", ODT, compress_type=zipfile.ZIP_STORED)
        with z.open(name, "w") as member:
            for _ in range(size // MIB):
                member.write(b"\0" * MIB)
    return buffer


def lying(buffer: io.BytesIO, declared: int) -> io.BytesIO:
    """The same archive with every member's declared (uncompressed) size replaced by `declared`."""
    data = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            data[at + offset : at + offset + 4] = struct.pack("<I", declared)
            at = data.find(signature, at + 4)
    return io.BytesIO(bytes(data))


def peak_while(f: io.BytesIO) -> tuple[str | None, int]:
    tracemalloc.start()
    try:
        kind = sniff_document(f)
        return kind, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_real_documents_are_recognised_and_the_position_kept() -> None:
    pdf = io.BytesIO(b"%PDF-1.7\n...")
    for f, kind in ((pdf, PDF), (odt(), ODT), (docx(), DOCX)):
        f.seek(0)
        assert sniff_document(f) == kind and f.tell() == 0


def test_a_zip_bomb_named_odt_is_refused_with_a_few_mib_of_memory() -> None:
    bomb = zeros("mimetype-padding", 256 * MIB)  # 256 MiB inflated from about a quarter of a MiB
    assert len(bomb.getvalue()) < MIB
    kind, peak = peak_while(bomb)
    assert kind is None and peak < 4 * MIB


def test_a_bomb_that_declares_small_sizes_is_still_refused_by_streaming() -> None:
    bomb = lying(zeros("content.xml", 64 * MIB), declared=1000)
    kind, peak = peak_while(bomb)
    assert kind is None and peak < 4 * MIB  # the bytes are counted as they inflate, never held


def test_the_mimetype_member_itself_cannot_be_a_bomb() -> None:
    bomb = zeros("mimetype", 128 * MIB, mimetype=False)
    kind, peak = peak_while(bomb)
    assert kind is None and peak < 4 * MIB


def test_too_many_members_or_a_corrupt_member_is_refused() -> None:
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("mimetype", ODT)
        for i in range(MAX_MEMBERS):
            z.writestr(f"p{i}.xml", "x")
    assert sniff_document(many) is None
    corrupt = bytearray(odt(b"<text>" * 1000).getvalue())
    at = corrupt.find(b"content.xml") + 40
    corrupt[at : at + 8] = b"\xff" * 8  # damage the deflated bytes: the checksum fails
    assert sniff_document(io.BytesIO(bytes(corrupt))) is None
    assert sniff_document(io.BytesIO(b"PK\x03\x04 not really a zip")) is None

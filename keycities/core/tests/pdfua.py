"""What a test reads from a PDF made by the Hub's PDF engine: its text, and what makes it a tagged, accessible
PDF (PDF/UA-1): the structure tree's tags in reading order, the figures' alternative text, the language, the
title shown as the window title, "Marked", the headings (bookmarks) and the embedded fonts. Read with pypdf.
`structure()` also runs a PDF/UA-1 validator over the file (page-validation: the Matterhorn Protocol's
machine-checkable rules, tested against veraPDF's corpus) and lists every rule it fails."""

from __future__ import annotations

import io
from typing import Any

import page
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


def text(pdf: bytes) -> str:
    """The PDF's text with runs of white space made one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _walk(node: Any, tags: list[str], alts: list[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, tags, alts)
        return
    if not isinstance(node, DictionaryObject):
        return  # a marked-content id
    if "/S" in node:
        tags.append(str(node["/S"]).lstrip("/"))
        if node["/S"] == "/Figure":
            alts.append(str(node.get("/Alt", "")))
    if "/K" in node:
        _walk(node["/K"], tags, alts)


def _titles(outline: Any) -> list[str]:
    out: list[str] = []
    for item in outline:
        out += _titles(item) if isinstance(item, list) else [str(item.title)]
    return out


def _embedded(font: Any) -> bool:
    descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font).get(
        "/FontDescriptor"
    )
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def ua1_failures(pdf: bytes) -> list[str]:
    """Each PDF/UA-1 rule the file fails, with the validator's message (empty: conformant)."""
    report = page.validate_pdf_bytes(pdf, profile="ua1")
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def structure(pdf: bytes) -> dict[str, Any]:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    tags: list[str] = []
    alts: list[str] = []
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"], tags, alts)
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]: _embedded(font.get_object()) for page in reader.pages
             for font in page["/Resources"].get("/Font", {}).values()}  # fmt: skip
    return {
        "tags": tags,
        "alts": alts,
        "lang": str(root.get("/Lang", "")),
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "display_doc_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
        "title": reader.metadata.title if reader.metadata else None,
        "headings": _titles(reader.outline),
        "xmp": root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else "",
        "fonts": {name for name, embedded in fonts.items() if embedded},  # the embedded fonts' names
        "not_embedded": {name for name, embedded in fonts.items() if not embedded},
        "pages": len(reader.pages),
        "ua1_failures": ua1_failures(pdf),
    }

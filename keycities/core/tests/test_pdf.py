"""The Hub's one PDF engine (keycities/core/pdf.py): the fonts have every Welsh letter, text put into the
stylesheet cannot end its string or the <style> element, and nothing is fetched but the fonts and data: URLs."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from keycities.core import pdf


def test_the_fonts_have_every_letter_welsh_uses() -> None:
    faces = pdf.font_faces()
    assert faces.count("@font-face") >= 2 and 'font-family: "KC Sans"' in faces
    for _weight, _style, name in pdf.FACES[:2]:  # regular and bold are in fonts-dejavu-core
        cmap = TTFont(pdf.FONT_DIR / name).getBestCmap()
        assert all(ord(c) in cmap for c in "âêîôûŵŷÂÊÎÔÛŴŶäëïöüẅÿáéíóúẃýàèìòùẁỳ’£–"), name


@pytest.mark.parametrize(("text", "css"), [
    ("Briefing for Imran Hussain", '"Briefing for Imran Hussain"'),
    ('Say "no" \\ </style><script>', '"Say \\22 no\\22  \\5c  \\3c /style\\3e \\3c script\\3e "'),
    ("Gŵyl y Dŷ\nOpera", '"Gŵyl y Dŷ Opera"'),
])  # fmt: skip
def test_text_in_the_stylesheet_is_one_css_string(text: str, css: str) -> None:
    assert pdf.css_string(text) == css


def test_the_page_number_goes_where_the_language_puts_it() -> None:
    assert pdf.page_counter("Page %(number)s") == '"Page " counter(page)'
    assert pdf.page_counter("%(number)s. oldal") == 'counter(page) ". oldal"'


@pytest.mark.parametrize("url", ["https://example.org/logo.png", "file:///etc/passwd",
                                 f"file://{pdf.FONT_DIR}/../../../../etc/passwd"])  # fmt: skip
def test_a_pdf_fetches_nothing_but_its_fonts(url: str) -> None:
    with pytest.raises(ValueError, match="fetches nothing but its fonts"):
        pdf._local_only().fetch(url)


def test_a_pdf_reads_its_fonts_and_data_urls() -> None:
    assert pdf._local_only().fetch((pdf.FONT_DIR / pdf.FACES[0][2]).as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    assert pdf._local_only().fetch(pdf.svg_data_uri("<svg/>")).read() == b"<svg/>"

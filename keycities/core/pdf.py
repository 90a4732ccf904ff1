"""The Hub's one PDF engine (ReportLab) and its fonts, shared by the consultation exports and the briefing
packs: DejaVu Sans, which has every letter Welsh uses (the PDF standard fonts have no ŵ or ŷ), and the brand
colour."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

BRAND = (0x5B, 0x2E, 0x8B)
BRAND_HEX = "#5b2e8b"
# `make setup` installs DejaVu Sans (Debian's fonts-dejavu-core).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf",
              "boldItalic": "DejaVuSans-BoldOblique.ttf"}  # fmt: skip
HELVETICA = {"normal": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique",
             "boldItalic": "Helvetica-BoldOblique"}  # fmt: skip


@cache
def pdf_fonts(font_dir: Path = FONT_DIR) -> dict[str, str]:
    """The PDF's font names by style: DejaVu Sans, registered once per process as the family "KC-Sans" (so that
    <b> in a paragraph finds its bold); Helvetica, without ŵ and ŷ, only where DejaVu Sans is not installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    normal, bold = font_dir / FONT_FILES["normal"], font_dir / FONT_FILES["bold"]
    if not (normal.exists() and bold.exists()):
        log.warning("DejaVu Sans is not in %s: PDFs use Helvetica, which cannot show ŵ or ŷ", font_dir)
        return HELVETICA
    names = {}
    for style, file in FONT_FILES.items():
        path = font_dir / file
        if not path.exists():  # the slanted faces are in fonts-dejavu-extra
            path = bold if "bold" in style else normal
        names[style] = f"KC-Sans-{style}"
        pdfmetrics.registerFont(TTFont(names[style], str(path)))
    pdfmetrics.registerFontFamily("KC-Sans", **names)
    return names

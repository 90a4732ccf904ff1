"""The Hub's one PDF engine: WeasyPrint, writing a tagged PDF/UA-1 document from an HTML template. Used by the
consultation responses and the briefing packs, each of which renders the same template include as its HTML page
(one source), inside `core/pdf/base.html`: the document's language (`<html lang>`), its title (`<title>`, shown
by readers as the window title), a structure tree from the HTML (H1, H2, lists, tables with their headers,
figures with their alternative text), the running footer and the brand band.

The fonts are DejaVu Sans (`make fonts` installs Debian's fonts-dejavu-core and, for the italics,
fonts-dejavu-extra), declared with @font-face and embedded: it has every letter Welsh uses (ŵ, ŷ and the other
circumflexes, diaereses and accents).

Nothing is fetched while a PDF is made except the font files and `data:` URLs (the charts): no network, no
other file (`LocalOnly`). WeasyPrint needs Pango (Debian's libpango-1.0-0 and libpangoft2-1.0-0), which
`make setup` installs when missing (scripts/ensure-pango.sh).
"""

from __future__ import annotations

import base64
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

BRAND = (0x5B, 0x2E, 0x8B)
GROUP = "Key Cities"
STRAP = gettext_lazy("A united voice for urban Britain")
# `make setup` installs DejaVu Sans (Debian's fonts-dejavu-core and fonts-dejavu-extra).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FAMILY = "KC Sans"
# (weight, style, file). The slanted faces are in fonts-dejavu-extra; without them the engine slants the upright.
FACES = (("normal", "normal", "DejaVuSans.ttf"), ("bold", "normal", "DejaVuSans-Bold.ttf"),
         ("normal", "italic", "DejaVuSans-Oblique.ttf"), ("bold", "italic", "DejaVuSans-BoldOblique.ttf"))  # fmt: skip
# PDF/UA-1 (ISO 14289-1): tagged, with the language, the title shown as the window title, alternative text.
PDF_VARIANT = "pdf/ua-1"
LANGUAGES = {"cy": "cy", "en": "en-GB"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@cache
def font_faces(font_dir: Path = FONT_DIR) -> str:
    """The @font-face rules of the installed DejaVu Sans faces (none, with a warning, where it is missing: the
    PDF then uses the system's sans-serif, which may not have ŵ or ŷ)."""
    rules = [f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
             f'src: url("{(font_dir / file).as_uri()}"); }}'
             for weight, style, file in FACES if (font_dir / file).exists()]  # fmt: skip
    if not rules:
        log.warning("DejaVu Sans is not in %s: PDFs use the system font, which may not show ŵ or ŷ", font_dir)
    return "\n".join(rules)


def css_string(text: str) -> SafeString:
    """`text` on one line as a quoted CSS string, safe inside a <style> element: every character that could end
    the string or the element (quotes, backslash, <, >, &) as a CSS escape, control characters removed."""
    out = []
    for char in _CONTROL.sub(" ", text):
        if char.isalnum() or char in " .,:;!?()[]/+-–—’‘“”£%" or (char.isprintable() and not char.isascii()):
            out.append(char)
        elif char.isprintable():
            out.append(f"\\{ord(char):x} ")  # the space ends the escape, and is not part of the string
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308 (every special character is escaped above)


def page_counter(label: str) -> SafeString:
    """A CSS `content` value for a translated "Page %(number)s", with the page counter where the number goes."""
    before, _sep, after = (label % {"number": "\x00"}).partition("\x00")
    parts = [str(css_string(before)) if before else "", "counter(page)", str(css_string(after)) if after else ""]
    return mark_safe(" ".join(p for p in parts if p))  # noqa: S308 (css_string escapes the text)


def svg_data_uri(svg: str) -> str:
    """An SVG as a data: URL, for an <img> that carries its alternative text in `alt`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _local_only() -> Any:
    from weasyprint import URLFetcher

    class LocalOnly(URLFetcher):
        """Fetches `data:` URLs and the font files; refuses everything else (WeasyPrint logs and skips it)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file" and Path(unquote(parsed.path)).resolve().is_relative_to(FONT_DIR.resolve()):
                return super().fetch(url, headers)
            raise ValueError(f"a PDF fetches nothing but its fonts: {url}")

    return LocalOnly()


def page_html(template: str, context: dict[str, Any], *, title: str, footer: str, language: str | None = None) -> str:
    """The HTML a PDF is made from: the template (which extends core/pdf/base.html), its labels and `lang` in
    `language` (the active language if none is given)."""
    code = "cy" if (language or translation.get_language() or "en").startswith("cy") else "en"
    with translation.override(code):
        page = {"title": title, "lang": LANGUAGES[code], "author": GROUP, "strap": str(STRAP),
                "fonts": mark_safe(font_faces()),  # noqa: S308 (our own rules)
                "footer": css_string(footer), "page": page_counter(_("Page %(number)s"))}  # fmt: skip
        return render_to_string(template, {**context, "pdf": page})


def html_to_pdf(html: str) -> bytes:
    """HTML from `page_html` as a tagged PDF/UA-1 document."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_local_only())
    return bytes(document.write_pdf(pdf_variant=PDF_VARIANT))


def render_pdf(
    template: str, context: dict[str, Any], *, title: str, footer: str, language: str | None = None
) -> bytes:
    """The template as a tagged PDF/UA-1 document (see `page_html`)."""
    return html_to_pdf(page_html(template, context, title=title, footer=footer, language=language))

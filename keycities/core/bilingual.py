"""Bilingual content: a published text field `x` has a Welsh twin `x_cy` (blank until translated).

Welsh pages show the Welsh text; where none exists yet they show the English, marked as English
(`lang="en-GB"`, so screen readers pronounce it correctly, and a visible marker on block text), never
silently. English pages always show the English. See docs/adr/0010-welsh.md.

    {% load bilingual %}
    <h1 lang="{{ place|bi_lang:'name' }}">{{ place|bi:"name" }}</h1>
    {{ publication|bi:"summary" }}{% if publication|bi_fallback:"summary" %}…{% endif %}
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop, override

T = TypeVar("T")

WELSH = "cy"
HTML_LANG = {"en": "en-GB", WELSH: "cy"}


def is_welsh(language: str | None = None) -> bool:
    return (language or get_language() or "").startswith(WELSH)


@dataclass(frozen=True)
class Localised:
    text: str
    lang: str  # the HTML language of `text`: "en-GB" or "cy"
    fallback: bool  # True where Welsh was asked for and only English exists

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> SafeString:
        if self.fallback:
            return format_html('<span lang="{}" class="kc-fallback">{}</span>', self.lang, self.text)
        return format_html("{}", self.text)


def localised(obj: Any, field: str, language: str | None = None) -> Localised:
    """The text of `obj.field` (or `obj[field]` for a presenter's dict) in the language (default: the active one),
    with its language."""
    get = obj.get if isinstance(obj, Mapping) else lambda name, default: getattr(obj, name, default)
    english = get(field, "") or ""
    if not is_welsh(language):
        return Localised(str(english), HTML_LANG["en"], False)
    welsh = get(f"{field}_cy", "") or ""
    if welsh:
        return Localised(str(welsh), HTML_LANG[WELSH], False)
    return Localised(str(english), HTML_LANG["en"], bool(english))


def localised_text(obj: Any, field: str, language: str | None = None) -> str:
    """Plain text for emails, CSV, PDF and the API."""
    return localised(obj, field, language).text


def marked_text(obj: Any, field: str) -> str:
    """Plain text to put in a sentence written in the active language (a stored summary, a working): the Welsh
    where there is some, else the English followed by "(yn Saesneg)", as a plain string cannot carry `lang`."""
    found = localised(obj, field)
    if not found.fallback:
        return found.text
    text = found.text.rstrip()
    stop = "." if text.endswith(".") else ""  # "… Poole (yn Saesneg)." rather than "… Poole. (yn Saesneg)"
    return gettext("%(text)s (in English)") % {"text": text.removesuffix(stop)} + stop


def by_name(objects: Iterable[T], field: str = "name") -> list[T]:
    """The objects in the order of the names shown (on Welsh pages Abertawe and Casnewydd come where a Welsh reader
    looks for them, not where Swansea and Newport would be); English pages keep the English order."""
    return sorted(objects, key=lambda o: localised_text(o, field).casefold())


# Publishers' and licences' names that have a standard Welsh form (docs/welsh-glossary.md), as the release
# records of the catalogue (data/catalogue/*.yaml) store them in English.
OFFICIAL_NAMES = {
    gettext_noop("Office for National Statistics"),
    gettext_noop("Ministry of Housing, Communities and Local Government"),
    gettext_noop("Welsh Government"),
    gettext_noop("Open Government Licence v3.0"),
}


def official_name(name: str) -> str:
    """A publisher's or licence's name in the active language where it has a standard Welsh form."""
    return gettext(name) if name in OFFICIAL_NAMES else name


# The UK, its nations and England's regions, as the ONS names them in English (data/ons/els-app/areas-list.json,
# data/network.yaml's `region`), with the official Welsh names of the ONS's Welsh-language releases
# (docs/welsh-glossary.md). No bundled file gives them: the ONS lookup's `*NMW` columns name only Welsh areas.
# A name not listed (a local authority, an ITL region) is shown as written.
AREA_NAMES = {
    gettext_noop("United Kingdom"),
    gettext_noop("Great Britain"),
    gettext_noop("England and Wales"),
    gettext_noop("England"),
    gettext_noop("Wales"),
    gettext_noop("Scotland"),
    gettext_noop("Northern Ireland"),
    gettext_noop("North East"),
    gettext_noop("North West"),
    gettext_noop("Yorkshire and The Humber"),
    gettext_noop("East Midlands"),
    gettext_noop("West Midlands"),
    gettext_noop("East of England"),
    gettext_noop("London"),
    gettext_noop("South East"),
    gettext_noop("South West"),
}


def area_name(name: str, language: str | None = None) -> str:
    """A nation's or English region's name in the language (default: the active one) where it has an official
    Welsh form ("Gogledd Orllewin Lloegr" for the North West on a Welsh page); any other name as written."""
    if name not in AREA_NAMES:
        return name
    if language is None:
        return gettext(name)
    with override(language):
        return gettext(name)


# The ONS ward -> constituency -> local authority lookup (July 2024) gives the official Welsh name of every Welsh
# ward, constituency and local authority (its *NMW columns: Casnewydd, Dwyrain Casnewydd); read once per process.
GSS_LOOKUP = (
    Path(settings.BASE_DIR) / "data" / "ons" / "lookup-wd24-pcon24-lad24" / "WD24_PCON24_LAD24_UTLA24_UK_LU.csv"
)


@functools.cache
def welsh_gss_names() -> dict[str, str]:
    """GSS code -> official Welsh name, for every Welsh ward, constituency and local authority in the lookup."""
    names: dict[str, str] = {}
    try:
        with GSS_LOOKUP.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for level in ("WD24", "PCON24", "LAD24", "UTLA24"):
                    code, welsh = (row.get(f"{level}CD") or "").strip(), (row.get(f"{level}NMW") or "").strip()
                    if code and welsh:
                        names[code] = welsh
    except OSError:  # no lookup bundled: names as written
        return {}
    return names


def gss_name(name: str, code: str, language: str | None = None) -> str:
    """An area's name in the language (default: the active one): on a Welsh page, a Welsh ward's, constituency's or
    local authority's official Welsh name by its GSS code (W06000022 is Casnewydd); any other name as written."""
    if not is_welsh(language) or not code.startswith("W"):
        return name
    return welsh_gss_names().get(code, name)

"""Every page in Welsh, looked for English (issue 14: "untranslated strings are looked for on every page").

Each page of the expected-status table that answers 200 with HTML is rendered in English and at /cy/: the
public pages as a visitor, the others as the secretariat, on the small real fixtures the suite uses (the
registry, the bundled claims checked against the test statistics, the consultations and everything else the
apps' `access_table.py` build). A text node of the Welsh page that is also a text node of the English page
is English left on a Welsh page, unless it is

- inside an element marked with another language (`lang="en-GB"`: the marked fallback of content that has no
  Welsh yet, or the language switcher's "English"),
- not words: numbers, dates in figures, codes (GSS codes, references), addresses, punctuation,
- a name: a place, area, organisation, person, user or group in the fixtures, or text staff typed in the
  fixtures that has no Welsh twin (a consultation's questions and answers are written in one language),
- in `ALLOWED`: the short list of words that are the same in Welsh (each with its reason).

The failure lists each page and its English text, so that a new untranslated string is found at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.utils import translation

from keycities.tests.access import Row, World, rows, url

pytestmark = pytest.mark.django_db

# Words and phrases that read the same on a Welsh page, each for a reason the glossary gives.
ALLOWED = {
    "Key Cities": "the group's proper name (glossary: Names)",
    "Core Cities": "another group's proper name (glossary: Names)",
    "Senedd Cymru": "the same in both languages (glossary: Names)",
    "English": "the language switcher names each language in itself (lang='en-GB')",
    "Cymraeg": "the language switcher names each language in itself",
    "partner": "the same word in Welsh (glossary: The Hub)",
    "Partner": "the same word in Welsh (glossary: The Hub)",
    "Hwb Key Cities": "the Hub's name (glossary: Names)",
    "Map": "the same word in Welsh (map)",
    "Beta": "the GOV.UK phase banner's word, the same in Welsh services",
    "Twitter": "a company's name",
    "Person": "the same word in Welsh (engagement glossary)",
    "Agenda": "the same word in Welsh",
    "Word": "Microsoft Word, a product's name (“Word (DOCX)”)",
}
# File formats and standards' names read the same in every language (as in keycities/tests/i18n.py).
NEUTRAL_WORDS = {"CSV", "JSON", "PDF", "DOCX", "ODT", "XLSX", "API", "SVG", "RSS", "Atom", "iCalendar", "OpenAPI",
                 "GSS", "HTML"}  # fmt: skip

WORDS = re.compile(r"[^\W\d_]{2,}")
ADDRESSES = re.compile(r"\S+@\S+|@\w+|(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}\S*|/[\w/.?=&-]*")
CODE = re.compile(r"^[A-Z]{1,4}[0-9]{2,}[A-Z0-9-]*$|^[A-Z]{2,}$")  # E08000026, KC-2026-0001, ONS, GVA
SLUGS = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b[0-9a-f]{12,}\b")  # els-pay, ons-gdp-workbook, a SHA-256
# Not interface text: scripts, and what staff typed into a form (a textarea's value), code and file names.
SKIP = {"script", "style", "template", "svg", "noscript", "textarea", "code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text nodes of a page (whitespace collapsed), leaving out script, style and elements marked with a
    language other than the page's."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.nodes: list[str] = []

    def _skipped(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        lang = dict(attrs).get("lang")
        other = tag != "html" and lang is not None and not (lang or "").startswith(self.language)
        self.stack.append((tag, tag in SKIP or other))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skipped():
            self.nodes.append(text)


def text_nodes(html: str, language: str) -> list[str]:
    reader = _Text(language)
    reader.feed(html)
    return reader.nodes


def _words(text: str) -> list[str]:
    text = SLUGS.sub(" ", ADDRESSES.sub(" ", text))
    return [w for w in WORDS.findall(text) if w not in NEUTRAL_WORDS and not CODE.match(w)]


def english_left(english: Iterable[str], welsh: Iterable[str], names: set[str]) -> list[str]:
    """The Welsh page's text nodes that are the English page's, less names, numbers, codes and ALLOWED."""
    same = set(english)
    found = []
    for node in welsh:
        if node not in same or node in ALLOWED or node in names:
            continue
        rest = ADDRESSES.sub(" ", node)
        for name in sorted(names | set(ALLOWED), key=len, reverse=True):
            if name in rest:
                rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
        if _words(rest):
            found.append(node)
    return sorted(set(found))


def fixture_names() -> set[str]:
    """Names in the fixtures (places, areas, organisations, people, users, groups) and text staff typed there
    that has no Welsh twin: they read the same on a Welsh page."""
    from django.apps import apps

    names: set[str] = set()
    wanted = {
        "network.place": ["name", "official_name"], "network.group": ["name"], "observatory.area": ["name"],
        "engagement.organisation": ["name"], "engagement.person": ["name"], "accounts.user": ["username"],
        "consultations.section": ["question", "answer"], "consultations.consultation": ["body_name"],
        "network.placearea": ["area_name"],
        # What staff typed in the fixtures, in one language: titles, posts, subjects, follow-ups.
        "proposals.proposal": ["title"], "engagement.role": ["title"], "engagement.spokesperson": ["title"],
        "engagement.interaction": ["title"], "engagement.followup": ["text"],
        "engagement.pressrelease": ["title", "body"],
        "briefings.pack": ["title"], "library.publication": ["title", "summary"],
    }  # fmt: skip
    for label, fields in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        present = [f for f in fields if any(field.name == f for field in model._meta.get_fields())]
        for values in model.objects.values_list(*present):
            names |= {str(v).strip() for v in values if v and len(str(v).strip()) > 1}
    # Datasets' titles, the registry's notes and the UK's, nations' and English regions' names have Welsh
    # (observatory.models.DATASET_TITLES, `note_cy`, core.bilingual.AREA_NAMES): their English is not a name here.
    from keycities.core.bilingual import AREA_NAMES

    names -= AREA_NAMES
    for version in apps.get_model("consultations.version").objects.all():
        names |= {str(s.get(k, "")).strip() for s in version.content for k in ("question", "answer") if s.get(k)}
    # Content whose Welsh twin is the same words ("Brexit", a place with no other name).
    for model in apps.get_models():
        if not model.__module__.startswith("keycities."):
            continue
        fields = {f.name for f in model._meta.get_fields() if hasattr(f, "column")}
        for field in sorted(f for f in fields if f"{f}_cy" in fields):
            names |= {v for v in model.objects.filter(**{f"{field}_cy": F(field)}).values_list(field, flat=True) if v}
    return names


def pages(world: World) -> list[tuple[str, Row]]:
    """(role, row): each GET page row answering 200, as a visitor where public, else as the secretariat."""
    chosen = []
    for row in rows():
        if row.method != "GET" or row.view.startswith("api:") or row.label:
            continue
        if row.expect.get("anonymous") == 200:
            chosen.append(("anonymous", row))
        elif row.expect.get("secretariat") == 200:
            chosen.append(("secretariat", row))
    return chosen


@pytest.fixture
def welsh_world(access_world: World) -> World:
    from keycities.claims.services import evaluate_all

    evaluate_all()  # the claims' verdicts, summaries and working (access_table only loads the claims)
    return access_world


def render(client: Client, path: str) -> tuple[int, str, str]:
    response = client.get(path)
    kind = response.get("Content-Type", "")
    return response.status_code, kind, response.content.decode() if "html" in kind else ""


def test_no_english_is_left_on_welsh_pages(welsh_world: World) -> None:
    names = fixture_names()
    clients: dict[str, Any] = {"anonymous": Client()}
    clients["secretariat"] = Client()
    clients["secretariat"].force_login(welsh_world["users"]["secretariat"])
    report: dict[str, list[str]] = {}
    checked = 0
    for role, row in pages(welsh_world):
        path = url(row, welsh_world)
        status, _kind, english = render(clients[role], path)
        if status != 200 or not english:
            continue
        status, _, welsh = render(clients[role], "/cy" + path)
        translation.activate(settings.LANGUAGE_CODE)
        assert status == 200, f"/cy{path} as {role}: {status}"
        checked += 1
        left = english_left(text_nodes(english, "en"), text_nodes(welsh, "cy"), names)
        if left:
            report[f"/cy{path} ({role})"] = left
    assert checked >= 40
    assert report == {}, "\n".join(f"{page}:\n  " + "\n  ".join(map(repr, left)) for page, left in report.items())


def test_the_checker_finds_english_and_lets_names_and_marked_fallbacks_pass() -> None:
    english = '<html lang="en-GB"><body><h1>Consultations</h1><p>Swansea</p><p>E08000026</p><p>6,839,250</p></body>'
    welsh = ('<html lang="cy"><body><h1>Consultations</h1><p>Swansea</p><p>E08000026</p><p>6,839,250</p>'
             '<p><span lang="en-GB">Consultations</span></p><p>Key Cities</p></body>')  # fmt: skip
    nodes = text_nodes(welsh, "cy")
    assert "Consultations" in nodes and nodes.count("Consultations") == 1
    assert english_left(text_nodes(english, "en"), nodes, {"Swansea"}) == ["Consultations"]
    assert english_left(["Key Cities"], ["Key Cities"], set()) == []

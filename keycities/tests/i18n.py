"""Checks that every user-facing string in a template is marked for translation.

Django's `makemessages` finds only marked strings, so a string that was never marked is invisible to it.
This linter reads each template with Django's own lexer, keeps the text outside `{% translate %}`,
`{% blocktranslate %}` and `{% comment %}`, and reports any words left in the page text or in the
attributes people read (alt, title, aria-label, placeholder, a meta description, a button's value).

Text inside an element that carries its own `lang` attribute is deliberately in that language (the
language switcher's "Cymraeg") and is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# A placeholder for template variables and tags, so that "{{ n }} items" still shows "items".
HOLE = "\x00"
WORDS = re.compile(r"[^\W\d_]{2,}")
# Words that read the same in English and Welsh pages: file formats and the names of standards.
NEUTRAL = {"CSV", "JSON", "PDF", "DOCX", "ODT", "XLSX", "API", "SVG", "RSS", "Atom", "iCalendar", "OpenAPI", "GSS"}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


# Addresses, email addresses and handles read the same in every language.
ADDRESSES = re.compile(r"\S+@\S+|@\w+|(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}\S*")


def _needs_translation(text: str) -> bool:
    words = WORDS.findall(ADDRESSES.sub(" ", text.replace(HOLE, " ")))
    return any(w not in NEUTRAL for w in words)


class _Reader(HTMLParser):
    def __init__(self, path: Path, found: list[Unmarked]) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.found = path, found
        self.stack: list[tuple[str, bool]] = []  # (tag, text inside is in a fixed language or code)

    def _fixed(self) -> bool:
        return any(fixed for _, fixed in self.stack)

    def _report(self, text: str) -> None:
        if _needs_translation(text):
            self.found.append(Unmarked(self.path, self.getpos()[0], " ".join(text.replace(HOLE, "…").split())))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        fixed = "lang" in values or tag in {"script", "style", "code", "pre", "svg"}
        if not fixed and not self._fixed():
            for name, value in attrs:
                if value and (name in READ_ATTRIBUTES or (tag == "meta" and name == "content" and
                              values.get("name") == "description") or (tag == "input" and name == "value" and
                              values.get("type") in {"submit", "button"})):  # fmt: skip
                    self._report(value)
        if tag not in VOID:
            self.stack.append((tag, fixed))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._fixed():
            self._report(data)


def template_text(source: str) -> tuple[str, list[int]]:
    """The template's own text outside translation and comment tags, with a hole for each tag or variable."""
    out: list[str] = []
    depth_translate = depth_comment = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in {"blocktranslate", "blocktrans"}:
                depth_translate += 1
            elif name in {"endblocktranslate", "endblocktrans"}:
                depth_translate -= 1
            elif name == "comment":
                depth_comment += 1
            elif name == "endcomment":
                depth_comment -= 1
            out.append(HOLE)
        elif token.token_type == TokenType.TEXT and not depth_translate and not depth_comment:
            out.append(token.contents)
        elif token.token_type == TokenType.TEXT:
            out.append("\n" * token.contents.count("\n"))  # keep line numbers
        else:
            out.append(HOLE)
    return "".join(out), []


def unmarked_in(path: Path) -> list[Unmarked]:
    source = path.read_text(encoding="utf-8")
    text, _ = template_text(source)
    found: list[Unmarked] = []
    if path.suffix == ".html":
        reader = _Reader(path, found)
        reader.feed(text)
        reader.close()
    else:  # plain-text templates: emails and their subjects
        for number, line in enumerate(text.splitlines(), start=1):
            if _needs_translation(line):
                found.append(Unmarked(path, number, line.strip()))
    return found


def templates(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("**/templates/**/*") if p.suffix in {".html", ".txt"} and p.is_file())

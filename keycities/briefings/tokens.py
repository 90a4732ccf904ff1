"""Figure tokens in a pack's narrative: `{{indicator:subject:period}}`.

- indicator: an indicator's slug (`gva`, `population`, `employment-rate`…);
- subject: a group's slug (`key-cities`) or a member place's (`bradford`); prefix `group/` or `place/` where a
  slug names both;
- period: a year (`2022`) or `latest` (the newest year published, which moves when a new release comes).

`validate(text)` returns the tokens or raises `TokenError` listing every bad token with its line and column;
nothing is saved with an unknown or ambiguous token. `render(text, values)` puts each figure in with its
footnote number."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keycities.network.models import Group, Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import Store

from .figures import group_value, place_value

TOKEN = re.compile(r"\{\{([^{}]*)\}\}")


@dataclass(frozen=True)
class Token:
    raw: str
    start: int
    end: int
    indicator: str
    kind: str  # "group" or "place"
    subject: str
    period: int | None  # None: latest

    @property
    def key(self) -> str:
        return f"{self.indicator}:{self.kind}/{self.subject}:{self.period or 'latest'}"


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    token: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s, column %(column)s: %(token)s: %(message)s") % {
            "line": self.line, "column": self.column, "token": self.token, "message": self.message}  # fmt: skip


class TokenError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _slugs() -> tuple[set[str], set[str], set[str]]:
    """The slugs a token may name: groups, places, indicators."""
    return (set(Group.objects.values_list("slug", flat=True)), set(Place.objects.values_list("slug", flat=True)),
            {i.slug for i in observatory.indicators()})  # fmt: skip


def parse(text: str, store: Store | None = None) -> tuple[list[Token], list[Problem]]:
    """Every token with its meaning, and every problem with its position (nothing is read from the data). With a
    store, the slugs are read once for all the texts parsed with it."""
    groups, places, indicators = store.memo("token slugs", _slugs) if store else _slugs()
    tokens, problems = [], []
    for match in TOKEN.finditer(text):
        raw, line_col = match.group(0), _position(text, match.start())

        def refuse(message: str, raw: str = raw, at: tuple[int, int] = line_col) -> None:
            problems.append(Problem(at[0], at[1], raw, message))

        parts = [p.strip() for p in match.group(1).split(":")]
        if len(parts) != 3:
            refuse(_("write a figure as {{indicator:group or place:year}}, e.g. {{gva:key-cities:2022}}"))
            continue
        indicator, subject, period_text = parts
        if indicator not in indicators:
            refuse(_("there is no indicator “%(slug)s”") % {"slug": indicator})
            continue
        kind = ""
        if "/" in subject:
            kind, subject = subject.split("/", 1)
            if kind not in {"group", "place"}:
                refuse(_("start the subject with group/ or place/"))
                continue
        in_groups, in_places = subject in groups, subject in places
        if not kind:
            if in_groups and in_places:
                refuse(_("“%(slug)s” is both a group and a place: write group/%(slug)s or place/%(slug)s")
                       % {"slug": subject})  # fmt: skip
                continue
            kind = "group" if in_groups else "place" if in_places else ""
        if (kind == "group" and not in_groups) or (kind == "place" and not in_places) or not kind:
            refuse(_("there is no group or place “%(slug)s”") % {"slug": subject})
            continue
        if period_text == "latest":
            period = None
        elif period_text.isdigit() and len(period_text) == 4:
            period = int(period_text)
        else:
            refuse(_("give the year as four digits, or “latest”"))
            continue
        tokens.append(Token(raw, match.start(), match.end(), indicator, kind, subject, period))
    return tokens, problems


def resolve(token: Token, store: Store) -> dict[str, Any] | None:
    """The token's figure, read once per store and language (a pack names the same figure in many sections, and
    is built in English and Welsh)."""
    return store.memo(("token", token.key, get_language()), lambda: _resolve(token, store))


def _resolve(token: Token, store: Store) -> dict[str, Any] | None:
    ind = observatory.indicator(token.indicator)
    if ind is None:
        return None
    if token.kind == "group":
        return group_value(Group.objects.get(slug=token.subject), ind, token.period, store)
    return place_value(Place.objects.get(slug=token.subject), ind, token.period, store)


def validate(text: str, store: Store | None = None) -> dict[str, dict[str, Any]]:
    """The figure for every token in the text, by key; TokenError when any is unknown, ambiguous or has no
    figure."""
    store = store or Store()
    tokens, problems = parse(text, store)
    values: dict[str, dict[str, Any]] = {}
    for token in tokens:
        found = resolve(token, store)
        if found is None or found["value"] is None:
            line, column = _position(text, token.start)
            problems.append(Problem(line, column, token.raw, _("there is no figure for this year")))
            continue
        values[token.key] = found
    if problems:
        raise TokenError(sorted(problems, key=lambda p: (p.line, p.column)))
    return values


def render(text: str, values: dict[str, dict[str, Any]], note: Callable[[dict[str, Any]], int],
           store: Store | None = None) -> str:  # fmt: skip
    """The text with each token replaced by its figure and footnote marker, e.g. "£30,469m [1]"; `note` numbers
    the figure among the pack's footnotes. A token without a value is left as written."""
    tokens, _problems = parse(text, store)
    out, at = [], 0
    for token in tokens:
        found = values.get(token.key)
        if found is None:
            continue
        out += [text[at : token.start], f"{found['text']} [{note(found)}]"]
        at = token.end
    return "".join(out) + text[at:]

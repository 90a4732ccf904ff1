"""Plain functions from consultations to what pages show; no database."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import POSITIONS

STAGE_TAGS = {
    "watching": "govuk-tag--grey",
    "drafting": "govuk-tag--light-blue",
    "member-review": "govuk-tag--yellow",
    "signed-off": "govuk-tag--purple",
    "submitted": "govuk-tag--green",
    "government-response": "govuk-tag--green",
}
DECISION_TAGS = {"endorse": "govuk-tag--green", "endorse-with-comments": "govuk-tag--turquoise",
                 "abstain": "govuk-tag--grey", "object": "govuk-tag--red"}  # fmt: skip
ASK_TAGS = {"no-reply": "govuk-tag--grey", "acknowledged": "govuk-tag--blue", "accepted": "govuk-tag--green",
            "partly-accepted": "govuk-tag--turquoise", "rejected": "govuk-tag--red",
            "implemented": "govuk-tag--purple"}  # fmt: skip


def days_left(closes_on: dt.date, today: dt.date) -> int:
    return (closes_on - today).days


def days_left_text(closes_on: dt.date, today: dt.date) -> str:
    n = days_left(closes_on, today)
    if n < 0:
        return _("Closed")
    if n == 0:
        return _("Closes today")
    return ngettext("%(count)s day left", "%(count)s days left", n) % {"count": n}


def urgency_tag(closes_on: dt.date, today: dt.date) -> str:
    n = days_left(closes_on, today)
    return "govuk-tag--red" if n <= 7 else "govuk-tag--orange" if n <= 14 else "govuk-tag--grey"


# --------------------------------------------------------------------------- comparing versions


TOKENS = re.compile(r"\S+\s*|\s+")  # a word with the space after it


@dataclass
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass
class SectionDiff:
    number: int
    question: str
    state: str  # "added", "removed", "changed" or "unchanged"
    question_segments: list[Segment] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.state != "unchanged"

    @property
    def inserted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == "insert")

    @property
    def deleted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == "delete")


def diff_words(old: str, new: str) -> list[Segment]:
    """A word-by-word diff: what stayed, what was deleted and what was inserted, in reading order."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    segments: list[Segment] = []

    def add(op: str, parts: Sequence[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[SectionDiff]:
    """Question-by-question differences between two versions' contents (in the newer order;
    questions taken out are shown where they were)."""
    old_by = {s["section"]: s for s in old}
    new_ids = [s["section"] for s in new]
    order: list[Any] = list(new_ids)
    for i, s in enumerate(old):
        if s["section"] not in new_ids:
            before = [x["section"] for x in old[:i] if x["section"] in order]
            order.insert(order.index(before[-1]) + 1 if before else 0, s["section"])
    new_by = {s["section"]: s for s in new}
    result = []
    for number, sid in enumerate(order, start=1):
        a, b = old_by.get(sid), new_by.get(sid)
        if a is None:
            assert b is not None
            result.append(SectionDiff(number, b["question"], "added", [Segment("insert", b["question"])],
                                      diff_words("", b["answer"])))  # fmt: skip
        elif b is None:
            result.append(SectionDiff(number, a["question"], "removed", [Segment("delete", a["question"])],
                                      diff_words(a["answer"], "")))  # fmt: skip
        else:
            same = a["question"] == b["question"] and a["answer"] == b["answer"]
            result.append(SectionDiff(number, b["question"], "unchanged" if same else "changed",
                                      diff_words(a["question"], b["question"]),
                                      diff_words(a["answer"], b["answer"])))  # fmt: skip
    return result


def diff_summary(diffs: list[SectionDiff]) -> str:
    changed = [d for d in diffs if d.changed]
    if not changed:
        return _("The two versions are the same.")
    phrases = {
        "changed": lambda n: ngettext("%(count)s question changed", "%(count)s questions changed", n),
        "added": lambda n: ngettext("%(count)s question added", "%(count)s questions added", n),
        "removed": lambda n: ngettext("%(count)s question removed", "%(count)s questions removed", n),
    }
    parts = []
    for state, phrase in phrases.items():
        n = sum(1 for d in changed if d.state == state)
        if n:
            parts.append(phrase(n) % {"count": n})
    return ", ".join(parts).capitalize() + "."


def person(user: Any) -> str:
    if user is None:
        return _("the Hub")
    name = user.display_name
    place = getattr(user, "place", None)
    return f"{name} ({place.name})" if place else name


# --------------------------------------------------------------------------- member places' positions


def names(places: Sequence[str]) -> str:
    """'Hull', 'Hull and Kirklees', 'Derby, Hull and Kirklees'."""
    places = [str(p) for p in places]
    if len(places) <= 1:
        return "".join(places)
    return _("%(places)s and %(last)s") % {"places": ", ".join(places[:-1]), "last": places[-1]}


def position_rows(positions: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(label, place names) for each position some member place took, in a fixed order."""
    return [(str(label), names) for key, label in POSITIONS.items() if (names := positions.get(key))]


def positions_summary(positions: dict[str, list[str]]) -> str:
    """'12 endorsed, 2 endorsed with comments, 1 objected, 9 did not respond' (empty groups left out)."""
    parts = [f"{len(names)} {str(label).lower()}" for label, names in position_rows(positions)]
    return ", ".join(parts) or str(_("no member places"))


def agreement_statement(positions: dict[str, list[str]]) -> str:
    """One sentence on whether the members agreed, that never says 'agreed' when they did not."""
    total = sum(len(v) for v in positions.values())
    endorsing = len(positions.get("endorsed", [])) + len(positions.get("endorsed_with_comments", []))
    objected = positions.get("objected", [])
    counts = {"endorsing": endorsing, "total": total, "objected": names(objected)}
    if not total:
        return str(_("No member places' positions were recorded for this response."))
    if objected:
        return ngettext("%(endorsing)s of %(total)s member place endorsed this response; %(objected)s objected to it.",
                        "%(endorsing)s of %(total)s member places endorsed this response; %(objected)s objected to "
                        "it.", total) % counts  # fmt: skip
    if endorsing == total:
        return ngettext("The %(total)s member place endorsed this response.",
                        "All %(total)s member places endorsed this response.", total) % counts  # fmt: skip
    return ngettext("%(endorsing)s of %(total)s member place endorsed this response; none objected.",
                    "%(endorsing)s of %(total)s member places endorsed this response; none objected.",
                    total) % counts  # fmt: skip


@dataclass(frozen=True)
class PublishedSection:
    """One question and answer of a published response, with its Welsh where the Welsh version gives it (for the
    `bi` filters: the Welsh on Welsh pages, else the English marked as English)."""

    question: str
    answer: str
    notes: list[int]
    question_cy: str = ""
    answer_cy: str = ""

    @property
    def answer_fallback(self) -> bool:
        from keycities.core.bilingual import localised

        return localised(self, "answer").fallback


def with_welsh(sections: Sequence[dict[str, Any]], welsh: dict[str, dict[str, str]]) -> list[PublishedSection]:
    out = []
    for s in sections:
        given = welsh.get(str(s.get("section")), {})
        out.append(PublishedSection(
            question=s["question"], answer=s["answer"], notes=list(s.get("notes", [])),
            question_cy=given.get("question", ""), answer_cy=given.get("answer", "")))  # fmt: skip
    return out

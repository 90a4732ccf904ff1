"""What pages, files and the API show of packs; plain functions, tested without a database."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from keycities.core.charts import format_value


def _said(fact: dict[str, Any]) -> str:
    if fact.get("kind") == "figure":
        return f"{fact['text']} ({fact.get('period')})"
    if fact.get("kind") == "claim":
        return _("holds") if fact.get("verdict") == "holds" else str(fact.get("verdict"))
    return str(fact.get("text", ""))


def _state(fact: dict[str, Any]) -> Any:
    """What counts as a change: a figure's value, period or release; a claim's verdict; an ask's status."""
    kind = fact.get("kind")
    if kind == "figure":
        return (fact.get("value"), fact.get("period"), (fact.get("release") or {}).get("id"))
    if kind == "claim":
        return fact.get("verdict")
    return fact.get("status")


def changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What changed between two issues' facts: figures (value, year or release), claims' verdicts (a claim that
    no longer holds leaves "Key Cities in numbers"), asks' status; added and removed facts."""
    before = {f["key"]: f for f in old}
    after = {f["key"]: f for f in new}
    out = []
    for key, fact in after.items():
        was = before.get(key)
        if was is None:
            out.append({"key": key, "label": fact.get("label", key), "change": "added", "old": "",
                        "new": _said(fact)})  # fmt: skip
        elif _state(was) != _state(fact):
            out.append({"key": key, "label": fact.get("label", key), "change": "changed", "old": _said(was),
                        "new": _said(fact)})  # fmt: skip
    for key, was in before.items():
        if key not in after:
            out.append({"key": key, "label": was.get("label", key), "change": "removed", "old": _said(was),
                        "new": ""})  # fmt: skip
    return out


def change_sentence(change: dict[str, Any]) -> str:
    if change["change"] == "added":
        return _("%(label)s: new in this pack, %(new)s") % change
    if change["change"] == "removed":
        return _("%(label)s: no longer in this pack (was %(old)s)") % change
    return _("%(label)s: %(old)s, now %(new)s") % change


def stale(saved: dict[str, Any], current: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """The tokens whose figure has changed since the section was saved: the value, the year or the release."""
    out = []
    for key, was in saved.items():
        now = current.get(key)
        if now is None:
            out.append({"key": key, "was": str(was.get("text")), "now": _("no figure")})
        elif (now.get("value"), now.get("period"), (now.get("release") or {}).get("id")) != (
            was.get("value"),
            was.get("period"),
            (was.get("release") or {}).get("id"),
        ):
            out.append({"key": key, "was": f"{was.get('text')} ({was.get('period')})",
                        "now": f"{now.get('text')} ({now.get('period')})"})  # fmt: skip
    return out


def figure_rows(facts: list[dict[str, Any]]) -> list[list[Any]]:
    """A pack's figures as CSV rows (figures and claims; asks have no value)."""
    rows = []
    for f in facts:
        if f.get("kind") not in {"figure", "claim"}:
            continue
        r = f.get("release") or {}
        value = f.get("value")
        rows.append([f["key"], f.get("label", ""), f.get("indicator", ""), f.get("subject", ""), f.get("period"),
                     value, format_value(value, f["unit"]) if f.get("unit") else f.get("text", ""),
                     f.get("verdict", ""), r.get("id", ""), r.get("publisher", ""), r.get("dataset", ""),
                     r.get("release_date", ""), r.get("licence", "")])  # fmt: skip
    return rows


FIGURE_HEADER = ["key", "label", "indicator", "subject", "period", "value", "shown_as", "verdict", "release_id",
                 "publisher", "dataset", "release_date", "licence"]  # fmt: skip


NUMBER = re.compile(r"(£?)(\d[\d,]*(?:\.\d+)?)\s*(bn|billion|million|m\b|k\b|%)?", re.IGNORECASE)
SCALE = {"bn": 1e9, "billion": 1e9, "million": 1e6, "m": 1e6, "k": 1e3}
UNIT_SCALE = {"£m": 1e6}


def typed_numbers(text: str) -> list[tuple[str, float]]:
    """The numbers typed in a text, as written and as a plain value ("£135bn" -> 135e9); tokens are skipped."""
    from .tokens import TOKEN

    plain = TOKEN.sub(" ", text)
    out = []
    for match in NUMBER.finditer(plain):
        digits = match.group(2).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        out.append((match.group(0).strip(), value * SCALE.get((match.group(3) or "").lower(), 1)))
    return out


def token_suggestions(text: str, candidates: list[dict[str, Any]], tolerance: float = 0.005) -> list[dict[str, str]]:
    """Typed numbers that match a published claim's number (within half a per cent), each with the token that
    would put the live figure in instead. `candidates`: {"label", "token", "value", "unit"}."""
    out = []
    for raw, value in typed_numbers(text):
        for c in candidates:
            target = c["value"] * UNIT_SCALE.get(c["unit"], 1)
            if target and abs(value - target) <= tolerance * abs(target):
                out.append({"typed": raw, "label": c["label"], "token": c["token"]})
    return out

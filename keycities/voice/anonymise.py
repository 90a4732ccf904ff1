"""Quotes without the people in them: email addresses, telephone numbers and names are replaced before a free-text
answer is shown as a quote (`keycities/voice/tests/test_anonymise.py`).

Names are found by what usually comes with them: a title (Mr, Mrs, Ms, Miss, Dr, Cllr, Councillor), a phrase
that introduces one ("my name is", "I'm", "signed", "ask for", "my neighbour", …), and any run of two or more
capitalised words inside a sentence that is not a known place or organisation word. This removes some proper
nouns that are not names (a shop's name), which is the safe side to err on.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# UK numbers: +44 or 0, then 9-10 digits with spaces, dots, hyphens or brackets between groups.
PHONE = re.compile(r"(?:\+44\s?\(?0?\)?|\(?0)(?:[\s().-]*\d){9,10}\b")
URL = re.compile(r"https?://\S+")
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Cllr|Councillor|Sir|Dame|Father|Rev)\.?"
NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
TITLED = re.compile(rf"\b{TITLE}\s+(?:{NAME_WORD}\s+)*{NAME_WORD}")
CUES = re.compile(
    r"(?i:\b(?:my name is|my name's|i am|i'm|this is|signed|regards|thanks|cheers|from|ask for|speak to|"
    r"talk to|call|my (?:neighbour|husband|wife|partner|son|daughter|mum|dad|friend|carer)|"
    r"fy enw i yw|fy enw yw|gan))[\s,:]+(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r")*)"
)
RUN = re.compile(rf"(?<![.!?]\s)(?<!^)\b{NAME_WORD}(?:\s+{NAME_WORD})+")
KEEP = {
    # Places, bodies and words that are capitalised without being anyone's name.
    "Key",
    "Cities",
    "City",
    "Council",
    "Town",
    "Centre",
    "High",
    "Street",
    "Road",
    "Park",
    "Station",
    "Bus",
    "NHS",
    "GP",
    "A&E",
    "Wales",
    "England",
    "UK",
    "Britain",
    "Welsh",
    "English",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Christmas",
    "Covid",
    "I",
}
PLACEHOLDER = {"email": "[email removed]", "phone": "[phone number removed]", "name": "[name removed]"}


def _names(match: re.Match[str]) -> str:
    return PLACEHOLDER["name"]


def _cue(match: re.Match[str]) -> str:
    words = match.group(1).split()
    if all(w in KEEP for w in words) or (words and words[0] in {"I", "The", "A", "An"}):
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + PLACEHOLDER["name"]


def _run(match: re.Match[str]) -> str:
    words = match.group(0).split()
    if any(w in KEEP for w in words):
        return match.group(0)
    return PLACEHOLDER["name"]


def anonymise(text: str, *, known_places: set[str] | frozenset[str] = frozenset()) -> str:
    """The text with emails, phone numbers and names replaced."""
    out = EMAIL.sub(PLACEHOLDER["email"], text)
    out = URL.sub("[link removed]", out)
    out = PHONE.sub(PLACEHOLDER["phone"], out)
    out = TITLED.sub(_names, out)
    out = CUES.sub(_cue, out)

    def run(match: re.Match[str]) -> str:
        if match.group(0) in known_places:
            return match.group(0)
        return _run(match)

    return RUN.sub(run, out)

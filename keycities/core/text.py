"""Text as people type and paste it, made safe to store, email and export.

- `one_line`: a title or name: any run of whitespace or control characters (a CR/LF pasted
  into a title, a tab) becomes one space. Email subjects and headers must be one line.
- `clean_text`: a paragraph or more: line ends become "\\n", a vertical tab or form feed
  (Word's soft line and page breaks) a new line, and other control characters are dropped.
- `xml_safe`: removes what XML 1.0 cannot hold (C0 controls but tab and newlines, lone
  surrogates, U+FFFE/U+FFFF), so that DOCX and PDF exports never fail on stored text.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL_OR_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\x0b|\x0c|\x85|\u2028|\u2029")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    return _CONTROL_OR_SPACE.sub(" ", text).strip()


def clean_text(text: str) -> str:
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text)).strip()


def xml_safe(value: Any) -> Any:
    """`value` with every string in it (in dicts, lists and tuples too) made XML-safe."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(v) for v in value)
    return value


def whole_number(value: object) -> int | None:
    """A whole number posted or typed ("12"), or None. ASCII digits only: str.isdigit() also accepts "²" and "٣",
    which int() refuses or reads, and at most 18 of them, which every database integer column holds."""
    text = str(value if value is not None else "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None

"""Form fields that clean what people type or paste (see core.text)."""

from __future__ import annotations

from typing import Any

from django import forms

from .text import clean_text, one_line


class LineField(forms.CharField):
    """A single line (a title, a name): line breaks, tabs and control characters become one space."""

    def to_python(self, value: Any) -> str:
        return one_line(super().to_python(value) or "")


class TextField(forms.CharField):
    """Several lines (a summary, an answer): "\\n" line ends, no control characters."""

    def __init__(self, *, rows: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value) or "")

"""Form fields that clean what people type or paste (see core.text)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext

from .text import clean_text, one_line


def _too_long(label: Any, limit: int) -> str:
    """GOV.UK's message for text over its limit, naming the field: "Title must be 150 characters or fewer"."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", str(label or gettext("This answer")))  # "Organisation (optional)"
    return gettext("%(name)s must be %(limit)s characters or fewer") % {"name": name, "limit": f"{limit:,}"}


class _Limited(forms.CharField):
    """A text field whose limit is in the page (`maxlength`) and whose message over it names the field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.max_length is not None and "max_length" not in (kwargs.get("error_messages") or {}):
            self.error_messages["max_length"] = lazy(_too_long, str)(self.label, self.max_length)


class LineField(_Limited):
    """A single line (a title, a name): line breaks, tabs and control characters become one space."""

    def to_python(self, value: Any) -> str:
        return one_line(super().to_python(value) or "")


class TextField(_Limited):
    """Several lines (a summary, an answer): "\\n" line ends, no control characters."""

    def __init__(self, *, rows: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value) or "")

"""`{% load places %}`: member places' names stored as text (a claim's working) in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.core.bilingual import is_welsh
from keycities.network.queries import welsh_place_names

register = template.Library()


@register.filter
def place_name(value: Any) -> Any:
    """A place's English name, or a list of them, as stored: on a Welsh page each Welsh place's Welsh name
    (Newport → Casnewydd); other names, and every name on an English page, as written."""
    if not is_welsh():
        return value
    welsh = welsh_place_names()
    if isinstance(value, list | tuple):
        return [welsh.get(str(v), v) for v in value]
    return welsh.get(str(value), value)

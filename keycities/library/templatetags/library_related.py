"""`{% related_items "claim" claim.pk %}`: public entries like this one (the sentence-embedding model's cosine
over candidates that share words of its title), for a claim's or a response's page without that app importing
the library's internals."""

from __future__ import annotations

from typing import Any

from django import template

from keycities.library import search
from keycities.library.sources import with_welsh

register = template.Library()


@register.inclusion_tag("library/related.html")
def related_items(source: str, key: Any) -> dict[str, Any]:
    related = search.related(source, str(key))
    with_welsh(related)  # their Welsh titles on a Welsh page
    return {"related": related}


@register.filter
def localised(url: str) -> str:
    """An indexed address in the page's language (/cy/… on a Welsh page)."""
    from keycities.library.index import localise

    return localise(url)

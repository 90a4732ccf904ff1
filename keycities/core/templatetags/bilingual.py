from typing import Any

from django import template

from keycities.core.bilingual import Localised, localised

register = template.Library()


@register.filter
def bi(obj: Any, field: str) -> Localised:
    """`{{ obj|bi:"name" }}`: the field in the page's language, English marked where Welsh is missing."""
    return localised(obj, field)


@register.filter
def bi_fallback(obj: Any, field: str) -> bool:
    """True on a Welsh page where the field has no Welsh text yet (show a notice on long text)."""
    return localised(obj, field).fallback


@register.filter
def bi_lang(obj: Any, field: str) -> str:
    """The HTML language of the text `bi` shows, for a `lang` attribute on the element around it."""
    return localised(obj, field).lang

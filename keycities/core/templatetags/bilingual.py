from typing import Any

from django import template
from django.utils.safestring import SafeString

from keycities.core.bilingual import Localised, area_name, gss_name, localised, official_name

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


@register.filter
def bi_html(obj: Any, field: str) -> SafeString:
    """`{{ obj|bi_html:"name" }}`: as `bi`, with English on a Welsh page marked up as English
    (`<span lang="en-GB" class="kc-fallback">`). `{{ obj|bi:"name" }}` loses that markup: Django turns a value
    that is not a string into `str` before escaping it, so `Localised.__html__` is never called."""
    return localised(obj, field).__html__()


@register.filter
def official(name: str) -> str:
    """`{{ release.publisher|official }}`: a publisher's or licence's name in the page's language (the
    Office for National Statistics is y Swyddfa Ystadegau Gwladol on a Welsh page)."""
    return official_name(str(name))


@register.filter
def area(name: str) -> str:
    """`{{ place.region_name|area }}`: a nation's or English region's name in the page's language
    (the North West is Gogledd Orllewin Lloegr on a Welsh page); other names as written."""
    return area_name(str(name))


@register.filter
def gss(name: str, code: str) -> str:
    """`{{ row.name|gss:row.code }}`: a Welsh ward's, constituency's or local authority's official Welsh name on a
    Welsh page (Casnewydd for W06000022); any other name as written."""
    return gss_name(str(name), str(code or ""))

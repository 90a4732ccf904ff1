import datetime as dt

from django import template
from django.utils.formats import date_format

from keycities.core import pdf
from keycities.core.charts import MINUS, format_value

register = template.Library()


@register.filter
def fmt(value: float | None, unit: str) -> str:
    """A value in its unit, UK style: {{ value|fmt:indicator.unit }}."""
    return format_value(value, unit)


@register.filter
def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


@register.filter
def signed(value: float | None, unit: str) -> str:
    """A change with its sign: +1,234 or −0.4%; one that rounds to nothing has none (never "−£0")."""
    if value is None:
        return "–"
    text = format_value(abs(value), unit)
    if not any(c in "123456789" for c in text):
        return text
    return ("+" if value > 0 else MINUS) + text


@register.filter
def svg_data_uri(svg: str) -> str:
    """A chart's SVG as a data: URL, for a PDF's <img> that carries the chart's alternative text in `alt`."""
    return pdf.svg_data_uri(svg)


@register.filter
def day(value: dt.date | str | None) -> str:
    """A date (or a date kept as ISO text, as frozen records keep it) written for the page's language:
    "30 June 2018", "30 Mehefin 2018"."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            on = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
        return str(date_format(on, "j F Y"))
    return str(date_format(value, "j F Y"))

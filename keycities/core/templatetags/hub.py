from django import template

from keycities.core.charts import format_value

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
    """A change with its sign: +1,234 or −0.4%."""
    if value is None:
        return "–"
    text = format_value(abs(value), unit)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text

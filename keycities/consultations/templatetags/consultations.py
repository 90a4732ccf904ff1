from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """{{ tags|get_item:status }}: a value from a dict by a variable key."""
    return mapping.get(key, "")

from django.http import HttpRequest

from .policy import is_secretariat


def roles(request: HttpRequest) -> dict[str, object]:
    """What the layout needs to know about the signed-in user."""
    return {"is_secretariat": is_secretariat(request.user)}

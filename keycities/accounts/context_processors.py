from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .policy import is_secretariat


def roles(request: HttpRequest) -> dict[str, object]:
    """What the layout needs to know about the signed-in user."""
    # An error page can be drawn before the authentication middleware has run (a disallowed Host).
    return {"is_secretariat": is_secretariat(getattr(request, "user", AnonymousUser()))}

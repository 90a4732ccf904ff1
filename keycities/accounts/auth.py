"""API authentication: a bearer token (accounts.ApiToken), or the signed-in session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from .models import ApiToken

        found = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token),
                                                               user__is_active=True).first()  # fmt: skip
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


API_AUTH = [TokenAuth(), SessionAuth()]

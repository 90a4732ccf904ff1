"""Limits on failed sign-ins, on django-axes' database handler.

django-axes records every failure (username, client address, time). With one limit for every
lockout parameter, it can lock a username or an address, but not both at different thresholds,
and not the whole sign-in: 4 guesses at each of 20 usernames from one address never reach a
per-(username, address) limit of 5. The Hub counts, over the cool-off window (AXES_COOLOFF_TIME):

- the username's failures, from any address: locked at AXES_FAILURE_LIMIT (5);
- the address's failures, across usernames: locked at SIGNIN_ADDRESS_FAILURE_LIMIT (20), which is
  higher because a council office signs in from one address;
- everyone's failures: at SIGNIN_GLOBAL_FAILURE_LIMIT (100) sign-in pauses for everyone until the
  window has passed (guessing spread over many addresses and usernames).

A successful sign-in clears the failures of that username from that address only (the person's own
typing mistakes): an attacker with an account of their own cannot wipe their address's record of
guesses at other usernames by signing in as themselves between guesses, and someone signing in does
not wipe the guesses others made at their username from elsewhere.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


def _address(request: Any) -> str | None:
    """The request's client address as django-axes recorded it, if it is an address at all (a sign-in made by
    code, such as a test client's force_login, has none: "unknown", which PostgreSQL's inet type refuses)."""
    address = getattr(request, "axes_ip_address", None)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


class SignInLimits(AxesDatabaseHandler):
    def counts(self, request: Any, credentials: dict[str, Any] | None = None) -> tuple[int, int, int]:
        """(this username's, this address's, everyone's) failures within the cool-off window."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        address = _address(request)
        return (_failures(recent.filter(username=username)) if username else 0,
                _failures(recent.filter(ip_address=address)) if address else 0,
                _failures(recent))  # fmt: skip

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The username's failures, or the username limit itself once the address or everyone is over theirs
        (django-axes locks when this reaches AXES_FAILURE_LIMIT)."""
        by_username, by_address, everyone = self.counts(request, credentials)
        if by_address >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT or everyone >= settings.SIGNIN_GLOBAL_FAILURE_LIMIT:
            return max(by_username, get_failure_limit(request, credentials))
        return by_username

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        mine = AccessAttempt.objects.filter(username=username, ip_address=_address(request))
        count, _ = mine.delete()
        return int(count)

"""Rate limits, and the client address they key on.

`allow` is a fixed-window counter in the configured cache (local memory by default, Redis when
REDIS_URL is set, shared by every worker).

`client_address` is the address of the person at the other end. Behind the documented proxy,
REMOTE_ADDR is the proxy's own address, the same for everyone: a limit keyed on it would stop
everyone at once, or nobody. Each proxy that TRUSTED_PROXY_COUNT says is ours appends the address it
received the request from to X-Forwarded-For, so the client is the entry that many places from the
right; entries further left were written by the client and are not believed.
`TrustedProxyMiddleware` puts that address in REMOTE_ADDR before anything else reads it (the rate
limits, django-axes, django-auditlog) and removes X-Forwarded-For, so that no library can be fooled
by a header the client wrote.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The client's address, given the proxies in front of the Hub that append to X-Forwarded-For."""
    if trusted_proxies <= 0 or not forwarded_for.strip():
        return remote_addr
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    # With fewer entries than proxies the request skipped one of them: the leftmost was still written by ours.
    candidate = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate.strip("[]")))
    except ValueError:
        return remote_addr


def client_ip(request: HttpRequest) -> str:
    """The client's address (TrustedProxyMiddleware has already resolved it); django-axes calls this too."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit for (scope, key) in the current window; False once over `limit`."""
    bucket = f"ratelimit:{scope}:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return True
    return count <= limit


def email_key(email: str) -> str:
    """How a rate limit names an email address: its hash, so that the cache never holds the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def forget(scope: str, key: str, *, window: int) -> None:
    """Drop the current window's count for (scope, key): used when the key is personal data being erased."""
    cache.delete(f"ratelimit:{scope}:{key}:{int(time.time() // window)}")


def trusted_proxy_count() -> int:
    return int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))

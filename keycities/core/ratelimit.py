"""A fixed-window rate limit in the configured cache (local memory by default,
Redis when REDIS_URL is set, shared by every worker)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR is the proxy's address behind a proxy; BEHIND_PROXY deployments set it from
    # X-Forwarded-For in the proxy itself (see README), so it is the only trusted source here.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


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

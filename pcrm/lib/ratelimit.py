"""Fixed-window rate limits kept in the cache (Redis in production: atomic counters)."""

import time

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key``; ``False`` once more than ``limit`` fell in this window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return limit >= 1
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return True

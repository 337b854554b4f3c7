"""Fixed-window rate limits kept in the cache (Redis in production: atomic counters)."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key``; ``False`` once more than ``limit`` fell in this window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    try:
        if cache.add(bucket, 1, timeout=window + 1):
            return limit >= 1
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr
        return True
    except Exception:  # a cache outage must not stop citizens filing complaints
        logger.warning("rate-limit cache unavailable; allowing %s", key)
        return True

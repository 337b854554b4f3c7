"""Fixed-window rate limits kept in the cache (Redis in production: atomic counters)."""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _hit(bucket: str, window: int) -> int:
    """Count one hit in ``bucket``; returns the count so far in this window."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # one round trip: create the counter with its expiry if new, then increment
        key = cache.make_and_validate_key(bucket)
        pipe = cache._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.set(key, 0, ex=window + 1, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]
    if cache.add(bucket, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        return 1


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key``; ``False`` once more than ``limit`` fell in this window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    try:
        return _hit(bucket, window) <= limit
    except Exception:  # a cache outage must not stop citizens filing complaints
        logger.warning("rate-limit cache unavailable; allowing %s", key)
        return True

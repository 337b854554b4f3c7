"""The rate limiter counts in one Redis round trip, expires its windows, and works on
the embedded default's in-memory cache too."""

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings

from pcrm.lib.ratelimit import allow


def _hits(n, **kwargs):
    return [allow("test:1.2.3.4", limit=3, window=60, **kwargs) for _ in range(n)]


def test_redis_counts_and_sets_an_expiry():
    with time_machine.travel(1_800_000_000, tick=False):
        assert _hits(5) == [True, True, True, False, False]
        cache = caches["default"]
        key = cache.make_and_validate_key(f"ratelimit:test:1.2.3.4:{1_800_000_000 // 60}")
        ttl = cache._cache.get_client(key).ttl(key)
        assert 0 < ttl <= 61
    with time_machine.travel(1_800_000_000 + 60, tick=False):  # the next window
        assert _hits(1) == [True]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_the_in_memory_cache_counts_too():
    with time_machine.travel(1_800_000_000, tick=False):
        assert _hits(4) == [True, True, True, False]


@pytest.mark.parametrize("limit", [0, 1])
def test_the_limit_is_inclusive(limit):
    assert allow(f"test:limit:{limit}", limit=limit, window=60) is (limit >= 1)

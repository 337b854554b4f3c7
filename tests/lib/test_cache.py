"""The Redis cache backend keeps one client per connection pool and still behaves as
Django's cache against the real Redis."""

from django.core.cache import caches

from pcrm.lib.cache import RedisCache


def test_the_configured_cache_reuses_its_client_and_works():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.set("cache-test", {"a": 1}, 30)
    assert cache.get("cache-test") == {"a": 1}
    assert cache.add("cache-test-counter", 1, 30) and cache.incr("cache-test-counter") == 2
    assert cache.delete("cache-test") and cache.get("cache-test") is None

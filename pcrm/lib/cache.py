"""Django's Redis cache, made to survive Redis going away.

The cache holds nothing that cannot be rebuilt (sessions live in the database), so an
outage must cost a request at most a short wait, never an error page:

- every connection has short socket timeouts (``socket_connect_timeout`` and
  ``socket_timeout``, one second unless the settings' OPTIONS say otherwise), so a
  paused Redis holds a request about a second, not until the kernel gives up;
- a call that fails answers as a miss would (``get`` its default, ``add`` ``False``)
  and marks the cache down for ``RETRY_AFTER`` seconds (5), during which every call
  answers at once without trying; ``available()`` tells callers that must not trust
  a miss (``pcrm.lib.refdata``) which it was.

Django's backend also builds a new ``redis.Redis`` object for every cache call, which
copies redis-py's table of response callbacks (about 170 entries); the client object
holds no connection of its own (the pool does), so one per pool serves every thread.
"""

import logging
import time
from functools import partial

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        options = params["OPTIONS"]
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._class = _ReusingClient
        self._down_until = float("-inf")

    def available(self) -> bool:
        """``False`` while a recent failure holds every call back."""
        return time.monotonic() >= self._down_until

    def guarded(self, call, default):
        """``call()``, or ``default`` when Redis is down or fails now (then marked down)."""
        if not self.available():
            return default
        try:
            return call()
        except OUTAGE as exc:
            self._down_until = time.monotonic() + self.retry_after
            logger.warning(
                "cache unavailable for %ss: %s: %s", self.retry_after, type(exc).__name__, exc
            )
            return default

    def get(self, key, default=None, version=None):
        return self.guarded(partial(super().get, key, default, version), default)

    def get_many(self, keys, version=None):
        return self.guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self.guarded(partial(super().has_key, key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(partial(super().add, key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.guarded(partial(super().set, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(partial(super().set_many, data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self.guarded(partial(super().delete, key, version), False)

    def delete_many(self, keys, version=None):
        self.guarded(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self.guarded(super().clear, False)


def available(alias: str = "default") -> bool:
    """Whether the cache answered its last call (a local cache always does)."""
    cache = caches[alias]
    return cache.available() if isinstance(cache, RedisCache) else True

"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a new ``redis.Redis`` object for every cache call, and building
one copies redis-py's table of response callbacks (about 170 entries): a noticeable part
of a request that only checks a rate limit and reads one cached value. The client object
holds no connection of its own (the pool does), so one per pool serves every thread."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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
        super().__init__(server, params)
        self._class = _ReusingClient

"""Fixed-window rate limits kept in the cache (Redis in production: atomic counters).

While Redis is down every process counts on its own (a local memory cache), so a flood
is still held back, each process allowing the limit: citizens keep filing, an attacker
gains at most the number of processes."""

import contextlib
import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import Http404
from django.shortcuts import render

from pcrm.lib.cache import RedisCache
from pcrm.lib.net import client_ip

logger = logging.getLogger(__name__)
_local = LocMemCache("pcrm-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _count(cache, bucket: str, window: int) -> int:
    if cache.add(bucket, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        return 1


def _hit(bucket: str, window: int) -> int:
    """Count one hit in ``bucket``; returns the count so far in this window."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return _count(cache, bucket, window)

    def shared():
        # one round trip: create the counter with its expiry if new, then increment
        key = cache.make_and_validate_key(bucket)
        pipe = cache._cache.get_client(key, write=True).pipeline(transaction=False)
        pipe.set(key, 0, ex=window + 1, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]

    count = cache.guarded(shared, None)
    return _count(_local, bucket, window) if count is None else count


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one hit for ``key``; ``False`` once more than ``limit`` fell in this window."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    return _hit(bucket, window) <= limit


def forgive(key: str, *, window: int) -> None:
    """Take back one hit of ``key`` in this window: an attempt that turned out not to
    count (a form sent back for correction). Counting first and taking back keeps the
    limit exact under concurrent requests."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    cache = caches["default"]

    def take_back(store):
        with contextlib.suppress(ValueError):  # gone (the window turned)
            store.decr(bucket)

    if isinstance(cache, RedisCache):
        if cache.guarded(lambda: take_back(cache) or True, None) is None:
            take_back(_local)
    else:
        take_back(cache)


def exceeded(key: str, *, limit: int, window: int) -> bool:
    """Whether ``key`` already has more than ``limit`` hits in this window (counts none)."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    cache = caches["default"]
    if isinstance(cache, RedisCache) and cache.available():
        count = cache.get(bucket)
    else:
        count = _local.get(bucket) if isinstance(cache, RedisCache) else cache.get(bucket)
    return (count or 0) > limit


def too_many(request, template: str, context: dict):
    """The form's page again, saying the limit was reached (429, with Retry-After)."""
    context["rate_limited"] = True
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(settings.RATE_LIMIT_WINDOW)
    return response


def limit_secret_guesses(view):
    """For pages reached by a secret in the address (tracking links, receipts, survey
    invitations, unsubscribe links): an address whose guesses missed more than
    ``TRACKING_RATE_LIMIT`` times in the window gets 429 for every such page, the right
    ones included, so that the answer tells a guesser nothing. A miss is a 404 or 410."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        key = f"secret-miss:{client_ip(request)}"
        limit, window = settings.TRACKING_RATE_LIMIT, settings.RATE_LIMIT_WINDOW
        if exceeded(key, limit=limit, window=window):
            response = render(request, "429.html", status=429)
            response["Retry-After"] = str(window)
            return response
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            allow(key, limit=limit, window=window)
            raise
        if response.status_code in {404, 410}:
            allow(key, limit=limit, window=window)
        return response

    return guarded

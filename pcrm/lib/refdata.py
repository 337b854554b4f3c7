"""Reference data each process keeps in memory: small tables read on every filing
(categories, temporary holidays) that change a few times a year.

A change anywhere empties every process's copy: the changing process's at once, the
others' within ``REFDATA_CHECK_SECONDS``: each process reads one shared version token
from the cache at most that often. The token moves after the change commits, so a
process that rebuilds its copy on the news reads the changed rows. Without a cache that
all processes share (``CACHE_SHARED`` off), or while that cache is down, nothing is kept:
every use reads afresh from the database.
Changes are noticed through the models' save and delete signals: rows changed without
them (a bulk ``update()``, SQL by hand) are seen after the processes restart.
"""

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from pcrm.lib import cache as shared_cache

T = TypeVar("T")
VERSION_KEY = "refdata:version"
_UNKNOWN = object()  # the version while the cache cannot be asked

_values: dict[str, object] = {}
_seen = {"version": None, "checked_at": float("-inf")}


def get(name: str, build: Callable[[], T]) -> T:
    """The value kept under ``name``, built by ``build()`` if this process has none."""
    if not settings.CACHE_SHARED:
        return build()
    _follow_changes()
    if _seen["version"] is _UNKNOWN:  # the cache is down: changes cannot be heard of
        return build()
    try:
        return _values[name]
    except KeyError:
        value = _values[name] = build()
        return value


def forget_on_change(name: str, model) -> None:
    """Forget ``name`` whenever a ``model`` row is saved or deleted: in this process at
    once, in the others after the change commits."""

    def receiver(**kwargs):
        _values.pop(name, None)
        transaction.on_commit(lambda: _announce(name))

    uid = f"refdata:{name}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)


def forget() -> None:
    """Empty this process's copy."""
    _values.clear()
    _seen["checked_at"] = float("-inf")


def _announce(name: str) -> None:
    _values.pop(name, None)  # rebuilt here before the commit, it may hold the old rows
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _follow_changes() -> None:
    now = time.monotonic()
    if now - _seen["checked_at"] < settings.REFDATA_CHECK_SECONDS:
        return
    _seen["checked_at"] = now
    version = cache.get(VERSION_KEY)  # None until a first change, or after a flush
    if not shared_cache.available():
        version = _UNKNOWN
    if version is _UNKNOWN or version != _seen["version"]:
        _values.clear()
        _seen["version"] = version

"""Checks of the services PCRM depends on, each answering ok or the error."""

from django.conf import settings
from django.db import connections
from kombu import Connection


def check_database(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; only its kind is reported
        return type(exc).__name__
    return None


_migrated = False  # once every migration is applied, a process need not look again


def check_migrations(alias: str = "default") -> str | None:
    """``None`` when the database has every migration this code knows of."""
    global _migrated
    if _migrated:
        return None
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return type(exc).__name__
    if plan:
        return f"{len(plan)} unapplied"
    _migrated = True
    return None


def broker_connection() -> Connection:
    """A short-lived connection to the task broker (fails fast when it is down)."""
    return Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    )


def check_broker() -> str | None:
    try:
        with broker_connection() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return type(exc).__name__
    return None


def check_cache() -> str | None:
    """Whether the shared cache answers (a local one always does)."""
    from django.core.cache import caches

    from pcrm.lib.cache import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    try:
        cache._cache.get_client(write=True).ping()
    except Exception as exc:
        return type(exc).__name__
    return None

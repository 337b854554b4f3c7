"""What the apps tell operations about themselves, from their ``AppConfig.ready``, so
that operations (a layer below them) never imports them: the row counts a backup
records and checks after a restore, and the gauges /metrics shows."""

from collections.abc import Callable, Iterable

_counts: dict[str, Callable[[], int]] = {}
_gauges: list[Callable[[], Iterable]] = []


def register_count(name: str, count: Callable[[], int]) -> None:
    """``count()`` is recorded in every backup's manifest under ``name``."""
    _counts[name] = count


def register_gauges(collect: Callable[[], Iterable]) -> None:
    """``collect()`` yields Prometheus metric families when /metrics is read."""
    if collect not in _gauges:
        _gauges.append(collect)


def counts() -> dict[str, int]:
    return {name: count() for name, count in sorted(_counts.items())}


def gauges() -> Iterable:
    for collect in _gauges:
        yield from collect()

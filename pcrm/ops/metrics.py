"""Prometheus metrics: request latency per view (measured in every web process; with
``PROMETHEUS_MULTIPROC_DIR`` set, gunicorn's processes share them through that folder),
and, read when scraped, the task queue's length, overdue complaints and the outbox
backlog."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from pcrm.ops import registry

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Histogram(
    "pcrm_http_request_duration_seconds",
    "Time to answer a request, by view, method and status class",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe_request(request, status: int, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else "unmatched"
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(view, method, f"{status // 100}xx").observe(seconds)


def queue_length(queue: str = "celery") -> int | None:
    """Tasks waiting in ``queue``; ``None`` when the broker does not answer."""
    from kombu.exceptions import ChannelError

    from pcrm.health import broker_connection

    try:
        with broker_connection() as conn:
            try:
                return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
            except ChannelError:  # nothing was ever queued there: an empty queue
                return 0
    except Exception:  # the broker is down: the figure is left out, /readyz says why
        return None


class StateCollector:
    """Figures read from the database and the broker when Prometheus scrapes."""

    def collect(self):
        # the apps' own figures (complaints: overdue complaints; notify: the outbox)
        yield from registry.gauges()
        length = queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "pcrm_task_queue_length", "Tasks waiting in the Celery queue", value=length
            )


def exposition() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
    registry.register(StateCollector())
    return generate_latest(registry)

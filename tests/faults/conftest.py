"""Faults on services of the suite's own: a Redis started on a spare port (never the
shared one), stopped, paused and restarted by the tests."""

import signal
import socket
import subprocess
import time
import uuid

import pytest
import redis
from django.test import override_settings

from tests.factories import public_form_data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=1)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("the private Redis did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(settings):
    from pcrm.lib import ratelimit

    ratelimit._local.clear()  # the fallback counters of an earlier test's outage
    settings.FILING_RATE_LIMIT = 100
    server = PrivateRedis()
    server.start()
    cache = {
        "default": {
            "BACKEND": "pcrm.lib.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": f"faults-{uuid.uuid4().hex[:6]}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "RETRY_AFTER": 5},
        }
    }
    with override_settings(CACHES=cache, CACHE_SHARED=True):
        yield server
    server.stop()


@pytest.fixture
def form_data(client):
    """A public filing as the browser sends it (a fresh submission key each time)."""
    return lambda category, **overrides: public_form_data(client, category, **overrides)

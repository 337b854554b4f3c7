"""The web process's WSGI application."""

import gc
import io
import os

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    from django.core.signals import request_finished

    from pcrm import wsgi

    yield wsgi.application
    # the rest of the suite runs as before: its requests collect as Python decides
    request_finished.disconnect(dispatch_uid="pcrm.wsgi.collect_young_garbage")
    gc.unfreeze()


def _robots_environ() -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/robots.txt",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }


def test_young_garbage_is_collected_after_each_response(application):
    environ = _robots_environ()
    statuses = []
    for _ in range(3):
        gc.collect(0)  # the young generations hold something before the request
        assert gc.get_count()[1] > 0
        response = application(environ, lambda status, headers: statuses.append(status))
        body = b"".join(response)
        response.close()  # the server calls it once the response is sent
        assert gc.get_count()[:2] == (0, 0)
    assert statuses == ["200 OK"] * 3 and b"User-agent" in body


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_twenty_thousand_light_requests_leave_memory_flat(application):
    def requests(count):
        for _ in range(count):
            response = application(_robots_environ(), lambda *a: None)
            b"".join(response)
            response.close()

    requests(2_000)  # caches and lazily loaded modules settle
    gc.collect()
    before = _rss_bytes()
    requests(20_000)
    after = _rss_bytes()
    left = gc.collect()  # what no collection during the requests had reclaimed
    # before: 800,000 left and 86 MB more; at most a hundred requests' worth may wait now
    assert left < 20_000, f"{left} unreachable objects left behind"
    assert after - before < 8 * 2**20, f"memory grew by {(after - before) / 2**20:.1f} MB"

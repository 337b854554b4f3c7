"""Faults on services of the suite's own: a Redis started on a spare port (never the
shared one), stopped, paused and restarted by the tests."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

import pytest
import redis
from django.test import override_settings

from tests.factories import public_form_data

BASE = Path(__file__).resolve().parents[2]


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


def _pg_bin(name: str) -> str:
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout
    return str(Path(bindir.strip()) / name)


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, a spare
    port): stopped as a crash stops it, and started again, without touching the shared
    server. PostgreSQL refuses to run as root; as root it runs as ``postgres``."""

    def __init__(self):
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="pcrm-faults-pg-"))
        self.data = self.directory / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/pcrm"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run(
            _pg_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C.UTF-8",
        )
        self.start()
        self._run(_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "pcrm")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def crash(self) -> None:
        """Stop as a power cut or a killed postmaster does: no checkpoint, every
        connection cut; the next start recovers from the write-ahead log."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def copy_from(self, database: str) -> None:
        """The schema and rows of a database of the shared server (the test database, with
        what the test committed), so the private one needs no migrations run."""
        dump = subprocess.run(
            ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner", database],
            check=True,
            capture_output=True,
            timeout=120,
        ).stdout
        subprocess.run(
            [
                "psql",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "pcrm",
            ],
            input=dump,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """The static files as production serves them (hashed names, a manifest)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(root),
        "SECRET_KEY": "faults-only-" + "k" * 40,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


class WebProcess:
    """The production web server (gunicorn, two workers, ``DEBUG=0``) on a spare port,
    against the given database and Redis."""

    def __init__(self, database_url: str, redis_url: str, static_root: Path, work: Path):
        self.port = _free_port()
        self.log = work / "web.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PCRM_"))},
            "DEBUG": "0",
            "SECRET_KEY": "faults-only-" + "k" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": redis_url,
            "REDIS_URL": redis_url,
            "PCRM_VAR_DIR": str(work / "var"),
            "STATIC_ROOT": str(static_root),
            "PRIVATE_MEDIA_ROOT": str(work / "private"),
            "FILING_RATE_LIMIT": "1000000",
            "LOG_FORMAT": "json",
        }
        self.process = None

    def start(self) -> None:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [
                    gunicorn,
                    "pcrm.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                ],
                cwd=BASE,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer: " + self.log.read_text()[-2000:])

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def private_stack(tmp_path, production_static):
    """A private PostgreSQL and Redis, and the production web server on them. Yields a
    function that copies the test database over and starts the server."""
    postgres, redis_server = PrivatePostgres(), PrivateRedis()
    web = WebProcess(postgres.url, redis_server.url, production_static, tmp_path)

    def start(database: str):
        postgres.create()
        redis_server.start()
        postgres.copy_from(database)
        web.start()
        return postgres, web

    yield start
    web.stop()
    redis_server.stop()
    postgres.destroy()

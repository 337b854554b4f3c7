"""The embedded default (SQLite + file-system broker) boots the Procfile's three processes,
serves the Korean login page, lets a demo account in, and a real worker runs a task."""

import http.cookiejar
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICE_VARIABLES = {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"}

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        {
            "DEBUG": "1",
            "PCRM_VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("SECRET_KEY", None)
    return env


def _manage(env, *args, timeout=180):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Lines:
    """Collects a process's output lines and waits (blocking, bounded) for a pattern."""

    def __init__(self, stream):
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)  # the process closed its output

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        """The first line matching ``pattern``, within ``timeout`` seconds in all (a
        process that keeps printing other lines does not keep the wait going)."""
        regex = re.compile(pattern)
        for line in self.seen:
            if regex.search(line):
                return line
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no line matching {pattern!r}; output so far:\n" + "".join(self.seen[-60:])
                ) from None
            if line is None:
                raise AssertionError(
                    f"output ended before {pattern!r}:\n" + "".join(self.seen[-60:])
                )
            self.seen.append(line)
            if regex.search(line):
                return line


def _celery_main_process(session: int, kind: str) -> int:
    """The celery process ``keep_running`` started (not one of its pool's children)."""
    rows = subprocess.run(
        ["ps", "-ww", "-e", "-o", "pid=,ppid=,sess=,args="],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    processes = [row.split(None, 3) for row in rows]
    parent = {pid: ppid for pid, ppid, _sess, _args in processes}

    def ours(pid: str) -> bool:  # started by this run's honcho (each child has its session)
        while pid in parent and pid not in ("0", "1"):
            if pid == str(session):
                return True
            pid = parent[pid]
        return False

    runners = {  # this run's only: another `make run` on the machine has its own
        pid
        for pid, _ppid, _sess, args in processes
        if "pcrm.lib.keep_running" in args and f"pcrm {kind}" in args and ours(pid)
    }
    assert runners, "\n".join(rows)
    return next(
        int(pid)
        for pid, ppid, _sess, args in processes
        if ppid in runners and f"pcrm {kind}" in args and "keep_running" not in args
    )


def test_embedded_default_runs_web_worker_and_beat(embedded_env):
    env = embedded_env
    _manage(env, "migrate", "--no-input")
    assert "데모 계정" in _manage(env, "seed_demo")
    assert Path(env["PCRM_VAR_DIR"], "pcrm.sqlite3").exists()

    port = _free_port()
    honcho = subprocess.Popen(
        [str(BIN / "honcho"), "start", "-f", "Procfile", "-p", str(port)],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Lines(honcho.stdout)
    try:
        output.wait_for(rf"web\.1 .*Listening at: http://127\.0\.0\.1:{port}")
        output.wait_for(r"worker\.1 .*ready\.")
        output.wait_for(r"beat\.1 .*beat: Starting")

        # The citizen home, its link to the Korean login page, then a demo account
        # reaches the staff home.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        home = browser.open(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        assert "민원 신청" in home and 'href="/accounts/login/"' in home
        page = browser.open(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
        html = page.read().decode()
        assert '<html lang="ko">' in html and "직원 로그인" in html
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "username": "staff1",
                "password": "pcrm-demo-2026!",
                "next": "/staff/",
            }
        ).encode()
        staff_home = browser.open(f"http://127.0.0.1:{port}/accounts/login/", form, timeout=30)
        assert staff_home.url == f"http://127.0.0.1:{port}/staff/"
        assert "님, 안녕하세요" in staff_home.read().decode()

        # A real task through the file-system broker and the running worker (not eager).
        answer = _manage(env, "check_worker", "--timeout", "60", timeout=120)
        assert "워커 응답: pong" in answer
        task_id = re.search(r"작업 ([0-9a-f-]{36})", answer).group(1)
        output.wait_for(rf"worker\.1 .*Task pcrm\.tasks\.ping\[{task_id}\] succeeded")

        # A worker that dies (here: killed) is started again, and works again.
        worker = _celery_main_process(honcho.pid, "worker")
        os.kill(worker, signal.SIGKILL)
        output.wait_for(r"keep_running: celery ended with -9; starting it again")
        output.wait_for(r"worker\.1 .*ready\.", timeout=90)
        assert "워커 응답: pong" in _manage(env, "check_worker", "--timeout", "60", timeout=120)
    finally:
        honcho.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            returncode = honcho.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
            raise
    assert returncode in (0, 130, -signal.SIGINT)
    # Ctrl-C stopped all three: no process of this run is left (honcho starts each in a
    # session of its own, so they are found by this run's variables)
    assert _processes_with(f"PCRM_VAR_DIR={env['PCRM_VAR_DIR']}") == []


def _processes_with(variable: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if variable.encode() in environ:
            found.append(int(entry.name))
    return found

"""HTTP benchmark at scale: gunicorn on 127.0.0.1 against the database bench/generate.py
filled (and bench/generate_surveys.py for the scorecard pages), each page measured next
to a trivial view (robots.txt: a tiny template through
the full middleware stack) in the same run.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm_bench \\
    REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/http_bench.py [--requests 200] [--concurrent-requests 400]

Reports p50/p95 at concurrency 1, requests/s at concurrency 8, the queries each page
runs, and whether the inbox queries' plans scan the complaint table sequentially.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from bench.common import filing_form  # noqa: E402
from complaints import selectors  # noqa: E402
from complaints.models import Category, Complaint  # noqa: E402
from pcrm.lib.periods import Period  # noqa: E402
from pcrm.org.models import Staff  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staff_session(user) -> str:
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["pcrm_last_activity"] = time.time() + 10 * 365 * 86400  # never idle during the run
    store.save()
    return store.session_key


class Target:
    def __init__(self, name, method, path, *, cookie="", body=None, ok=(200,)):
        self.name, self.method, self.path = name, method, path
        self.cookie, self.body, self.ok = cookie, body, ok

    def request(self, conn):
        headers = {"Host": "127.0.0.1", "Cookie": self.cookie}
        body = None
        if self.body is not None:
            body = urlencode(self.body()).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn.request(self.method, self.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status not in self.ok:
            raise RuntimeError(f"{self.name}: HTTP {response.status}")
        return elapsed


def run_serial(port, target, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(5):
        target.request(conn)  # warm up
    times = sorted(target.request(conn) for _ in range(n))
    conn.close()
    return statistics.median(times), times[max(0, round(0.95 * n) - 1)]


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (every process: web, database, load
    generator), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_concurrent(port, target, total, threads=8):
    """Requests per second at concurrency ``threads``, and the machine's busy CPU time
    per request meanwhile (which, unlike the rate, does not depend on how much of the
    machine the run got)."""
    per_thread = total // threads
    barrier = threading.Barrier(threads + 1)
    errors = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        target.request(conn)
        barrier.wait()
        try:
            for _ in range(per_thread):
                target.request(conn)
        except Exception as exc:
            errors.append(exc)
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started, cpu = time.perf_counter(), busy_cpu_seconds()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]
    done = per_thread * threads
    return done / (time.perf_counter() - started), (busy_cpu_seconds() - cpu) / done


def measure_round(port, targets, args) -> list[tuple]:
    """(p50, p95, requests/s, CPU per request) of each target, one after the other."""
    measured = []
    for target in targets:
        p50, p95 = run_serial(port, target, args.requests)
        rps, cpu = run_concurrent(port, target, args.concurrent_requests)
        measured.append((p50, p95, rps, cpu))
    return measured


def queries_of(client, target) -> int:
    """Queries of one request once the process is warm (as a server's are: the reference
    data it keeps in memory read once, pcrm.lib.refdata)."""

    def request():
        if target.method == "GET":
            client.get(target.path)
        else:
            client.post(target.path, target.body())

    request()
    with CaptureQueriesContext(connection) as captured:
        request()
    return len(captured)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrent-requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page this many times, in turn, and report the medians",
    )
    parser.add_argument(
        "--only", default="", help="measure only the pages whose name contains this text"
    )
    args = parser.parse_args()

    settings.FILING_RATE_LIMIT = settings.TRACKING_RATE_LIMIT = 10**9  # for the query counts
    leader = Staff.objects.select_related("user").get(user__username="leader1")
    total = Complaint.objects.count()
    complaint = (
        Complaint.objects.filter(team=leader.team, status__in=Complaint.OPEN_STATUSES)
        .order_by("due_at")
        .first()
    )
    tracked = Complaint.objects.select_related("citizen").order_by("-pk").first()
    # the benchmark files thousands of complaints a run: into another team than the
    # measured leader's, and without a same-day target, so that repeated runs do not
    # change what that team's inbox and the same-day board show
    category = (
        Category.objects.exclude(team=leader.team_id)
        .filter(same_day_target=False)
        .order_by("pk")
        .first()
    )
    cookie = f"{settings.SESSION_COOKIE_NAME}={staff_session(leader.user)}"
    month = Period.containing("month", timezone.localdate()).code
    csrf = "b" * 32
    public_cookie = f"csrftoken={csrf}"

    def filing():
        return filing_form(category.pk, csrf)

    def tracking():
        return {
            "csrfmiddlewaretoken": csrf,
            "receipt_number": tracked.receipt_number,
            "phone_last4": tracked.citizen.phone[-4:],
        }

    targets = [Target("trivial view (robots.txt)", "GET", "/robots.txt")]
    targets += [
        Target(f"inbox: {tab}", "GET", f"/staff/complaints/?tab={tab}", cookie=cookie)
        for tab in selectors.TABS
    ]
    targets += [
        Target("complaint page", "GET", f"/staff/complaints/{complaint.pk}/", cookie=cookie),
        Target("leader dashboard", "GET", "/staff/dashboard/", cookie=cookie),
        Target("organisation ranking", "GET", f"/staff/scorecards/?period={month}", cookie=cookie),
        Target(
            "team scorecard",
            "GET",
            f"/staff/scorecards/teams/{leader.team_id}/?period={month}",
            cookie=cookie,
        ),
        Target(
            "tracking lookup (POST)",
            "POST",
            "/complaints/track/",
            cookie=public_cookie,
            body=tracking,
            ok=(302,),
        ),
        Target(
            "filing (POST)",
            "POST",
            "/complaints/new/",
            cookie=public_cookie,
            body=filing,
            ok=(302,),
        ),
    ]

    if args.only:
        targets = [targets[0]] + [t for t in targets[1:] if args.only in t.name]

    port = free_port()
    static_root = tempfile.mkdtemp(prefix="pcrm-bench-static-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the data was encrypted under this key
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "FILING_RATE_LIMIT": "1000000000",
        "TRACKING_RATE_LIMIT": "1000000000",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "pcrm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(leader.user)
        rounds = [measure_round(port, targets, args) for _ in range(args.rounds)]
        queries = [queries_of(client, target) for target in targets]
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\n{total:,} complaints; gunicorn {args.workers} workers; "
        f"{args.requests} serial requests, {args.concurrent_requests} at concurrency 8; "
        f"median of {args.rounds} round(s)\n"
    )
    print("| page | p50 | p95 | p95 / trivial p95 | req/s at 8 | CPU per request at 8 | queries |")
    print("|---|---|---|---|---|---|---|")
    for index, target in enumerate(targets):

        def median(column, index=index):
            return statistics.median(measured[index][column] for measured in rounds)

        # each round's ratio uses that round's trivial view, measured minutes apart at most
        ratio = statistics.median(measured[index][1] / measured[0][1] for measured in rounds)
        print(
            f"| {target.name} | {median(0) * 1000:.1f} ms | {median(1) * 1000:.1f} ms | "
            f"{ratio:.1f}x | {median(2):.0f} | {median(3) * 1000:.1f} ms | {queries[index]} |"
        )

    print("\nInbox query plans (complaint table):")
    for tab in selectors.TABS:
        rows = selectors.inbox(leader.user, tab=tab, filters=selectors.InboxFilters())
        plan = rows[:25].explain()
        seq = bool(re.search(r"Seq Scan on complaints_complaint", plan))
        print(f"- {tab}: {'SEQUENTIAL SCAN' if seq else 'index'}")


if __name__ == "__main__":
    main()

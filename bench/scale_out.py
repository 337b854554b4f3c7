"""Scale-out proof: two web processes (gunicorn), two Celery workers and one beat (or
two, by mistake) against one PostgreSQL and one Redis on 127.0.0.1.

It files complaints through both web processes at once and kills one worker (its whole
process group, SIGKILL) halfway; a fifth of the complaints are then made overdue, so the
reminder sweep has work. Afterwards it checks that every complaint exists once with its
own receipt number, that every confirmation and reminder left exactly once (the message
backends append each send to a file), and that no sweep did its work twice. The one
repeat the design allows is counted apart: a message the killed worker had handed to
the provider but not yet marked sent is sent again once its claim runs out (at least
once, in that window only).

    .venv/bin/python bench/scale_out.py [--filings 200] [--beats 1] [--json]

Uses a new database (dropped at the end) and Redis databases 11 and 12 (flushed).
Exit status 0 when every check holds.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
BROKER, CACHE = "redis://127.0.0.1:6379/11", "redis://127.0.0.1:6379/12"
FAST_TASKS = ("pcrm.notify.tasks.deliver_due_messages", "complaints.tasks.sweep_reminders")
CSRF = "c" * 32
WORKER_PROCESSES = 2  # each worker's prefork processes (one message in hand each)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise TimeoutError(f"waited {timeout:g} s for {what}")


def log_lines(path: Path) -> list[dict]:
    """A process's log: its JSON lines as dicts, other lines as ``{"message": line}``."""
    lines = []
    for text in path.read_text().splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            line = None
        lines.append(line if isinstance(line, dict) else {"message": text})
    return lines


class Run:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="pcrm-scale-out-"))
        self.database = f"pcrm_scale_{uuid.uuid4().hex[:8]}"
        self.sent_log = self.work / "sent.jsonl"
        self.sent_log.touch()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PCRM_"))},
            "DEBUG": "0",
            "SECRET_KEY": "scale-out-run-only-" + "s" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{self.database}",
            "CELERY_BROKER_URL": BROKER,
            "REDIS_URL": CACHE,
            "PCRM_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "static"),
            "PRIVATE_MEDIA_ROOT": str(self.work / "private"),
            "NOTIFY_SMS_BACKEND": "bench.recording.FileSmsBackend",
            "EMAIL_BACKEND": "bench.recording.FileEmailBackend",
            "SCALE_OUT_SENT_LOG": str(self.sent_log),
            "NOTIFY_CLAIM_TIMEOUT": "5",
            "FILING_RATE_LIMIT": "1000000000",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(BASE),
        }
        self.processes: dict[str, subprocess.Popen] = {}

    # --- set-up ---------------------------------------------------------------------
    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {arguments[0]}: {result.stderr[-2000:]}")
        return result.stdout

    def prepare(self) -> None:
        subprocess.run(["createdb", "-h", PG["host"], "-U", PG["user"], self.database], check=True)
        for url in (BROKER, CACHE):
            number = url.rsplit("/", 1)[1]
            subprocess.run(["redis-cli", "-n", number, "FLUSHDB"], check=True, capture_output=True)
        self.manage("migrate", "--no-input", "-v", "0")
        seed = (
            "from django.contrib.auth import get_user_model\n"
            "from pcrm.org.models import Department, Team, Staff\n"
            "from complaints.models import Category\n"
            "User = get_user_model()\n"
            "d = Department.objects.create(name='민원봉사과')\n"
            "t = Team.objects.create(name='민원처리팀', department=d)\n"
            "u = User.objects.create(username='leader', email='leader@example.go.kr')\n"
            "t.leader = Staff.objects.create(user=u, name='박팀장', team=t, role='team_leader')\n"
            "t.save()\n"
            "h = User.objects.create(username='head', email='head@example.go.kr')\n"
            "d.head = Staff.objects.create(user=h, name='김과장', team=t, role='staff')\n"
            "d.save()\n"
            "print(Category.objects.create(name='도로 파손', team=t, period='3d').pk)\n"
        )
        self.category = int(self.manage("shell", "-c", seed).strip().splitlines()[-1])

    def start(self, name: str, command: list[str]) -> None:
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 - kept open while it runs
        self.processes[name] = subprocess.Popen(
            command,
            cwd=BASE,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def start_all(self) -> None:
        bin_dir = Path(sys.executable).parent
        self.ports = [free_port(), free_port()]
        for number, port in enumerate(self.ports, 1):
            self.start(
                f"web{number}",
                [
                    str(bin_dir / "gunicorn"),
                    "pcrm.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                ],
            )
        for number in (1, 2):
            self.start(
                f"worker{number}",
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "pcrm",
                    "worker",
                    "-n",
                    f"worker{number}@%h",
                    "--concurrency",
                    str(WORKER_PROCESSES),
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
            )
        for number in range(1, self.args.beats + 1):
            if number > 1:
                time.sleep(3)  # a second beat started later by mistake
            self.start(
                f"beat{number}",
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "pcrm",
                    "beat",
                    "--max-interval",
                    "1",
                    "--loglevel",
                    "INFO",
                ],
            )
        for number in range(1, self.args.beats + 1):  # each has written the schedule
            wait_for(
                lambda n=number: "beat: Starting" in (self.work / f"beat{n}.log").read_text(),
                60,
                f"beat{number}",
            )
        time.sleep(2)
        for port in self.ports:
            wait_for(lambda p=port: self.answers(p), 60, f"gunicorn on {port}")
        self.speed_up_sweeps()

    def answers(self, port: int) -> bool:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def speed_up_sweeps(self) -> None:
        """Beat has written its schedule to the database; the two sweeps that matter here
        run every two seconds instead of every minute or five (beat reloads the change)."""
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        wait_for(
            lambda: PeriodicTask.objects.filter(task__in=FAST_TASKS).count() == len(FAST_TASKS),
            60,
            "beat's schedule in the database",
        )
        every, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
        for task in PeriodicTask.objects.filter(task__in=FAST_TASKS):
            task.interval = every
            task.save()

    # --- the load ------------------------------------------------------------------
    def file(self, number: int) -> tuple[int, str]:
        port = self.ports[number % 2]
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "submission_key": str(uuid.uuid4()),
                "category": self.category,
                "title": f"보도블록 파손 {number}",
                "body": "보도블록이 깨졌습니다.",
                "name": "김민수",
                "phone": f"0105{number:07d}",
                "consent_required": "on",
            }
        )
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST",
            "/complaints/new/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF}",
                "Host": "127.0.0.1",
            },
        )
        response = conn.getresponse()
        return response.status, response.getheader("X-Request-ID", "")

    def load(self) -> dict:
        started = time.monotonic()
        killed = threading.Event()

        def one(number: int) -> tuple[int, str]:
            answer = self.file(number)
            if number >= self.args.filings // 2 and not killed.is_set():
                killed.set()
                os.killpg(self.processes["worker1"].pid, signal.SIGKILL)
            return answer

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(one, range(self.args.filings)))
        elapsed = time.monotonic() - started
        return {
            "statuses": Counter(status for status, _id in answers),
            "request_ids": {request_id for _status, request_id in answers},
            "seconds": elapsed,
        }

    def make_some_overdue(self) -> int:
        from datetime import timedelta

        from django.utils import timezone

        from complaints.models import Complaint

        chosen = list(
            Complaint.objects.order_by("pk").values_list("pk", flat=True)[: self.args.filings // 5]
        )
        Complaint.objects.filter(pk__in=chosen).update(due_at=timezone.now() - timedelta(days=5))
        return len(chosen)

    def settle(self) -> float:
        """Until every message has left and the reminder sweep has had its turns."""
        from pcrm.notify.models import Message

        started = time.monotonic()
        time.sleep(6)  # at least two sweeps of each kind after the last change
        wait_for(
            lambda: not Message.objects.exclude(status=Message.Status.SENT).exists(),
            self.args.timeout,
            "every message to be sent",
        )
        return time.monotonic() - started

    # --- the checks ----------------------------------------------------------------
    def verify(self, load: dict, overdue: int, settle: float) -> dict:
        from complaints.models import Complaint
        from pcrm.notify.models import Message, StaffNotification

        complaints = Complaint.objects.count()
        receipts = Complaint.objects.values("receipt_number").distinct().count()
        sent_lines = [json.loads(line) for line in self.sent_log.read_text().splitlines()]
        senders = defaultdict(list)  # each message: the worker of each of its sends, in order
        for line in sent_lines:
            senders[(line["channel"], line["to"], line["text"])].append(line["group"])
        # The one duplicate the design allows: the killed worker handed a message to the
        # provider but died before marking it sent, and another worker, taking the claim
        # over later, sent it again. At most one per process of that worker.
        killed = self.processes["worker1"].pid  # its process group
        resent = sum(
            1
            for groups in senders.values()
            if len(groups) == 2 and groups[0] == killed and groups[1] != killed
        )
        messages = Message.objects.count()
        confirmations = Message.objects.filter(channel="sms").count()
        reminders = StaffNotification.objects.count()
        reminder_mails = Message.objects.filter(channel="email").count()
        # each finished sweep logs "Task complaints.tasks.sweep_reminders[…] succeeded in
        # …s: <notices it created>"; together they must have created each notice once
        runs = [
            int(line["message"].rsplit(": ", 1)[1])
            for n in (1, 2)
            for line in log_lines(self.work / f"worker{n}.log")
            if "sweep_reminders[" in line["message"] and "succeeded" in line["message"]
        ]
        # a worker sends the confirmation a filing queued under the filing's request id
        # (the message row keeps it), whichever delivery run sends it
        carried = {
            line["request_id"]
            for n in (1, 2)
            for line in log_lines(self.work / f"worker{n}.log")
            if re.fullmatch(r"message \d+ sent", line.get("message", ""))
            and line.get("request_id") in load["request_ids"]
        }
        result = {
            "filings": self.args.filings,
            "beats": self.args.beats,
            "http_statuses": dict(load["statuses"]),
            "filing_seconds": round(load["seconds"], 1),
            "filings_per_second": round(self.args.filings / load["seconds"], 1),
            "complaints": complaints,
            "distinct_receipts": receipts,
            "messages": messages,
            "confirmations_sms": confirmations,
            "overdue_complaints": overdue,
            "reminder_notices": reminders,
            "reminder_emails": reminder_mails,
            "sends_logged": len(sent_lines),
            "resent_after_its_worker_was_killed": resent,
            "sent_more_than_once": sum(1 for groups in senders.values() if len(groups) > 1)
            - resent,
            "sweep_reminders_runs": len(runs),
            "notices_created_by_the_runs": sum(runs),
            "filings_whose_request_id_reached_a_worker": len(carried),
            "seconds_to_settle": round(settle, 1),
            "worker_killed": "worker1",
        }
        result["ok"] = (
            load["statuses"] == Counter({302: self.args.filings})
            and complaints == receipts == self.args.filings
            and confirmations == self.args.filings
            and reminders >= overdue  # the team leader at least, for each overdue one
            and sum(runs) == reminders  # no notice made twice, however many sweeps ran
            and len(carried) > 0
            and len(sent_lines) == messages + resent
            and resent <= WORKER_PROCESSES
            and result["sent_more_than_once"] == 0
        )
        return result

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):  # worker1 was killed already
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        subprocess.run(
            ["dropdb", "-h", PG["host"], "-U", PG["user"], "--force", self.database], check=False
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--beats", type=int, default=1, choices=(1, 2))
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the processes' logs")
    args = parser.parse_args()

    run = Run(args)
    run.prepare()
    os.environ.update(run.env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pcrm.settings"
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    try:
        run.start_all()
        load = run.load()
        overdue = run.make_some_overdue()
        settle = run.settle()
        result = run.verify(load, overdue, settle)
    finally:
        run.stop()
    if args.keep or not result["ok"]:
        print(f"logs: {run.work}", file=sys.stderr)
    else:
        shutil.rmtree(run.work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print("| figure | value |\n|---|---|")
        for key, value in result.items():
            print(f"| {key} | {value} |")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

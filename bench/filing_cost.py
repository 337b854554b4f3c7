"""What one filing costs, in-process, without the web server or the load generator:
CPU time of this Python process and of its PostgreSQL backend per filing, and the
statements one filing runs. Filings go through the WSGI application as gunicorn would
pass them (form-encoded POST, CSRF cookie), into the database bench/generate.py filled.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm_bench1m \\
    REDIS_URL=redis://127.0.0.1:6379/2 CELERY_BROKER_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/filing_cost.py [--filings 500]

CPU time on a shared machine moves with the machine; for a figure that does not, count
instructions: run it with ``--bare`` under ``valgrind --tool=callgrind
--callgrind-out-file=/dev/null``, once with ``--filings 0`` and once with ``--filings 50``,
and divide the difference of the two "Collected" totals by 50.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")
if not os.environ.get("SECRET_KEY"):  # the key the data was encrypted under (DEBUG=1's)
    os.environ["SECRET_KEY"] = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        cwd=BASE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
os.environ.update(DEBUG="0", ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0")
os.environ.update(FILING_RATE_LIMIT="1000000000", LOG_LEVEL="WARNING")
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="pcrm-bench-static-"))

CSRF = "b" * 32


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=500)
    parser.add_argument("--bare", action="store_true", help="file, measure nothing")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from bench.common import filing_form
    from complaints.models import Category
    from pcrm.wsgi import application

    category = Category.objects.filter(same_day_target=False).order_by("pk").first()

    def file_one():
        body = urlencode(filing_form(category.pk, CSRF)).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/complaints/new/",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": f"csrftoken={CSRF}",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        response = application(environ, lambda status, headers: statuses.append(status))
        b"".join(response)
        response.close()
        if not statuses[0].startswith("302"):
            raise RuntimeError(f"filing answered {statuses[0]}")

    def backend_cpu() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for _ in range(10):  # warm up (and open the connection)
        file_one()
    if args.bare:
        for _ in range(args.filings):
            file_one()
        return
    statements = []

    def note(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        file_one()
    python, postgres, wall = time.process_time(), backend_cpu(), time.perf_counter()
    for _ in range(args.filings):
        file_one()
    per = 1000 / args.filings
    print(
        f"{args.filings} filings: Python {(time.process_time() - python) * per:.2f} ms, "
        f"PostgreSQL backend {(backend_cpu() - postgres) * per:.2f} ms of CPU each; "
        f"{(time.perf_counter() - wall) * per:.2f} ms wall; "
        f"{len(statements)} statements besides BEGIN and COMMIT:"
    )
    for sql in statements:
        print("  ", sql[:90])


if __name__ == "__main__":
    main()

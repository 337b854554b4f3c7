"""Peak memory of an XLSX export: 100,000 complaints through the same streaming writer
the inbox and saved views use (``complaints.saved.xlsx_stream``), as a CS administrator,
in a fresh process; its peak RSS before and after, and the file's size.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm_bench1m \\
        .venv/bin/python bench/export_memory.py [--rows 100000]

Run against a database ``bench/generate.py`` filled. Each exported row is logged as a
personal-data export, as in production (100,000 access-log rows are written).
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from complaints import saved  # noqa: E402
from complaints.models import Complaint  # noqa: E402
from pcrm.org.models import Staff  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    settings.DEBUG = False  # no query log kept in memory, as in production
    staff = Staff.objects.filter(role=Staff.Role.CS_ADMIN, active=True).select_related("user")[0]
    rows = Complaint.objects.select_related("category", "citizen", "assignee").order_by("-id")
    saved.STREAM_ROWS = args.rows
    before = peak_mb()
    started = time.monotonic()
    out = saved.xlsx_stream(staff=staff, complaints=rows, title="bench", purpose="bench export")
    elapsed = time.monotonic() - started
    size = os.fstat(out.fileno()).st_size / 1024 / 1024
    out.close()
    print(
        f"rows {args.rows}: {elapsed:.1f} s, file {size:.1f} MB, "
        f"peak RSS {before:.0f} MB before, {peak_mb():.0f} MB after"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long importing 300 friendly/institutional customers takes (target: well under 5 s).

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm \\
        .venv/bin/python bench/import_relationships.py [--rows 300] [--runs 5]

Each run imports a fresh file of new citizens (encrypting phone and e-mail, hashing
them, writing consents, relationships and one access-log row per citizen), then a
second pass re-imports the same file, which matches every row and updates it.
"""

import argparse
import csv
import io
import time

from common import scratch_database, summary


def make_file(run: int, rows: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from citizens.relationship_io import HEADERS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for i in range(rows):
        writer.writerow(
            [
                "기관고객" if i % 5 == 0 else "우호고객",
                f"주민{run}-{i}",
                "마포구 상인회" if i % 5 == 0 else "",
                "",
                f"010-{4000 + run}-{i:04d}",
                f"r{run}-{i}@example.com",
                "마포구",
                "공덕동",
                "bench",
                "환경",
                "",
                "Y" if i % 2 else "N",
            ]
        )
    return SimpleUploadedFile("bench.csv", buffer.getvalue().encode("utf-8-sig"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with scratch_database():
        from django.contrib.auth import get_user_model

        from citizens.relationship_io import relationships_import
        from pcrm.org.models import Staff

        user = get_user_model().objects.create(username="bench")
        staff = Staff.objects.create(user=user, name="벤치", role=Staff.Role.STAFF)
        fresh, again = [], []
        for run in range(args.runs):
            started = time.perf_counter()
            report = relationships_import(staff=staff, upload=make_file(run, args.rows))
            fresh.append(time.perf_counter() - started)
            assert report.ok and report.created == args.rows, report.errors[:3]
            started = time.perf_counter()
            report = relationships_import(staff=staff, upload=make_file(run, args.rows))
            again.append(time.perf_counter() - started)
            assert report.ok and report.updated == args.rows, report.errors[:3]
        print(f"import {args.rows} new rows:      {summary(fresh)}")
        print(f"re-import {args.rows} known rows: {summary(again)}")


if __name__ == "__main__":
    main()

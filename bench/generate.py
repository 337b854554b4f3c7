"""Fill a PostgreSQL database with scale data: by default 1,000,000 complaints, 200,000
citizens, the demo organisation's 6 teams and 30 staff, and two events per complaint.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pcrm_bench \\
        .venv/bin/python bench/generate.py [--complaints 1000000] [--citizens 200000]

The database is migrated first and must not hold complaints yet. Rows go in with COPY;
phone numbers and tracking secrets are encrypted exactly as the application does it.
"""

import argparse
import hashlib
import io
import random
import secrets
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from citizens.demo import DISTRICTS, FAMILY, GIVEN  # noqa: E402
from complaints.demo import CATEGORIES, TITLES  # noqa: E402
from complaints.models import Category, Complaint, ReceiptCounter  # noqa: E402
from pcrm.lib.calendar import SEOUL  # noqa: E402
from pcrm.lib.crypto import blind_index, encrypt  # noqa: E402
from pcrm.org.calendar import organisation_calendar  # noqa: E402
from pcrm.org.demo import seed_organisation  # noqa: E402
from pcrm.org.models import Staff, Team  # noqa: E402

CHUNK = 50_000


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into ``table`` in chunks; returns the count."""
    total = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        buffer, n = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(_cell(v) for v in row) + "\n")
            n += 1
            if n == CHUNK:
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
                total += n
                buffer, n = io.StringIO(), 0
        if n:
            buffer.seek(0)
            raw.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            total += n
    return total


def _cell(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def citizens(rng: random.Random, count: int, now: datetime):
    districts = list(DISTRICTS.items())
    for i in range(count):
        sigungu, dongs = districts[i % len(districts)]
        phone = f"010{3000 + i // 10000:04d}{i % 10000:04d}"
        created = now - timedelta(days=rng.randint(0, 1500))
        yield (
            "individual",
            rng.choice(FAMILY) + rng.choice(GIVEN),
            "",
            "",
            encrypt(phone),
            blind_index(phone),
            "",
            "",
            sigungu,
            rng.choice(dongs),
            rng.randint(1935, 2008),
            "",
            "ko",
            rng.choice(["sms", "phone", "email"]),
            i % 25 == 0,
            False,
            False,
            False,
            created,
            created,
            None,
            0,
            None,
        )


CITIZEN_COLUMNS = [
    "kind",
    "name",
    "organisation_name",
    "contact_person",
    "phone",
    "phone_hash",
    "email",
    "email_hash",
    "sigungu",
    "dong",
    "birth_year",
    "gender",
    "preferred_language",
    "preferred_channel",
    "vulnerable",
    "do_not_call",
    "do_not_contact",
    "e_letter_opt_in",
    "created_at",
    "updated_at",
    "last_contact_at",
    "contact_count",
    "anonymised_at",
]
COMPLAINT_COLUMNS = [
    "receipt_number",
    "tracking_hash",
    "tracking_secret",
    "submission_key",
    "citizen_id",
    "category_id",
    "team_id",
    "assignee_id",
    "channel",
    "title",
    "body",
    "status",
    "received_at",
    "period",
    "due_at",
    "statutory_due_at",
    "same_day_due_at",
    "extended_at",
    "extension_reason",
    "unclear",
    "intent_note",
    "intent_noted_by_id",
    "intent_noted_at",
    "duplicate_of_id",
    "registered_by_id",
    "answered_at",
    "closed_at",
    "updated_at",
    "published",
]


def complaints(rng, count, now, citizen_ids, categories, staff_by_team, calendar, counters):
    """Received over the last 3 years, oldest first; recent ones are still open."""
    start = now - timedelta(days=3 * 365)
    step = (now - start) / count
    for i in range(count):
        received = (start + step * i).astimezone(SEOUL)
        category = categories[i % len(categories)]
        year = received.year
        counters[year] = counters.get(year, 0) + 1
        secret = secrets.token_urlsafe(32)
        due = calendar.due_at(received, category.period)
        age = now - received
        if age > timedelta(days=30) or rng.random() < 0.6:
            status = "closed" if age > timedelta(days=20) else "answered"
        else:
            status = rng.choice(
                ["received", "assigned", "in_progress", "in_progress", "supplement"]
            )
        answered = None
        if status in {"answered", "closed"}:
            answered = calendar.add_working_time(received, timedelta(hours=rng.randint(1, 30)))
        members = staff_by_team[category.team_id]
        assignee = None if status == "received" else rng.choice(members)
        yield (
            f"{year}-{counters[year]:07d}",
            hashlib.sha256(secret.encode()).hexdigest(),
            encrypt(secret),
            None,
            rng.choice(citizen_ids),
            category.pk,
            category.team_id,
            assignee,
            rng.choice(["web", "web", "web", "phone", "visit"]),
            rng.choice(TITLES[category.name]),
            "현장을 확인하고 조치해 주시기 바랍니다.",
            status,
            received,
            category.period,
            due,
            due,
            calendar.same_day_target(received) if category.same_day_target else None,
            None,
            "",
            False,
            "",
            None,
            None,
            None,
            None,
            answered,
            answered + timedelta(days=2) if status == "closed" else None,
            received,
            False,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--citizens", type=int, default=200_000)
    args = parser.parse_args()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if Complaint.objects.exists():
        sys.exit("the database already holds complaints; generate into an empty one")
    seed_organisation()
    teams = {team.name: team for team in Team.objects.all()}
    for name, team_name, period, same_day in CATEGORIES:
        Category.objects.get_or_create(
            name=name,
            defaults={"team": teams[team_name], "period": period, "same_day_target": same_day},
        )
    categories = list(Category.objects.order_by("pk"))
    staff_by_team = {}
    for staff in Staff.objects.filter(team__isnull=False).order_by("pk"):
        staff_by_team.setdefault(staff.team_id, []).append(staff.pk)
    rng = random.Random(20261123)
    now = datetime.now(tz=SEOUL)

    n = _copy("citizens_citizen", CITIZEN_COLUMNS, citizens(rng, args.citizens, now))
    print(f"citizens: {n} in {time.monotonic() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM citizens_citizen ORDER BY id")
        citizen_ids = [row[0] for row in cursor.fetchall()]

    counters = {}
    calendar = organisation_calendar()
    n = _copy(
        "complaints_complaint",
        COMPLAINT_COLUMNS,
        complaints(
            rng, args.complaints, now, citizen_ids, categories, staff_by_team, calendar, counters
        ),
    )
    for year, last in counters.items():
        ReceiptCounter.objects.update_or_create(year=year, defaults={"last": last})
    print(f"complaints: {n} in {time.monotonic() - started:.0f} s", flush=True)

    events = "INSERT INTO complaints_event (complaint_id, at, kind, from_status, to_status, note, public) "  # noqa: E501
    with connection.cursor() as cursor:  # the received event, and the answer where there is one
        cursor.execute(
            events + "SELECT id, received_at, 'received', '', 'received', '', true "
            "FROM complaints_complaint"
        )
        cursor.execute(
            events + "SELECT id, answered_at, 'answered', 'in_progress', 'answered', '', true "
            "FROM complaints_complaint WHERE answered_at IS NOT NULL"
        )
        cursor.execute("SELECT count(*) FROM complaints_event")
        event_count = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        # what autovacuum does to a database in use: visibility maps (index-only scans
        # need no heap visits) and statistics (the planner sees the real row counts)
        cursor.execute("VACUUM ANALYZE")
    print(f"events: {event_count}; done in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()

"""Shared set-up for benchmarks: Django on a throw-away PostgreSQL database."""

import os
import statistics
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")


@contextmanager
def scratch_database():
    """Create ``test_<name>`` with migrations applied, and drop it afterwards."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def filing_form(category_id: int, csrf: str) -> dict:
    """A public filing form as a citizen posts it: a new submission key and a new phone
    number (a new citizen) each time."""
    return {
        "csrfmiddlewaretoken": csrf,
        "submission_key": str(uuid.uuid4()),
        "category": category_id,
        "title": "벤치마크 민원",
        "body": "보도블록이 깨졌습니다.",
        "name": "김민수",
        "phone": f"010{uuid.uuid4().int % 90000000 + 10000000}",
        "consent_required": "on",
    }


def summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"n={len(ordered)} median={statistics.median(ordered) * 1000:.0f} ms "
        f"p95={p95 * 1000:.0f} ms max={ordered[-1] * 1000:.0f} ms"
    )

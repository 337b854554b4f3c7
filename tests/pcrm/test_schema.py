"""Every index costs each insert and update of its table: an index whose key columns
lead another index of the same table (same operator classes, neither partial) serves no
look-up the other does not, so the project's tables carry none. (Tables Django creates
for many-to-many fields are left out: their single-column index is Django's.)"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

OWN_APPS = {"org", "audit", "notify", "citizens", "complaints", "surveys"}

REDUNDANT = """
SELECT a.indexrelid::regclass::text, b.indexrelid::regclass::text
FROM pg_index a
JOIN pg_index b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
JOIN pg_class ia ON ia.oid = a.indexrelid
JOIN pg_class ib ON ib.oid = b.indexrelid AND ib.relam = ia.relam
JOIN pg_class t ON t.oid = a.indrelid
WHERE NOT a.indisunique
  AND a.indpred IS NULL AND b.indpred IS NULL
  AND a.indexprs IS NULL AND b.indexprs IS NULL
  AND a.indnkeyatts <= b.indnkeyatts
  AND (a.indkey::int2[])[0:a.indnkeyatts - 1] = (b.indkey::int2[])[0:a.indnkeyatts - 1]
  AND (a.indclass::oid[])[0:a.indnkeyatts - 1] = (b.indclass::oid[])[0:a.indnkeyatts - 1]
  AND t.relname = ANY(%s)
ORDER BY 1, 2
"""


def test_no_index_only_repeats_the_leading_columns_of_another():
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OWN_APPS and not model._meta.auto_created
    ]
    assert len(tables) > 30
    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT, [tables])
        assert cursor.fetchall() == []


def test_the_check_finds_a_redundant_index():
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX schema_test_redundant ON complaints_event (complaint_id)")
        cursor.execute(REDUNDANT, [["complaints_event"]])
        assert cursor.fetchall() == [("schema_test_redundant", "event_complaint_at")]

"""Trigram indexes for searching complaint text and finding similar complaints
(PostgreSQL's pg_trgm; other databases search without them)."""

from django.db import migrations

UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS complaint_title_trgm ON complaints_complaint "
    "USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS complaint_body_trgm ON complaints_complaint "
    "USING gin (body gin_trgm_ops)",
]
DOWN = [
    "DROP INDEX IF EXISTS complaint_body_trgm",
    "DROP INDEX IF EXISTS complaint_title_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(_run(UP), _run(DOWN))]

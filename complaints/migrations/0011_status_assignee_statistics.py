"""Extended statistics on (status, assignee): every complaint still 'received' has no
assignee, and without knowing that the planner multiplies the two conditions, expects a
couple of rows in the 'unassigned' inbox tab and joins and sorts all of them."""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS complaint_status_assignee (mcv) "
    "ON status, assignee_id FROM complaints_complaint"
)
DROP = "DROP STATISTICS IF EXISTS complaint_status_assignee"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE complaints_complaint")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_open311_clients")]

    operations = [migrations.RunPython(create, drop)]

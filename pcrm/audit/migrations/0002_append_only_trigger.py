"""The database itself refuses to change or remove access-log rows.

Rows may only be deleted once past their retention: two years, three years for
permission changes (개인정보의 안전성 확보조치 기준). TRUNCATE, a table-wide statement
the application never issues (the test suite's flush does), is left to the table owner.
"""

from django.db import migrations

POSTGRES_UP = r"""
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
DECLARE
    retention interval;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_accesslog is append-only: rows cannot be updated'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    retention := CASE WHEN OLD.action = 'permission_change'
                      THEN interval '3 years' ELSE interval '2 years' END;
    IF OLD.at > now() - retention THEN
        RAISE EXCEPTION 'audit_accesslog is append-only: rows inside retention cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
"""
POSTGRES_DOWN = r"""
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
       BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only: rows cannot be updated'); END""",
    """CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
       WHEN julianday(OLD.at) > julianday('now',
            CASE WHEN OLD.action = 'permission_change' THEN '-3 years' ELSE '-2 years' END)
       BEGIN SELECT RAISE(ABORT,
            'audit_accesslog is append-only: rows inside retention cannot be deleted'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_delete",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}),
        )
    ]

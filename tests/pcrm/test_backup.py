"""A backup restored into an empty database and empty folders holds the same
complaints, citizens and attachments (with the same file contents)."""

import hashlib
import os
import uuid

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from complaints.models import Attachment, Complaint
from tests.factories import CategoryFactory, CitizenFactory, file_complaint
from tests.processes import manage


@pytest.fixture
def empty_database():
    db = connection.settings_dict
    name = f"pcrm_restore_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield {**params, "dbname": name}
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_database(org, tmp_path, settings, empty_database):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore are PostgreSQL's")
    photo = SimpleUploadedFile("사진.pdf", b"%PDF-1.4 backup test", "application/pdf")
    complaint = file_complaint(
        CategoryFactory(team=org.team), attachments=[(photo, "application/pdf")]
    )[0]
    CitizenFactory(name="이순신")
    attachment = Attachment.objects.get()
    call_command("backup", str(tmp_path / "backup"))

    db = empty_database
    restored_files = tmp_path / "restored-private"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['user']}@{db['host']}:{db['port']}/{db['dbname']}",
        "PRIVATE_MEDIA_ROOT": str(restored_files),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    result = manage("restore", str(tmp_path / "backup"), env=env)
    assert result.returncode == 0, result.stderr
    with psycopg2.connect(**db) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT receipt_number FROM complaints_complaint")
        assert [row[0] for row in cursor.fetchall()] == [complaint.receipt_number]
        cursor.execute("SELECT count(*) FROM citizens_citizen")
        assert cursor.fetchone()[0] == 2
        cursor.execute("SELECT file, sha256 FROM complaints_attachment")
        (path, digest), *more = cursor.fetchall()
    assert not more and (path, digest) == (attachment.file.name, attachment.sha256)
    assert hashlib.sha256((restored_files / path).read_bytes()).hexdigest() == digest

    # the restored database is no longer empty: refused
    again = manage("restore", str(tmp_path / "backup"), env=env)
    assert again.returncode != 0 and "비어 있지 않습니다" in again.stderr
    assert Complaint.objects.count() == 1

"""Backup and restore: the PostgreSQL database (``pg_dump`` custom format) and the
uploaded files (complaint attachments and media) in one folder, with a manifest of what
it holds. Restoring goes into an empty database and empty file folders."""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from pcrm.ops import registry

DUMP = "database.dump"
FILES = {"private": "PRIVATE_MEDIA_ROOT", "media": "MEDIA_ROOT"}
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    pass


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise BackupError(_("백업과 복구는 PostgreSQL용입니다 (내장 SQLite는 파일을 복사하세요)."))
    args = ["--dbname", db["NAME"], "--username", db["USER"] or "postgres"]
    if db["HOST"]:
        args += ["--host", db["HOST"]]
    if db["PORT"]:
        args += ["--port", str(db["PORT"])]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    # the PostgreSQL client tools, with arguments from the settings (no shell)
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 실패: %(error)s")
            % {"tool": command[0], "error": result.stderr.strip()[:500]}
        )


def counts() -> dict[str, int]:
    """The row counts the apps registered (pcrm.ops.registry)."""
    return registry.counts()


def backup(target: Path) -> dict:
    """Write the dump, one archive per file folder and the manifest into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    args, env = _pg_env()
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / DUMP), *args], env)
    for name, setting in FILES.items():
        root = Path(getattr(settings, setting))
        with tarfile.open(target / f"{name}.tar.gz", "w:gz") as archive:
            if root.exists():
                archive.add(root, arcname=".")
    manifest = {"made_at": timezone.now().isoformat(), "counts": counts()}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def restore(source: Path) -> dict:
    """Load a backup into the configured (empty) database and file folders."""
    manifest = json.loads((source / MANIFEST).read_text())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        if cursor.fetchone()[0]:
            raise BackupError(
                _("데이터베이스가 비어 있지 않습니다. 새로 만든 빈 데이터베이스에 되살리세요.")
            )
    connection.close()
    args, env = _pg_env()
    _run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(source / DUMP)], env)
    for name, setting in FILES.items():
        root = Path(getattr(settings, setting))
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / f"{name}.tar.gz", "r:gz") as archive:
            archive.extractall(root, filter="data")
    restored = counts()
    if restored != manifest["counts"]:
        raise BackupError(
            _("되살린 개수 %(restored)s가 백업의 %(held)s와 다릅니다.")
            % {"restored": restored, "held": manifest["counts"]}
        )
    return manifest

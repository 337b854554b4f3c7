from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pcrm.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "데이터베이스(pg_dump)와 첨부파일을 한 폴더에 백업합니다."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="백업을 쓸 폴더 (없으면 만듭니다)")

    def handle(self, *args, target, **options):
        try:
            manifest = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{target}: {manifest['counts']}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pcrm.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "backup 명령으로 만든 백업을 비어 있는 데이터베이스와 파일 폴더에 되살립니다."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="backup 명령이 만든 폴더")

    def handle(self, *args, source, **options):
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{source}: {manifest['counts']} ({manifest['made_at']})")

import time

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pcrm.tasks import ping


class Command(BaseCommand):
    help = "작업 큐(Celery)에 작업 하나를 보내고 워커가 처리할 때까지 기다립니다."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0, help="기다릴 최대 초")

    def handle(self, *args, timeout, **options):
        started = time.monotonic()
        result = ping.delay()
        try:
            answer = result.get(timeout=timeout)
        except CeleryTimeoutError:
            raise CommandError(
                _("%(seconds)s초 안에 워커가 응답하지 않았습니다. 워커가 실행 중인지 확인하세요.")
                % {"seconds": f"{timeout:g}"}
            ) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            _("워커 응답: %(answer)s (%(ms)d ms, 작업 %(id)s)")
            % {"answer": answer, "ms": elapsed * 1000, "id": result.id}
        )

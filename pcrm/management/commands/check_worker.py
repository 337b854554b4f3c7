import time

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.management.base import BaseCommand, CommandError

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
                f"{timeout:g}초 안에 워커가 응답하지 않았습니다. 워커가 실행 중인지 확인하세요."
            ) from None
        elapsed = time.monotonic() - started
        self.stdout.write(f"워커 응답: {answer} ({elapsed * 1000:.0f} ms, 작업 {result.id})")

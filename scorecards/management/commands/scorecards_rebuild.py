from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from scorecards import services


class Command(BaseCommand):
    help = (
        "Recompute the scorecard rollups from a date (e.g. after an import) and the stored scores."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            start = date.fromisoformat(options["since"])
            end = date.fromisoformat(options["until"]) if options["until"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"dates are YYYY-MM-DD: {error}") from error
        if end < start:
            raise CommandError("--until is before --since")
        day = start
        while day <= end:  # a month at a time, reporting as it goes
            chunk_end = min(end, day + timedelta(days=30))
            rows = services.rollup_refresh(start=day, end=chunk_end + timedelta(days=1))
            self.stdout.write(f"{day} .. {chunk_end}: {rows} team-days")
            day = chunk_end + timedelta(days=1)
        stored = services.scores_refresh()
        self.stdout.write(self.style.SUCCESS(f"stored scores: {stored}"))

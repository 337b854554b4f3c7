"""Beat sweeps of the scorecards (idempotent: a run recomputes what is due)."""

from celery import shared_task

from scorecards import services


@shared_task
def refresh_scorecards() -> int:
    return services.scorecards_refresh()


@shared_task
def snapshot_scorecards() -> int:
    return services.snapshot_week()

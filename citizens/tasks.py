from celery import shared_task

from citizens import services


@shared_task(name="citizens.tasks.anonymise_inactive_citizens")
def anonymise_inactive_citizens():
    """Daily: anonymise citizens past their retention (idempotent; see the service)."""
    total = 0
    while done := services.anonymise_inactive():
        total += done
    return total

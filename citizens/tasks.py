from celery import shared_task

from citizens import letters, services


@shared_task(name="citizens.tasks.anonymise_inactive_citizens")
def anonymise_inactive_citizens():
    """Daily: anonymise citizens past their retention (idempotent; see the service)."""
    total = 0
    while done := services.anonymise_inactive():
        total += done
    return total


@shared_task(name="citizens.tasks.send_due_letters")
def send_due_letters():
    """Every few minutes: queue the messages of due e-letters (each recipient once)."""
    return letters.send_due_letters()


@shared_task(name="citizens.tasks.expire_flags")
def expire_flags():
    """Flags the service set (a dissatisfied citizen) clear themselves at their end."""
    return services.dissatisfaction_expire()

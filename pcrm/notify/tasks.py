from celery import shared_task

from pcrm.notify import services


@shared_task(name="pcrm.notify.tasks.deliver_queued_messages")
def deliver_queued_messages():
    return services.deliver_queued()


@shared_task(name="pcrm.notify.tasks.deliver_message")
def deliver_message(message_id: int):
    """One message; what versions before ``deliver_queued_messages`` published (tasks
    of theirs may still wait in the broker after an upgrade)."""
    return services.deliver(message_id)


@shared_task(name="pcrm.notify.tasks.deliver_due_messages")
def deliver_due_messages():
    return services.deliver_due()


@shared_task(name="pcrm.notify.tasks.poll_message_receipts")
def poll_message_receipts():
    return services.poll_receipts()

from celery import shared_task

from pcrm.notify import services


@shared_task(name="pcrm.notify.tasks.deliver_message")
def deliver_message(message_id: int):
    return services.deliver(message_id)


@shared_task(name="pcrm.notify.tasks.deliver_due_messages")
def deliver_due_messages():
    return services.deliver_due()

"""Beat sweeps: each loads nothing but due rows and calls a service (idempotent)."""

from celery import shared_task

from surveys import call_reminders, calls, services


@shared_task
def send_survey_reminders() -> int:
    return services.send_survey_reminders()


@shared_task
def send_call_material() -> int:
    return calls.send_call_material()


@shared_task
def build_catch_call_list() -> int:
    return calls.build_catch_call_list()


@shared_task(name="surveys.tasks.sweep_call_reminders")
def sweep_call_reminders() -> int:
    return call_reminders.sweep_call_reminders()

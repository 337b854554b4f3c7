from celery import shared_task
from django.core.management import call_command


@shared_task(name="pcrm.tasks.ping", ignore_result=False)
def ping():
    """Round trip through broker and worker; used by ``manage.py check_worker``."""
    return "pong"


@shared_task(name="pcrm.tasks.clear_expired_sessions")
def clear_expired_sessions():
    call_command("clearsessions")

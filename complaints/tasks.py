from celery import shared_task

from complaints import faq, mine, reminders


@shared_task(name="complaints.tasks.sweep_reminders")
def sweep_reminders():
    return reminders.sweep_reminders()


@shared_task(name="complaints.tasks.send_progress_notices")
def send_progress_notices():
    return reminders.send_progress_notices()


@shared_task(name="complaints.tasks.mail_due_qa_book")
def mail_due_qa_book():
    return faq.mail_due_book()


@shared_task(name="complaints.tasks.purge_access_codes")
def purge_access_codes():
    return mine.codes_purge()

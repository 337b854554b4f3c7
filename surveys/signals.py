import logging

from django.db import transaction
from django.dispatch import receiver

from citizens.signals import citizen_anonymised
from complaints.signals import complaint_answered
from surveys import calls, services

logger = logging.getLogger(__name__)


@receiver(complaint_answered)
def _answered(sender, complaint, answer, **kwargs):
    """Inside the answer's transaction: the survey link and the happy-call task. In a
    savepoint of its own, so that a fault here is logged and never stops an answer."""
    try:
        with transaction.atomic():
            calls.complaint_answered(complaint=complaint, now=answer.at)
    except Exception:
        logger.exception("survey follow-up of complaint %s failed", complaint.pk)


@receiver(citizen_anonymised)
def _citizen_anonymised(sender, citizen_id, **kwargs):
    return services.citizen_answers_erase(citizen_id)

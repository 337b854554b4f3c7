from django.dispatch import receiver

from complaints.signals import complaint_answered
from surveys import services


@receiver(complaint_answered)
def _answered(sender, complaint, answer, **kwargs):
    """Inside the answer's transaction: the survey link and the happy-call task."""
    services.complaint_answered(complaint=complaint, now=answer.at)

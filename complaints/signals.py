from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from complaints.services import recompute_open_deadlines
from pcrm.org.models import TemporaryHoliday


@receiver(post_save, sender=TemporaryHoliday)
@receiver(post_delete, sender=TemporaryHoliday)
def _holidays_changed(sender, **kwargs):
    """A temporary holiday added or removed moves the deadlines of open complaints."""
    recompute_open_deadlines()

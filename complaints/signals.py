from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from citizens.signals import citizen_anonymised
from complaints import selectors
from complaints.models import Category
from complaints.services import citizen_texts_erase, recompute_open_deadlines
from pcrm.lib import refdata
from pcrm.org.models import TemporaryHoliday

# Sent inside the answering transaction with ``complaint`` and ``answer``: later apps
# (surveys: the post-complaint survey and the happy-call) hook in without this app
# importing them, and what they write commits or rolls back with the answer.
complaint_answered = Signal()


@receiver(post_save, sender=TemporaryHoliday)
@receiver(post_delete, sender=TemporaryHoliday)
def _holidays_changed(sender, **kwargs):
    """A temporary holiday added or removed moves the deadlines of open complaints."""
    recompute_open_deadlines()


refdata.forget_on_change(selectors.ACTIVE_CATEGORIES, Category)


@receiver(citizen_anonymised)
def _citizen_anonymised(sender, citizen_id, **kwargs):
    return citizen_texts_erase(citizen_id)

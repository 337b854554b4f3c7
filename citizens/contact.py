"""How a citizen may be reached by messages: the one place that says so.

Statutory notices (and what the citizen just asked for) always go; everything else
stops when the citizen asked not to be contacted or withdrew their consent to the
processing of their complaints' data."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from citizens.consents import COMPLAINT_PROCESSING
from citizens.models import Citizen
from citizens.selectors import has_consent
from pcrm.notify.routing import Recipient
from pcrm.notify.services import ALWAYS_SENT


def recipient_of(citizen: Citizen, template: str) -> Recipient | None:
    """The citizen as ``template``'s message sees them, or ``None`` if it must not go."""
    if citizen.anonymised_at is not None:
        return None
    if template not in ALWAYS_SENT and (
        citizen.do_not_contact or not has_consent(citizen.pk, COMPLAINT_PROCESSING.purpose)
    ):
        return None
    return Recipient(
        phone=citizen.phone,
        email=citizen.email,
        preferred_channel=citizen.preferred_channel,
        language=citizen.preferred_language,
        language_label=_label(citizen),
    )


def _label(citizen: Citizen) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # for the staff's note, in Korean
        return str(citizen.get_preferred_language_display())

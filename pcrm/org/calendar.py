"""The organisation's business calendar: statutory holidays, its temporary holidays and
its working hours (from settings)."""

from django.conf import settings

from pcrm.lib.calendar import BusinessCalendar, WorkingHours
from pcrm.org.models import TemporaryHoliday


def working_hours() -> WorkingHours:
    return WorkingHours(
        settings.WORK_DAY_START, settings.LUNCH_START, settings.LUNCH_END, settings.WORK_DAY_END
    )


def organisation_calendar() -> BusinessCalendar:
    """One query for the temporary holidays; build once per request or job."""
    return BusinessCalendar(
        extra_holidays=TemporaryHoliday.objects.values_list("date", flat=True),
        hours=working_hours(),
    )

"""The organisation's business calendar: statutory holidays, its temporary holidays and
its working hours (from settings). Each process keeps the temporary holidays in memory
until one changes (``pcrm.lib.refdata``)."""

from django.conf import settings

from pcrm.lib import refdata
from pcrm.lib.calendar import BusinessCalendar, WorkingHours
from pcrm.org.models import TemporaryHoliday

HOLIDAYS = "org:temporary-holidays"  # kept in memory (pcrm.lib.refdata)


def working_hours() -> WorkingHours:
    return WorkingHours(
        settings.WORK_DAY_START, settings.LUNCH_START, settings.LUNCH_END, settings.WORK_DAY_END
    )


def temporary_holidays() -> list:
    return refdata.get(
        HOLIDAYS,
        lambda: list(TemporaryHoliday.objects.values_list("date", flat=True)),
    )


def organisation_calendar() -> BusinessCalendar:
    return BusinessCalendar(extra_holidays=temporary_holidays(), hours=working_hours())


# connected here, before complaints' receiver that moves deadlines with the new holidays
refdata.forget_on_change(HOLIDAYS, TemporaryHoliday)

"""The organisation's business calendar: statutory holidays, its temporary holidays and
its working hours (from settings). Temporary holidays are cached until one changes."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pcrm.lib.calendar import BusinessCalendar, WorkingHours
from pcrm.org.models import TemporaryHoliday

_CACHE_KEY = "org:temporary-holidays"


def working_hours() -> WorkingHours:
    return WorkingHours(
        settings.WORK_DAY_START, settings.LUNCH_START, settings.LUNCH_END, settings.WORK_DAY_END
    )


def temporary_holidays() -> list:
    dates = cache.get(_CACHE_KEY)
    if dates is None:
        dates = list(TemporaryHoliday.objects.values_list("date", flat=True))
        cache.set(_CACHE_KEY, dates, timeout=24 * 60 * 60)
    return dates


def organisation_calendar() -> BusinessCalendar:
    return BusinessCalendar(extra_holidays=temporary_holidays(), hours=working_hours())


@receiver(post_save, sender=TemporaryHoliday)
@receiver(post_delete, sender=TemporaryHoliday)
def _forget_holidays(sender, **kwargs):
    cache.delete(_CACHE_KEY)

"""Reference data kept in each process's memory: built once, emptied at once by a change
in this process, and by a change in another process within REFDATA_CHECK_SECONDS."""

from datetime import date

import pytest
from django.core.cache import cache

from pcrm.lib import refdata
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import TemporaryHoliday


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(refdata.time, "monotonic", clock)
    return clock


@pytest.fixture
def builds():
    made = []

    def build():
        made.append(len(made) + 1)
        return f"value {len(made)}"

    return made, build


def test_a_value_is_built_once_and_kept(clock, builds):
    made, build = builds
    assert refdata.get("x", build) == "value 1"
    clock.now += 3600
    assert refdata.get("x", build) == "value 1"
    assert made == [1]


@pytest.mark.django_db
def test_a_change_here_forgets_that_value_at_once(
    clock, builds, django_capture_on_commit_callbacks
):
    refdata.forget_on_change("test:holidays", TemporaryHoliday)
    _made, build = builds
    refdata.get("test:holidays", build)
    refdata.get("other", lambda: "kept")
    with django_capture_on_commit_callbacks(execute=True):
        TemporaryHoliday.objects.create(date=date(2026, 12, 24), name="임시공휴일")
        assert refdata.get("test:holidays", build) == "value 2"  # before the commit, here
        assert refdata.get("other", lambda: "rebuilt") == "kept"  # another table's value
    assert refdata.get("test:holidays", build) == "value 3"  # after it: rebuilt once more


def test_the_calendar_sees_a_new_temporary_holiday_at_once(db):
    assert organisation_calendar().is_working_day(date(2026, 12, 24))
    TemporaryHoliday.objects.create(date=date(2026, 12, 24), name="임시공휴일")
    assert not organisation_calendar().is_working_day(date(2026, 12, 24))


def test_another_process_s_change_is_seen_within_the_check_interval(clock, builds, settings):
    settings.REFDATA_CHECK_SECONDS = 1
    made, build = builds
    refdata.get("x", build)
    # another process changes a category: after its commit the shared token moves
    cache.set(refdata.VERSION_KEY, "another process's change", timeout=None)
    clock.now += 0.5
    assert refdata.get("x", build) == "value 1"  # not looked for yet
    clock.now += 0.6
    assert refdata.get("x", build) == "value 2"
    clock.now += 5
    assert refdata.get("x", build) == "value 2"  # the same token: kept
    assert made == [1, 2]


@pytest.mark.django_db
def test_the_token_moves_only_when_the_change_commits(clock, django_capture_on_commit_callbacks):
    cache.set(refdata.VERSION_KEY, "before", timeout=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        TemporaryHoliday.objects.create(date=date(2026, 12, 24), name="임시공휴일")
    assert cache.get(refdata.VERSION_KEY) == "before"
    for callback in callbacks:
        callback()
    assert cache.get(refdata.VERSION_KEY) not in {None, "before"}


def test_a_flushed_cache_counts_as_a_change(clock, builds):
    _made, build = builds
    cache.set(refdata.VERSION_KEY, "token", timeout=None)
    refdata.get("x", build)
    cache.clear()
    clock.now += 2
    assert refdata.get("x", build) == "value 2"


def test_without_a_shared_cache_nothing_is_kept(clock, builds, settings):
    settings.CACHE_SHARED = False  # another process could not say that rows changed
    made, build = builds
    refdata.get("x", build)
    refdata.get("x", build)
    assert made == [1, 2]

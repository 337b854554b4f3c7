"""The deadline engine against the law's rules: table-driven cases and properties."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcrm.lib.calendar import SEOUL, BusinessCalendar, Period, PeriodError, WorkingHours

CAL = BusinessCalendar()


def kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SEOUL)


# (received, period, expected due) — the first five are the specification's own examples.
CASES = [
    ("2026-11-23T10:00", "3d", "2026-11-26T10:00"),
    ("2026-11-25T11:00", "immediate", "2026-11-25T15:00"),
    ("2026-09-23T10:00", "2d", "2026-09-29T10:00"),  # 추석 24-26, then Sat/Sun
    ("2026-09-23T10:00", "7d", "2026-10-06T18:00"),  # 개천절 substitute on Oct 5
    ("2027-02-01T09:30", "14d", "2027-02-22T18:00"),  # 설날 substitute on Feb 9
    # hours from receipt, skipping lunch
    ("2026-11-23T09:00", "1h", "2026-11-23T10:00"),
    ("2026-11-23T11:30", "1h", "2026-11-23T13:30"),
    ("2026-11-23T09:00", "3h", "2026-11-23T12:00"),  # ends exactly at lunch
    ("2026-11-23T09:00", "8h", "2026-11-23T18:00"),  # ends exactly at close
    ("2026-11-23T09:00", "1d", "2026-11-23T18:00"),
    ("2026-11-23T17:00", "immediate", "2026-11-24T11:00"),
    ("2026-11-23T12:30", "immediate", "2026-11-23T16:00"),  # received at lunch
    ("2026-11-23T07:00", "immediate", "2026-11-23T12:00"),  # before opening
    ("2026-11-23T19:00", "immediate", "2026-11-24T12:00"),  # after closing
    ("2026-11-23T18:00", "1h", "2026-11-24T10:00"),  # at the closing instant
    # weekends
    ("2026-11-27T17:00", "immediate", "2026-11-30T11:00"),  # Friday → Monday
    ("2026-11-28T10:00", "immediate", "2026-11-30T12:00"),  # received on Saturday
    ("2026-11-29T10:00", "1d", "2026-11-30T18:00"),  # received on Sunday
    ("2026-11-27T10:00", "5d", "2026-12-04T10:00"),  # 40 hours over a weekend
    ("2026-11-23T10:00", "4d", "2026-11-27T10:00"),
    # statutory and substitute holidays
    ("2026-12-24T16:00", "immediate", "2026-12-28T10:00"),  # Christmas + weekend
    ("2026-12-31T17:00", "immediate", "2027-01-04T11:00"),  # New Year's Day
    ("2026-05-22T17:00", "1d", "2026-05-26T17:00"),  # 부처님오신날 substitute Mon May 25
    ("2026-05-04T10:00", "2d", "2026-05-07T10:00"),  # 어린이날 Tue May 5
    ("2026-10-08T15:00", "2d", "2026-10-13T15:00"),  # 한글날 Fri Oct 9
    ("2027-02-05T10:00", "immediate", "2027-02-05T14:00"),
    ("2027-02-05T17:00", "immediate", "2027-02-10T11:00"),  # 설날 Feb 6-9
    # day periods: first day included, ends at close
    ("2026-11-23T17:59", "6d", "2026-11-30T18:00"),
    ("2026-11-23T09:00", "10d", "2026-12-04T18:00"),
    ("2026-11-28T10:00", "6d", "2026-12-07T18:00"),  # received Saturday: Monday is day 1
    ("2026-09-22T10:00", "6d", "2026-10-01T18:00"),
    ("2026-12-28T10:00", "7d", "2027-01-06T18:00"),  # over New Year's Day
    ("2026-11-23T19:30", "6d", "2026-11-30T18:00"),  # after hours: the day still counts
    # week periods: calendar days, last day moved off weekends/holidays
    ("2026-11-23T10:00", "1w", "2026-11-30T18:00"),  # last day Sun 29 → Mon 30
    ("2026-11-25T10:00", "1w", "2026-12-01T18:00"),  # last day Tue Dec 1
    ("2026-11-25T10:00", "2w", "2026-12-08T18:00"),
    ("2026-09-18T10:00", "1w", "2026-09-28T18:00"),  # last day Thu 24 추석 → Mon 28
    ("2027-09-09T10:00", "1w", "2027-09-17T18:00"),  # last day Wed 15 추석 → Fri 17
]


@pytest.mark.parametrize(("received", "period", "expected"), CASES)
def test_statutory_deadline(received, period, expected):
    assert CAL.due_at(kst(received), period) == kst(expected)


def test_receipt_in_another_time_zone_is_counted_in_seoul():
    received = datetime.fromisoformat("2026-11-23T01:00+00:00")  # 10:00 in Seoul
    assert CAL.due_at(received, "3d") == kst("2026-11-26T10:00")


def test_temporary_holiday_moves_deadlines():
    with_holiday = BusinessCalendar(extra_holidays=[date(2026, 11, 24)])
    assert with_holiday.due_at(kst("2026-11-23T10:00"), "3d") == kst("2026-11-27T10:00")
    assert with_holiday.due_at(kst("2026-11-23T10:00"), "6d") == kst("2026-12-01T18:00")


def test_configured_working_hours_are_used():
    short_lunch = BusinessCalendar(
        hours=WorkingHours(time(8, 30), time(12), time(12, 30), time(17, 30))
    )
    assert short_lunch.due_at(kst("2026-11-23T11:00"), "immediate") == kst("2026-11-23T14:30")
    assert short_lunch.due_at(kst("2026-11-23T10:00"), "6d") == kst("2026-11-30T17:30")


def test_a_pause_moves_an_hour_deadline_by_the_working_time_paused():
    due = CAL.due_at(kst("2026-11-23T10:00"), "3d")  # Thu 26 10:00
    paused = [(kst("2026-11-24T16:00"), kst("2026-11-25T11:00"))]  # 2 + 2 working hours
    assert CAL.after_pauses(due, "3d", paused) == kst("2026-11-26T15:00")


def test_a_pause_moves_a_day_deadline_to_the_close_of_the_day_reached():
    due = CAL.due_at(kst("2026-11-23T10:00"), "6d")  # Mon 30 18:00
    paused = [(kst("2026-11-24T09:00"), kst("2026-11-26T09:00"))]  # two working days
    assert CAL.after_pauses(due, "6d", paused) == kst("2026-12-02T18:00")


def test_an_open_pause_runs_until_now_and_a_weekend_pause_costs_nothing():
    due = kst("2026-11-26T10:00")
    assert CAL.after_pauses(
        due, "3d", [(kst("2026-11-24T10:00"), None)], now=kst("2026-11-24T12:00")
    ) == kst("2026-11-26T12:00")
    assert CAL.after_pauses(due, "3d", [(kst("2026-11-28T10:00"), kst("2026-11-29T20:00"))]) == due


def test_one_extension_must_land_on_a_later_working_day():
    due = kst("2026-11-30T18:00")
    assert CAL.extended_due_at(due, date(2026, 12, 7)) == kst("2026-12-07T18:00")
    with pytest.raises(ValueError, match="working day"):
        CAL.extended_due_at(due, date(2026, 12, 5))  # Saturday
    with pytest.raises(ValueError, match="after"):
        CAL.extended_due_at(due, date(2026, 11, 27))


@pytest.mark.parametrize(
    ("received", "target"),
    [
        ("2026-11-23T10:00", "2026-11-23T18:00"),
        ("2026-11-23T07:30", "2026-11-23T18:00"),
        ("2026-11-23T18:30", "2026-11-24T18:00"),
        ("2026-11-27T19:00", "2026-11-30T18:00"),
        ("2026-11-28T10:00", "2026-11-30T18:00"),
        ("2026-09-23T18:01", "2026-09-28T18:00"),
    ],
)
def test_same_day_target(received, target):
    assert CAL.same_day_target(kst(received)) == kst(target)


@pytest.mark.parametrize("text", ["", "3", "d", "0d", "-1d", "3m", "immediately", "3 d", "99999d"])
def test_period_parse_rejects_malformed_text(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_period_round_trips():
    for text in ("immediate", "4h", "3d", "10d", "2w"):
        assert str(Period.parse(text)) == text


def test_working_time_between_counts_only_working_segments():
    assert CAL.working_time_between(kst("2026-11-23T11:00"), kst("2026-11-24T10:00")) == timedelta(
        hours=7
    )
    assert CAL.working_time_between(kst("2026-11-28T00:00"), kst("2026-11-30T00:00")) == timedelta(
        0
    )


# --- properties ----------------------------------------------------------------------------
# hypothesis takes naive bounds; every drawn value is made aware in Seoul below
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)).map(  # noqa: DTZ001
    lambda d: d.replace(tzinfo=SEOUL, microsecond=0)
)
periods = st.one_of(
    st.just("immediate"),
    st.integers(1, 40).map(lambda n: f"{n}h"),
    st.integers(1, 30).map(lambda n: f"{n}d"),
    st.integers(1, 8).map(lambda n: f"{n}w"),
)


@settings(max_examples=400, deadline=None)
@given(received=moments, period=periods)
def test_a_deadline_never_falls_outside_working_time(received, period):
    due = CAL.due_at(received, period)
    assert CAL.is_working_time(due)
    assert due > received


@settings(max_examples=400, deadline=None)
@given(
    received=moments,
    later_by=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    period=periods,
)
def test_a_later_receipt_never_gets_an_earlier_deadline(received, later_by, period):
    assert CAL.due_at(received + later_by, period) >= CAL.due_at(received, period)


@settings(max_examples=200, deadline=None)
@given(received=moments, hours=st.integers(1, 60))
def test_hour_periods_contain_exactly_that_much_working_time(received, hours):
    due = CAL.due_at(received, f"{hours}h")
    assert CAL.working_time_between(received, due) == timedelta(hours=hours)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)),
    length=st.integers(-3, 1500),
)
def test_working_days_counts_what_a_day_by_day_walk_counts(start, length):
    cal = BusinessCalendar(extra_holidays=[date(2026, 11, 24), date(2026, 11, 28)])
    end = start + timedelta(days=length)
    walked = sum(1 for n in range(max(0, length)) if cal.is_working_day(start + timedelta(days=n)))
    assert cal.working_days(start, end) == walked


def test_working_days_skips_weekends_holidays_and_temporary_holidays():
    cal = BusinessCalendar(extra_holidays=[date(2026, 11, 24)])
    # 2026-11-23 (Mon) .. 2026-11-30 (Mon): five weekdays, one a temporary holiday
    assert cal.working_days(date(2026, 11, 23), date(2026, 11, 30)) == 4
    # 2026-09-21 (Mon) .. 09-30 (Wed): eight weekdays, Chuseok on Thursday and Friday
    assert CAL.working_days(date(2026, 9, 21), date(2026, 10, 1)) == 6

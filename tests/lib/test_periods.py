"""Reporting periods: months, quarters and halves, their bounds, order and names."""

from datetime import date

import pytest

from pcrm.lib.periods import Period


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 12, 1), "2026-10"),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "2026-11"),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1), "2025-Q4"),
        ("2026-H2", date(2026, 7, 1), date(2027, 1, 1), "2026-H1"),
        ("2026-H1", date(2026, 1, 1), date(2026, 7, 1), "2025-H2"),
    ],
)
def test_periods(text, start, end, previous):
    period = Period.parse(text)
    assert (period.start, period.end, period.code) == (start, end, text)
    assert period.previous().code == previous


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "2026-H3", "26-11", ""])
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)

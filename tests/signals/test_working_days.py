"""Working days (signals.working_days): Monday to Friday without the holidays of the Algemene termijnenwet."""

from __future__ import annotations

import datetime

import pytest

from signals.working_days import (
    add_working_days,
    easter_sunday,
    is_working_day,
    monarch_day,
    public_holidays,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2000, D(2000, 4, 23)), (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)),
     (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28)), (2038, D(2038, 4, 25))],
)  # fmt: skip
def test_it_knows_easter(year, easter):
    assert easter_sunday(year) == easter


def test_it_knows_the_holidays_of_the_algemene_termijnenwet():
    assert sorted(public_holidays(2026)) == [
        D(2026, 1, 1),  # Nieuwjaarsdag
        D(2026, 4, 6),  # tweede paasdag
        D(2026, 4, 27),  # Koningsdag
        D(2026, 5, 5),  # 5 mei
        D(2026, 5, 14),  # Hemelvaartsdag
        D(2026, 5, 25),  # tweede pinksterdag
        D(2026, 12, 25),
        D(2026, 12, 26),
    ]
    # Good Friday is not one of them.
    assert is_working_day(D(2026, 4, 3))


def test_kings_day_is_the_saturday_before_when_the_27th_is_a_sunday():
    assert monarch_day(2025) == D(2025, 4, 26)
    assert monarch_day(2026) == D(2026, 4, 27)
    # Queen's Day before 2014: 30 April, or the 29th when that was a Sunday.
    assert monarch_day(2013) == D(2013, 4, 30)
    assert monarch_day(2006) == D(2006, 4, 29)


def test_it_skips_weekends_and_holidays():
    # Filed on Friday 3 April 2026: the weekend and Easter Monday do not count.
    assert add_working_days(D(2026, 4, 3), 5) == D(2026, 4, 13)
    # An ordinary week: Monday + 5 is the next Monday.
    assert add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    # Thursday 24 December 2026 + 3: Christmas (Friday), Boxing Day and the Sunday do not count.
    assert add_working_days(D(2026, 12, 24), 3) == D(2026, 12, 30)
    # Filed on a Saturday: the clock starts on Monday.
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(D(2026, 4, 3), D(2026, 4, 13)) == 5
    assert working_days_between(D(2026, 4, 3), D(2026, 4, 3)) == 0
    assert working_days_between(D(2026, 4, 13), D(2026, 4, 3)) == 0
    for days in (1, 5, 30, 100):
        start = D(2026, 12, 18)
        assert working_days_between(start, add_working_days(start, days)) == days


def test_zero_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 5), 0)

"""Working days: Monday to Friday, except the public holidays of the Algemene termijnenwet.

A ministry acknowledges and answers a signal "within N working days". Which
days count is the rule Dutch law uses for deadlines of and towards the
government, the Algemene termijnenwet (article 3): not Saturdays and Sundays,
and not the *algemeen erkende feestdagen*: New Year's Day, Easter Monday,
Ascension Day, Whit Monday, Christmas Day and Boxing Day, the day the King's
(or Queen's) birthday is celebrated, and 5 May. Good Friday is not one of
them. Easter and Whit Sunday fall on Sundays anyway.

King's Day is 27 April, or 26 April when the 27th is a Sunday (since 2014);
before that Queen's Day was 30 April, or 29 April when the 30th was a Sunday.

Plain Python, no database: ``tests/signals/test_working_days.py``.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

ONE_DAY = datetime.timedelta(days=1)


def easter_sunday(year: int) -> datetime.date:
    """Western (Gregorian) Easter: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def monarch_day(year: int) -> datetime.date:
    day = datetime.date(year, 4, 27) if year >= 2014 else datetime.date(year, 4, 30)
    # Never celebrated on a Sunday: the Saturday before.
    return day - ONE_DAY if day.weekday() == 6 else day


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[datetime.date]:
    """The algemeen erkende feestdagen of ``year`` (Algemene termijnenwet, article 3)."""
    easter = easter_sunday(year)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            easter + datetime.timedelta(days=1),  # Easter Monday
            easter + datetime.timedelta(days=39),  # Ascension Day
            easter + datetime.timedelta(days=50),  # Whit Monday
            monarch_day(year),
            datetime.date(year, 5, 5),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
        }
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count; ``days`` >= 1).

    Filed on Friday 3 April 2026 with 5 working days: the weekend and Easter
    Monday (6 April) do not count, so the due date is Monday 13 April.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    # Day by day: a signal is answered within months, so this is at most a few hundred steps.
    total = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day):
            total += 1
    return total

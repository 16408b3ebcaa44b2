"""The school calendar of the demo registrations: Danish school holidays
(Easter included), weekly session dates that skip them, whole months
added to a day, and the plan's school terms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
MON, TUE, WED, THU = 0, 1, 2, 3


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the Meeus/Jones/Butcher Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return D(year, month, day + 1)


def school_holiday(day: datetime.date) -> bool:
    """Danish school holidays, roughly: July (the summer holiday), the
    winter holiday (week 7), the autumn holiday (week 42), Christmas
    (21 December to 2 January) and Easter (Palm Sunday to Easter Monday)."""
    if day.month == 7 or day.isocalendar().week in (7, 42):
        return True
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2):
        return True
    easter = _easter(day.year)
    return easter - WEEK <= day <= easter + DAY


def _weekly(
    first: datetime.date, weekday: int, count: int, last: datetime.date
) -> list[datetime.date]:
    """Up to ``count`` dates on ``weekday`` from ``first``, one a week,
    skipping school holidays, none after ``last``."""
    day = first + DAY * ((weekday - first.weekday()) % 7)
    dates: list[datetime.date] = []
    while len(dates) < count and day <= last:
        if not school_holiday(day):
            dates.append(day)
        day += WEEK
    return dates


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return D(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Term:
    """Half a school year: spring (January-June) or autumn (August-December)."""

    name: str
    first: datetime.date
    last: datetime.date

    def at(self, weeks: int) -> datetime.date:
        return self.first + WEEK * weeks


def _terms(start: datetime.date, end: datetime.date) -> list[_Term]:
    terms = []
    for year in range(start.year, end.year + 1):
        for name, first, last in (
            (f"forår {year}", D(year, 1, 6), D(year, 6, 24)),
            (f"efterår {year}", D(year, 8, 11), D(year, 12, 19)),
        ):
            if first >= start and last <= end:
                terms.append(_Term(name, first, last))
    return terms

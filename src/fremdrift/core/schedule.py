"""A course's sessions planned as a series: the same weekday every week (or
every N weeks) between two dates, with holidays left out."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SERIES = 200


@dataclass(frozen=True, slots=True)
class DateRange:
    """A holiday: the days from ``first`` to ``last``, both included (one
    day when they are the same)."""

    first: datetime.date
    last: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.first <= day <= self.last


def series_dates(
    *,
    first: datetime.date,
    last: datetime.date,
    weekday: int,
    every_weeks: int = 1,
    skipped: Sequence[DateRange] = (),
) -> list[datetime.date]:
    """The days of a series, earliest first.

    The series starts on the first ``weekday`` (0 Monday ... 6 Sunday) on
    or after ``first`` and repeats every ``every_weeks`` weeks up to and
    including ``last``. A day inside one of the ``skipped`` ranges is left
    out without moving the rest: a series every other week keeps its
    rhythm across a holiday. No days when ``last`` comes before the first
    such weekday. At most ``MAX_SERIES`` days, so that a mistyped year
    cannot plan thousands of sessions; ``ValueError`` for a weekday
    outside 0-6 or a step below one week."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
    if every_weeks < 1:
        raise ValueError(f"every_weeks must be at least 1, not {every_weeks}")
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    step = datetime.timedelta(weeks=every_weeks)
    days: list[datetime.date] = []
    while day <= last and len(days) < MAX_SERIES:
        if not any(day in holiday for holiday in skipped):
            days.append(day)
        day += step
    return days

"""A course's sessions as a series: the weekday, the step, the holidays."""

from __future__ import annotations

import datetime

import pytest

from fremdrift.core.schedule import MAX_SERIES, DateRange, series_dates

D = datetime.date
AUTUMN = DateRange(D(2025, 10, 13), D(2025, 10, 17))


@pytest.mark.parametrize(
    ("first", "last", "weekday", "every", "skipped", "expected"),
    [
        pytest.param(
            D(2025, 9, 30),
            D(2025, 10, 28),
            1,
            1,
            (),
            [
                D(2025, 9, 30),
                D(2025, 10, 7),
                D(2025, 10, 14),
                D(2025, 10, 21),
                D(2025, 10, 28),
            ],
            id="weekly-from-a-tuesday-to-a-tuesday-both-included",
        ),
        pytest.param(
            D(2025, 9, 30),
            D(2025, 10, 28),
            1,
            1,
            (AUTUMN,),
            [D(2025, 9, 30), D(2025, 10, 7), D(2025, 10, 21), D(2025, 10, 28)],
            id="the-autumn-holiday-week-is-left-out",
        ),
        pytest.param(
            D(2025, 9, 29),
            D(2025, 11, 10),
            1,
            2,
            (DateRange(D(2025, 10, 14), D(2025, 10, 14)),),
            [D(2025, 9, 30), D(2025, 10, 28)],
            id="every-other-week-keeps-its-rhythm-across-a-skipped-day",
        ),
        pytest.param(
            D(2025, 10, 1),
            D(2025, 10, 6),
            1,
            1,
            (),
            [],
            id="no-such-weekday-before-the-last-day",
        ),
        pytest.param(
            D(2025, 10, 1),
            D(2025, 10, 1),
            2,
            1,
            (),
            [D(2025, 10, 1)],
            id="one-day-that-is-the-weekday",
        ),
    ],
)
def test_series_dates(first, last, weekday, every, skipped, expected) -> None:  # type: ignore[no-untyped-def]
    assert (
        series_dates(
            first=first,
            last=last,
            weekday=weekday,
            every_weeks=every,
            skipped=skipped,
        )
        == expected
    )


def test_a_mistyped_year_plans_at_most_max_series_sessions() -> None:
    days = series_dates(first=D(2025, 1, 1), last=D(2035, 1, 1), weekday=0)
    assert len(days) == MAX_SERIES


@pytest.mark.parametrize(("weekday", "every"), [(7, 1), (-1, 1), (0, 0)])
def test_a_weekday_outside_the_week_or_a_zero_step_is_refused(weekday, every) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        series_dates(
            first=D(2025, 1, 1), last=D(2025, 2, 1), weekday=weekday, every_weeks=every
        )

"""Period codes: every documented form, ordering, overlap and bad codes."""

from datetime import date

import pytest

from fremdrift.core.model import Period
from fremdrift.core.periods import (
    PeriodError,
    PeriodForm,
    contains,
    overlaps,
    parse_period,
    period_form,
    period_sort_key,
    span_of,
    tertial_of,
)


@pytest.mark.parametrize(
    ("code", "start", "end", "form"),
    [
        pytest.param(
            "2021", date(2021, 1, 1), date(2021, 12, 31), PeriodForm.YEAR, id="year"
        ),
        pytest.param(
            "2020/21",
            date(2020, 8, 1),
            date(2021, 7, 31),
            PeriodForm.SCHOOL_YEAR,
            id="school-year",
        ),
        pytest.param(
            "2099/00",
            date(2099, 8, 1),
            date(2100, 7, 31),
            PeriodForm.SCHOOL_YEAR,
            id="school-year-across-a-century",
        ),
        pytest.param(
            "2017-2021",
            date(2017, 1, 1),
            date(2021, 12, 31),
            PeriodForm.YEAR_SPAN,
            id="span",
        ),
        pytest.param(
            "2021-2021",
            date(2021, 1, 1),
            date(2021, 12, 31),
            PeriodForm.YEAR_SPAN,
            id="span-of-one-year",
        ),
        pytest.param(
            "2021K1",
            date(2021, 1, 1),
            date(2021, 3, 31),
            PeriodForm.QUARTER,
            id="first-quarter",
        ),
        pytest.param(
            "2021K3",
            date(2021, 7, 1),
            date(2021, 9, 30),
            PeriodForm.QUARTER,
            id="third-quarter",
        ),
        pytest.param(
            "2021K4",
            date(2021, 10, 1),
            date(2021, 12, 31),
            PeriodForm.QUARTER,
            id="fourth-quarter",
        ),
        pytest.param(
            "2021M08",
            date(2021, 8, 1),
            date(2021, 8, 31),
            PeriodForm.MONTH,
            id="month",
        ),
        pytest.param(
            "2020M02",
            date(2020, 2, 1),
            date(2020, 2, 29),
            PeriodForm.MONTH,
            id="february-in-a-leap-year",
        ),
        pytest.param(
            "2021M12",
            date(2021, 12, 1),
            date(2021, 12, 31),
            PeriodForm.MONTH,
            id="december",
        ),
        pytest.param(
            "2021T1",
            date(2021, 1, 1),
            date(2021, 4, 30),
            PeriodForm.TERTIAL,
            id="tertial-1",
        ),
        pytest.param(
            "2021T2",
            date(2021, 5, 1),
            date(2021, 8, 31),
            PeriodForm.TERTIAL,
            id="tertial-2",
        ),
        pytest.param(
            "2021T3",
            date(2021, 9, 1),
            date(2021, 12, 31),
            PeriodForm.TERTIAL,
            id="tertial-3",
        ),
        pytest.param(
            "2017-06-01",
            date(2017, 6, 1),
            date(2017, 6, 1),
            PeriodForm.DATE,
            id="single-date",
        ),
        pytest.param(
            "2020-07-01..2021-06-30",
            date(2020, 7, 1),
            date(2021, 6, 30),
            PeriodForm.DATE_RANGE,
            id="date-range",
        ),
        pytest.param(
            "2021-06-30..2021-06-30",
            date(2021, 6, 30),
            date(2021, 6, 30),
            PeriodForm.DATE_RANGE,
            id="date-range-of-one-day",
        ),
    ],
)
def test_parse_period_gives_inclusive_dates(code, start, end, form):
    assert parse_period(code) == Period(code=code, start=start, end=end)
    assert period_form(code) is form


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        pytest.param("2021M13", "a month is 01-12", id="month-13"),
        pytest.param("2021M00", "a month is 01-12", id="month-0"),
        pytest.param("2021K5", "a quarter is 1-4", id="quarter-5"),
        pytest.param("2021K0", "a quarter is 1-4", id="quarter-0"),
        pytest.param("2021T4", "a tertial is 1-3", id="tertial-4"),
        pytest.param("2020/22", "second part must be 21", id="school-year-gap"),
        pytest.param("2020/20", "second part must be 21", id="school-year-same"),
        pytest.param("2021-2017", "ends before it starts", id="span-backwards"),
        pytest.param(
            "2021-06-30..2020-07-01", "ends before it starts", id="range-backwards"
        ),
        pytest.param("2021-02-30", "day is out of range", id="30-february"),
        pytest.param("0000", "year 0 is out of range", id="year-0"),
        pytest.param("21", "not a recognised period form", id="two-digit-year"),
        pytest.param("2021k3", "not a recognised period form", id="lower-case-k"),
        pytest.param(" 2021", "not a recognised period form", id="leading-space"),
        pytest.param("2021Q3", "not a recognised period form", id="english-quarter"),
        pytest.param("", "not a recognised period form", id="empty"),
    ],
)
def test_parse_period_rejects_bad_codes_with_a_clear_message(code, reason):
    with pytest.raises(PeriodError) as raised:
        parse_period(code)
    message = str(raised.value)
    assert repr(code) in message
    assert reason in message
    assert "YYYY-MM-DD..YYYY-MM-DD" in message
    assert isinstance(raised.value, ValueError)


def test_period_sort_key_orders_by_end_then_start():
    codes = ["2017-2021", "2021", "2020/21", "2019", "2021T3", "2021M12"]
    ordered = sorted((parse_period(c) for c in codes), key=period_sort_key)
    assert [p.code for p in ordered] == [
        "2019",
        "2020/21",
        "2017-2021",
        "2021",
        "2021T3",
        "2021M12",
    ]


@pytest.mark.parametrize(
    ("code", "start", "end", "expected"),
    [
        pytest.param("2021", date(2021, 12, 31), date(2022, 6, 1), True, id="touch"),
        pytest.param("2021", date(2022, 1, 1), date(2022, 6, 1), False, id="after"),
        pytest.param("2021", date(2020, 1, 1), date(2020, 12, 31), False, id="before"),
        pytest.param("2021T2", date(2021, 1, 1), date(2021, 12, 31), True, id="inside"),
        pytest.param("2017-2021", date(2019, 3, 1), date(2019, 3, 1), True, id="wrap"),
    ],
)
def test_overlaps_is_inclusive(code, start, end, expected):
    assert overlaps(parse_period(code), start, end) is expected


@pytest.mark.parametrize(
    ("day", "code"),
    [
        pytest.param(date(2021, 1, 1), "2021T1", id="first-day-of-t1"),
        pytest.param(date(2021, 4, 30), "2021T1", id="last-day-of-t1"),
        pytest.param(date(2021, 5, 1), "2021T2", id="first-day-of-t2"),
        pytest.param(date(2021, 8, 31), "2021T2", id="last-day-of-t2"),
        pytest.param(date(2021, 9, 1), "2021T3", id="first-day-of-t3"),
        pytest.param(date(2021, 12, 31), "2021T3", id="last-day-of-t3"),
    ],
)
def test_tertial_of_gives_the_progress_report_period(day, code):
    tertial = tertial_of(day)
    assert tertial.code == code
    assert contains(tertial, day)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        pytest.param(["2017", "2019", "2021"], "2017-2021", id="whole-years"),
        pytest.param(["2021T1", "2021T3"], "2021", id="one-whole-year"),
        pytest.param(["2021"], "2021", id="one-period-keeps-its-code"),
        pytest.param(["2020/21", "2021/22"], "2020-08-01..2022-07-31", id="dates"),
    ],
)
def test_span_of_covers_all_periods(codes, expected):
    assert span_of(parse_period(c) for c in codes).code == expected


def test_span_of_refuses_nothing():
    with pytest.raises(ValueError, match="at least one period"):
        span_of([])

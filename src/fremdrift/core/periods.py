"""Period codes: parsing, ordering and overlap.

A period code is the string a plan file uses for the time a value belongs to
(see ``docs/plan-format.md``). Every code maps to an inclusive date interval;
nothing here knows about time zones because a period is a stretch of calendar
days, not of instants.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date, timedelta

from fremdrift.core.model import Period

ACCEPTED_FORMS = (
    "YYYY (calendar year, '2021')",
    "YYYY/YY (school year 1 Aug-31 Jul, '2020/21')",
    "YYYY-YYYY (span of whole years, '2017-2021')",
    "YYYYKq (quarter 1-4, '2021K3')",
    "YYYYMmm (month 01-12, '2021M08')",
    "YYYYTt (tertial 1-3, '2021T2')",
    "YYYY-MM-DD (a single date, '2017-06-01')",
    "YYYY-MM-DD..YYYY-MM-DD (a date range, '2020-07-01..2021-06-30')",
)


class PeriodError(ValueError):
    """A period code that is malformed or names an impossible period."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(
            f"invalid period {code!r}: {reason}; accepted forms: "
            + ", ".join(ACCEPTED_FORMS)
        )


class PeriodForm(enum.StrEnum):
    """Which of the documented forms a period code is written in."""

    YEAR = "year"
    SCHOOL_YEAR = "school_year"
    YEAR_SPAN = "year_span"
    QUARTER = "quarter"
    MONTH = "month"
    TERTIAL = "tertial"
    DATE = "date"
    DATE_RANGE = "date_range"


_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_PATTERNS: tuple[tuple[PeriodForm, re.Pattern[str]], ...] = (
    (PeriodForm.YEAR, re.compile(r"(\d{4})")),
    (PeriodForm.SCHOOL_YEAR, re.compile(r"(\d{4})/(\d{2})")),
    (PeriodForm.YEAR_SPAN, re.compile(r"(\d{4})-(\d{4})")),
    (PeriodForm.QUARTER, re.compile(r"(\d{4})K(\d)")),
    (PeriodForm.MONTH, re.compile(r"(\d{4})M(\d{2})")),
    (PeriodForm.TERTIAL, re.compile(r"(\d{4})T(\d)")),
    (PeriodForm.DATE, re.compile(_DATE)),
    (PeriodForm.DATE_RANGE, re.compile(_DATE + r"\.\." + _DATE)),
)


def _month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _interval(form: PeriodForm, code: str, parts: list[int]) -> tuple[date, date]:
    """Inclusive (start, end) for a code already matched to ``form``.

    Raises ``PeriodError`` for numbers outside their range; ``date`` raises
    ``ValueError`` for impossible days, which the caller translates.
    """
    year = parts[0]
    if form is PeriodForm.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    if form is PeriodForm.SCHOOL_YEAR:
        if parts[1] != (year + 1) % 100:
            raise PeriodError(
                code, f"a school year's second part must be {(year + 1) % 100:02d}"
            )
        return date(year, 8, 1), date(year + 1, 7, 31)
    if form is PeriodForm.YEAR_SPAN:
        if parts[1] < year:
            raise PeriodError(code, "the span ends before it starts")
        return date(year, 1, 1), date(parts[1], 12, 31)
    if form is PeriodForm.QUARTER:
        if not 1 <= parts[1] <= 4:
            raise PeriodError(code, "a quarter is 1-4")
        first = 3 * parts[1] - 2
        return date(year, first, 1), _month_end(year, first + 2)
    if form is PeriodForm.MONTH:
        if not 1 <= parts[1] <= 12:
            raise PeriodError(code, "a month is 01-12")
        return date(year, parts[1], 1), _month_end(year, parts[1])
    if form is PeriodForm.TERTIAL:
        if not 1 <= parts[1] <= 3:
            raise PeriodError(code, "a tertial is 1-3")
        first = 4 * parts[1] - 3
        return date(year, first, 1), _month_end(year, first + 3)
    if form is PeriodForm.DATE:
        day = date(*parts)
        return day, day
    start, end = date(*parts[:3]), date(*parts[3:])
    if end < start:
        raise PeriodError(code, "the range ends before it starts")
    return start, end


def _match(code: str) -> tuple[PeriodForm, list[int]] | None:
    for form, pattern in _PATTERNS:
        found = pattern.fullmatch(code)
        if found:
            return form, [int(group) for group in found.groups()]
    return None


def period_form(code: str) -> PeriodForm:
    """The form ``code`` is written in.

    Only the shape is checked; use ``parse_period`` to validate the numbers.
    Raises ``PeriodError`` when the code has none of the accepted shapes.
    """
    matched = _match(code)
    if matched is None:
        raise PeriodError(code, "not a recognised period form")
    return matched[0]


def parse_period(code: str) -> Period:
    """Parse a period code into a ``Period`` with inclusive start and end.

    Forms (``docs/plan-format.md``): ``YYYY`` is 1 Jan-31 Dec; ``YYYY/YY`` a
    school year 1 Aug-31 Jul whose second part must be the first year + 1
    (two digits, so ``2099/00`` is valid); ``YYYY-YYYY`` 1 Jan of the first
    to 31 Dec of the last year (one year, ``2021-2021``, is allowed);
    ``YYYYKq`` quarter q in 1-4; ``YYYYMmm`` month 01-12; ``YYYYTt`` tertial
    t in 1-3 (T1 Jan-Apr, T2 May-Aug, T3 Sep-Dec); ``YYYY-MM-DD`` a single
    day; ``YYYY-MM-DD..YYYY-MM-DD`` a range whose end may equal its start.

    The code must be written exactly so: no surrounding whitespace, upper-case
    ``K``/``M``/``T``. Anything else, and impossible values (month 13,
    quarter 5, 30 February, a range ending before it starts, year 0), raise
    ``PeriodError`` naming the code and listing the accepted forms.
    """
    matched = _match(code)
    if matched is None:
        raise PeriodError(code, "not a recognised period form")
    form, parts = matched
    try:
        start, end = _interval(form, code, parts)
    except PeriodError:
        raise
    except ValueError as error:
        # date() refuses year 0, month 13, 30 February and the like.
        raise PeriodError(code, str(error)) from error
    return Period(code=code, start=start, end=end)


def period_sort_key(period: Period) -> tuple[date, date]:
    """Sort key that orders periods by end date, then by start date.

    Ordering by end first puts a span such as ``2017-2021`` after the years
    it ends with, which is where a reader expects the latest figure.
    """
    return period.end, period.start


def overlaps(period: Period, start: date, end: date) -> bool:
    """Whether ``period`` shares at least one day with ``[start, end]``.

    Both intervals are inclusive, so touching on one day counts as overlap.
    """
    return period.start <= end and start <= period.end


def contains(period: Period, day: date) -> bool:
    """Whether ``day`` lies in ``period`` (inclusive at both ends)."""
    return period.start <= day <= period.end


def tertial_of(day: date) -> Period:
    """The tertial (progress-report period) that ``day`` falls in.

    T1 is January-April, T2 May-August, T3 September-December; the result
    is a parsed ``Period`` with a code such as ``2021T2``.
    """
    return parse_period(f"{day.year}T{(day.month - 1) // 4 + 1}")


def span_of(periods: Iterable[Period]) -> Period:
    """The smallest period that covers all of ``periods``.

    The code is the most natural form for the covering interval: ``2021``
    or ``2017-2021`` when it is whole calendar years, a single date when it is
    one day, else ``YYYY-MM-DD..YYYY-MM-DD``. Raises ``ValueError`` on an
    empty input.
    """
    items = list(periods)
    if not items:
        raise ValueError("span_of needs at least one period")
    start = min(p.start for p in items)
    end = max(p.end for p in items)
    if len({(p.start, p.end) for p in items}) == 1:
        return items[0]
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        single = start.year == end.year
        code = str(start.year) if single else f"{start.year}-{end.year}"
    elif start == end:
        code = start.isoformat()
    else:
        code = f"{start.isoformat()}..{end.isoformat()}"
    return Period(code=code, start=start, end=end)

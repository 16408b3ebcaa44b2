"""Danish formatting of numbers, values, dates, periods and verdict labels.

Conventions (Retskrivningsordbogen / Dansk Sprognævn): decimal comma,
full stop as thousands separator (``1.713``), a space before ``%``
(``8,2 %``), dates as ``1. juni 2017``. Rounding for display is half up (away
from zero), which is what readers of printed reports expect; ``Decimal``'s
own default, half even, would print 0,125 as ``0,12``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fremdrift.core.model import Outcome, Pace, Period, Unit
from fremdrift.core.periods import PeriodError, PeriodForm, parse_period, period_form

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

OUTCOME_LABELS = {
    Outcome.ACHIEVED: "opnået",
    Outcome.NOT_ACHIEVED: "ikke opnået",
    Outcome.PARTLY_ACHIEVED: "delvist opnået",
    Outcome.NOT_MEASURABLE: "kan ikke måles",
    Outcome.PENDING: "i gang",
}

PACE_LABELS = {Pace.ON_TRACK: "i rute", Pace.OFF_TRACK: "bagud"}


def _group_thousands(digits: str) -> str:
    """``"84000000"`` -> ``"84.000.000"``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]]
    groups += [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def format_number(value: Decimal | int, decimals: int | None = None) -> str:
    """A number in Danish notation: ``1.713``, ``8,2``, ``-39,9``, ``0,68``.

    With ``decimals`` the value is rounded half up to that many places and
    trailing zeros are kept (``format_number(Decimal(8), 1)`` is ``8,0``).
    With ``decimals=None`` the value keeps its own significant decimals:
    trailing zeros are dropped (``8.20`` -> ``8,2``) and exponents are written
    out (``1E+3`` -> ``1.000``). A value that rounds to zero is printed
    without a sign, never ``-0``. NaN and infinities raise ``ValueError``:
    there is no honest way to print them in a report.
    """
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r} as a Danish number")
    if decimals is not None:
        if decimals < 0:
            raise ValueError("decimals must be zero or more")
        number = number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    elif number == number.to_integral_value():
        # normalize() would write 1000 as 1E+3; an integer needs no exponent.
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    if number.is_zero():
        number = abs(number)
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    result = sign + _group_thousands(integer)
    return f"{result},{fraction}" if fraction else result


def format_value(
    value: Decimal | int,
    unit: Unit,
    unit_label: str = "",
    *,
    decimals: int | None = None,
) -> str:
    """A value with its unit, in Danish.

    percent: ``8,2 %`` (the label is not shown: the unit says it all);
    per_1000: ``22,2 pr. 1.000 beboere``, where ``unit_label`` replaces
    ``beboere`` as the population noun when given; count and mean: the number
    followed by the label when there is one (``111 unge``,
    ``14,3 fraværsdage``). ``decimals`` is passed to ``format_number``.
    """
    number = format_number(value, decimals)
    if unit is Unit.PERCENT:
        return f"{number} %"
    if unit is Unit.PER_1000:
        return f"{number} pr. 1.000 {unit_label or 'beboere'}"
    return f"{number} {unit_label}" if unit_label else number


def format_date(day: date) -> str:
    """A date as Danish prose: ``1. juni 2017``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _range_text(period: Period) -> str:
    return f"{format_date(period.start)}-{format_date(period.end)}"


def _form_of(period: Period) -> PeriodForm | None:
    """The form of ``period.code``, or None when the code is not a valid one
    (a period built by hand); such a period is shown by its dates."""
    try:
        parse_period(period.code)
    except PeriodError:
        return None
    return period_form(period.code)


def format_period(period: Period) -> str:
    """A period as Danish prose, by the form of its code.

    ``2021``; ``skoleåret 2020/21``; ``2017-2021``; ``3. kvartal 2021``;
    ``august 2021``; ``1. tertial 2021``; a date ``1. juni 2017``; a range
    ``1. juli 2020-30. juni 2021``. A period whose code is not a valid
    period code is shown by its dates (one date when start equals end).
    """
    form = _form_of(period)
    year = period.start.year
    match form:
        case PeriodForm.YEAR | PeriodForm.YEAR_SPAN:
            return period.code
        case PeriodForm.SCHOOL_YEAR:
            return f"skoleåret {period.code}"
        case PeriodForm.QUARTER:
            return f"{period.code[-1]}. kvartal {year}"
        case PeriodForm.MONTH:
            return f"{MONTHS[period.start.month - 1]} {year}"
        case PeriodForm.TERTIAL:
            return f"{period.code[-1]}. tertial {year}"
        case PeriodForm.DATE:
            return format_date(period.start)
    if period.start == period.end:
        return format_date(period.start)
    return _range_text(period)


def period_phrase(period: Period) -> str:
    """A period with the preposition Danish prose needs after a value.

    ``i 2020``, ``i skoleåret 2020/21``, ``i august 2021``; a single date is
    a count as of that day, ``pr. 1. juni 2017``; a date range reads
    ``i perioden 1. juli 2020-30. juni 2021``.
    """
    form = _form_of(period)
    if form is PeriodForm.DATE or (form is None and period.start == period.end):
        return f"pr. {format_date(period.start)}"
    if form is PeriodForm.DATE_RANGE or form is None:
        return f"i perioden {_range_text(period)}"
    return f"i {format_period(period)}"


def outcome_label(outcome: Outcome) -> str:
    """The Danish label of an outcome, lower case: ``opnået``,
    ``ikke opnået``, ``delvist opnået``, ``kan ikke måles``, ``i gang``."""
    return OUTCOME_LABELS[outcome]


def pace_label(pace: Pace) -> str:
    """The Danish label of a pace, lower case: ``i rute``, ``bagud``."""
    return PACE_LABELS[pace]

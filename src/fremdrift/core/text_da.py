"""Formatting of numbers, values, dates, periods and verdict labels, in the
current language (``fremdrift.core.i18n``; Danish unless told otherwise).

Danish conventions (Retskrivningsordbogen / Dansk Sprognævn): decimal comma,
full stop as thousands separator (``1.713``), a space before ``%``
(``8,2 %``), dates as ``1. juni 2017``. English: ``1,713``, ``8.2%``,
``1 June 2017``. Rounding for display is half up (away from zero), which is
what readers of printed reports expect; ``Decimal``'s own default, half
even, would print 0,125 as ``0,12``.

The module keeps its name: the Danish texts are the message ids, and the
English ones come from the catalogue.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fremdrift.core.i18n import _, get_language, gettext_noop, pgettext
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


def _month(number: int) -> str:
    """The name of month ``number`` (1-12) in the current language."""
    # The literal calls let makemessages find every month name.
    names = (
        pgettext("month", "januar"),
        pgettext("month", "februar"),
        pgettext("month", "marts"),
        pgettext("month", "april"),
        pgettext("month", "maj"),
        pgettext("month", "juni"),
        pgettext("month", "juli"),
        pgettext("month", "august"),
        pgettext("month", "september"),
        pgettext("month", "oktober"),
        pgettext("month", "november"),
        pgettext("month", "december"),
    )
    return names[number - 1]


OUTCOME_LABELS = {
    Outcome.ACHIEVED: gettext_noop("opnået"),
    Outcome.NOT_ACHIEVED: gettext_noop("ikke opnået"),
    Outcome.PARTLY_ACHIEVED: gettext_noop("delvist opnået"),
    Outcome.NOT_MEASURABLE: gettext_noop("kan ikke måles"),
    Outcome.PENDING: gettext_noop("i gang"),
}

PACE_LABELS = {
    Pace.ON_TRACK: gettext_noop("i rute"),
    Pace.AT_RISK: gettext_noop("i risiko"),
    Pace.OFF_TRACK: gettext_noop("bagud"),
}

# (thousands separator, decimal separator, text between a number and "%")
_NUMBER_STYLE = {"da": (".", ",", " "), "en": (",", ".", "")}


def number_separators() -> tuple[str, str]:
    """The current language's (thousands, decimal) separators: Danish
    ``(".", ",")``, English ``(",", ".")``."""
    thousands, decimal, _space = _NUMBER_STYLE[get_language()]
    return thousands, decimal


def _group_thousands(digits: str, separator: str = ".") -> str:
    """``"84000000"`` -> ``"84.000.000"``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]]
    groups += [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def format_number(value: Decimal | int, decimals: int | None = None) -> str:
    """A number in the current language's notation: Danish ``1.713``,
    ``8,2``, ``-39,9``, ``0,68``; English ``1,713``, ``8.2``.

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
    thousands, decimal = number_separators()
    result = sign + _group_thousands(integer, thousands)
    return f"{result}{decimal}{fraction}" if fraction else result


def format_value(
    value: Decimal | int,
    unit: Unit,
    unit_label: str = "",
    *,
    decimals: int | None = None,
) -> str:
    """A value with its unit, in the current language.

    percent: ``8,2 %`` (English ``8.2%``; the label is not shown: the unit
    says it all); per_1000: ``22,2 pr. 1.000 beboere``, where ``unit_label``
    replaces ``beboere`` as the population noun when given; count and mean:
    the number followed by the label when there is one (``111 unge``,
    ``14,3 fraværsdage``). ``decimals`` is passed to ``format_number``.
    """
    number = format_number(value, decimals)
    if unit is Unit.PERCENT:
        return f"{number}{_NUMBER_STYLE[get_language()][2]}%"
    if unit is Unit.PER_1000:
        return _("{number} pr. 1.000 {population}").format(
            number=number, population=unit_label or _("beboere")
        )
    return f"{number} {unit_label}" if unit_label else number


def format_date(day: date) -> str:
    """A date as prose: ``1. juni 2017``; English ``1 June 2017``."""
    return _("{day}. {month} {year}").format(
        day=day.day, month=_month(day.month), year=day.year
    )


def format_date_range(start: date, end: date) -> str:
    """Two dates as a span, the way a person writes it: ``1. juli 2020 –
    30. juni 2021`` (an en dash with spaces, since the dates hold spaces);
    English ``1 July 2020 – 30 June 2021``."""
    return _("{start} – {end}").format(start=format_date(start), end=format_date(end))


def _range_text(period: Period) -> str:
    return format_date_range(period.start, period.end)


def _form_of(period: Period) -> PeriodForm | None:
    """The form of ``period.code``, or None when the code is not a valid one
    (a period built by hand); such a period is shown by its dates."""
    try:
        parse_period(period.code)
    except PeriodError:
        return None
    return period_form(period.code)


def format_period(period: Period) -> str:
    """A period as prose in the current language, by the form of its code.

    ``2021``; ``skoleåret 2020/21``; ``2017–2021`` (an en dash, as a
    span of years is printed; the code ``2017-2021`` has a hyphen);
    ``3. kvartal 2021``; ``august 2021``; ``1. tertial 2021``; a date
    ``1. juni 2017``; a range ``1. juli 2020 – 30. juni 2021``. A period
    whose code is not a valid period code is shown by its dates (one date
    when start equals end). No raw code such as ``2020-07-01..2021-06-30``
    reaches the reader.
    """
    form = _form_of(period)
    year = period.start.year
    match form:
        case PeriodForm.YEAR:
            return period.code
        case PeriodForm.YEAR_SPAN:
            return f"{period.start.year}–{period.end.year}"
        case PeriodForm.SCHOOL_YEAR:
            return _("skoleåret {code}").format(code=period.code)
        case PeriodForm.QUARTER:
            return _("{number}. kvartal {year}").format(
                number=period.code[-1], year=year
            )
        case PeriodForm.MONTH:
            return _("{month} {year}").format(
                month=_month(period.start.month), year=year
            )
        case PeriodForm.TERTIAL:
            return _("{number}. tertial {year}").format(
                number=period.code[-1], year=year
            )
        case PeriodForm.DATE:
            return format_date(period.start)
    if period.start == period.end:
        return format_date(period.start)
    return _range_text(period)


def format_commentary_period(code: str) -> str:
    """The period of the team's commentary as a heading: ``Hele perioden``
    for the blank code (the whole plan), else ``format_period`` of the
    code (``2026``, ``2. tertial 2026``), never the code itself."""
    if not code:
        return _("Hele perioden")
    return format_period(parse_period(code))


def period_phrase(period: Period) -> str:
    """A period with the preposition prose needs after a value.

    ``i 2020``, ``i skoleåret 2020/21``, ``i august 2021``; a single date is
    a count as of that day, ``pr. 1. juni 2017``; a date range reads
    ``i perioden 1. juli 2020 – 30. juni 2021``. English: ``in 2020``,
    ``as of 1 June 2017``, ``in the period ...``.
    """
    form = _form_of(period)
    if form is PeriodForm.DATE or (form is None and period.start == period.end):
        return _("pr. {date}").format(date=format_date(period.start))
    if form is PeriodForm.DATE_RANGE or form is None:
        return _("i perioden {period}").format(period=_range_text(period))
    if form is PeriodForm.SCHOOL_YEAR:
        return _("i skoleåret {code}").format(code=period.code)
    return _("i {period}").format(period=format_period(period))


def outcome_label(outcome: Outcome) -> str:
    """The label of an outcome, lower case: ``opnået``, ``ikke opnået``,
    ``delvist opnået``, ``kan ikke måles``, ``i gang``; English
    ``achieved``, ``not achieved``, ..."""
    return _(OUTCOME_LABELS[outcome])


def pace_label(pace: Pace) -> str:
    """The label of a pace, lower case: ``i rute``, ``i risiko``,
    ``bagud``; English ``on track``, ``at risk``, ``off track``."""
    return _(PACE_LABELS[pace])


def working_note_text(note: str) -> str:
    """A working note of the team as the internal version of a report
    prints it, marked so that it is not read as the printed report's own
    note: ``Arbejdsnote: ...``; English ``Working note: ...``."""
    return _("Arbejdsnote: {note}").format(note=note)

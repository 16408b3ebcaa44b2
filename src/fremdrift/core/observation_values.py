"""Reading one number of area statistics as a source writes it, and checking
it against the unit of its indicator.

Sources write numbers in several ways: ``22.2`` (our tidy files, StatBank's
English output), ``22,2`` (Danish exports and spreadsheets saved in Danish),
``1.234,5`` (Danish thousands separator), and markers instead of a number
where the value is discretioned (``..``, ``<5``, ``x``). A marker is never
read as zero: it becomes the ``suppressed`` flag with no value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fremdrift.core.model import Unit

# Markers that sources print instead of a discretioned or withheld number.
# '..' is Danmarks Statistik's and Landsbyggefonden's; '<5' and the like are
# common in hand-made tables; 'x' and '*' in municipal exports.
DISCRETION_MARKERS = frozenset({"..", "...", ":", "x", "X", "*", "(d)", "d"})
_BELOW_MARKER = re.compile(r"^\(?\s*<\s*\d+\s*\)?$")

# The database keeps six decimals and twenty digits in all.
DECIMAL_PLACES = 6
MAX_DIGITS = 20
QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)
LIMIT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES)
SIGNIFICANT_DIGITS = 15

_DANISH_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


class NumberError(ValueError):
    """A cell that should hold a number and does not."""


@dataclass(frozen=True, slots=True)
class ReadNumber:
    """A number as read from a cell: ``value`` is None and ``suppressed`` is
    True when the cell held a discretion marker."""

    value: Decimal | None
    suppressed: bool = False


def is_discretion_marker(text: str) -> bool:
    """True for '..', '<5', 'x' and the other markers of a hidden number."""
    cleaned = text.strip()
    return cleaned in DISCRETION_MARKERS or bool(_BELOW_MARKER.match(cleaned))


def read_number(text: str, *, decimal_comma: bool = True) -> ReadNumber:
    """Read ``text`` as a number.

    Accepted: an optional sign, digits, one decimal point or (when
    ``decimal_comma``) one decimal comma, and the Danish thousands form
    ``1.234,5``. Spaces (also non-breaking) inside the number are ignored;
    a trailing '%' is allowed because spreadsheets print percents that way.
    Markers of discretion give ``ReadNumber(None, suppressed=True)``.

    Raises ``NumberError`` for anything else, for NaN and infinities, and
    for numbers with more digits than the database keeps (20 digits, 6 of
    them after the decimal point; more decimals are rounded half-even).
    """
    if is_discretion_marker(text):
        return ReadNumber(None, suppressed=True)
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if decimal_comma and "," in cleaned:
        if _DANISH_THOUSANDS.match(cleaned):
            cleaned = cleaned.replace(".", "")
        if cleaned.count(",") > 1 or "." in cleaned:
            raise NumberError(f"{text!r} is not a number")
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        raise NumberError(
            f"{text!r} is not a number (use a decimal point, no thousands separator)"
        )
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise NumberError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise NumberError(f"{text!r} is not a number")
    return ReadNumber(number_for_storage(number, text=text))


def number_for_storage(number: Decimal, *, text: str | None = None) -> Decimal:
    """``number`` rounded to the six decimals the database keeps.

    Raises ``NumberError`` when it has too many digits before the point, or
    more than 15 significant digits in all."""
    # Checked again after rounding (fix from the bad-input corpus tests):
    # 99999999999999.9999999 passed the first check, rounded up to 10^14
    # and overflowed the column (a crash on PostgreSQL, 21 digits stored on
    # SQLite). The first check keeps quantize away from huge exponents.
    rounded = number if abs(number) >= LIMIT else number.quantize(QUANTUM)
    if abs(rounded) >= LIMIT:
        raise NumberError(
            f"{text if text is not None else number!r} is too large "
            f"(at most {MAX_DIGITS - DECIMAL_PLACES} digits before the point)"
        )
    # SQLite keeps a decimal as a double (15 significant digits): a longer
    # number would come back changed, and importing the same file twice
    # would change it every time. No official statistic needs more.
    if len(rounded.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
        raise NumberError(
            f"{text if text is not None else number!r} has more than "
            f"{SIGNIFICANT_DIGITS} significant digits"
        )
    return rounded


def value_problem(
    unit: Unit, value: Decimal, *, counts_persons: bool, change: bool = False
) -> str | None:
    """Why ``value`` cannot be a value of an indicator in ``unit``, or None.

    An indicator of changes (``change``: '-33,5 %' from one year to the
    next) may take any finite value; for levels:
    - percent: 0 to 100 inclusive;
    - per 1000: 0 to 1000 inclusive;
    - count: not negative, and a whole number when it counts persons (a
      count of something else, such as a mean number of sessions stored as
      a count, may have decimals);
    - mean: any finite number.
    """
    if change:
        return None
    if unit is Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        return f"{_plain(value)} is not a percent (it must lie between 0 and 100)"
    if unit is Unit.PER_1000 and not Decimal(0) <= value <= Decimal(1000):
        return (
            f"{_plain(value)} is not a rate per 1000 (it must lie between 0 and 1000)"
        )
    if unit is Unit.COUNT:
        if value < 0:
            return f"{_plain(value)} is a negative count"
        if counts_persons and value != value.to_integral_value():
            return f"{_plain(value)} is not a whole number of persons"
    return None


def part_problem(
    value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> str | None:
    """Why a numerator and denominator cannot stand beside each other, or
    None: neither may be negative and the denominator may not be zero."""
    if numerator is not None and numerator < 0:
        return f"numerator {_plain(numerator)} is negative"
    if denominator is not None and denominator <= 0:
        return f"denominator {_plain(denominator)} must be greater than zero"
    return None


def closest_name(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name`` (difflib's ratio of at least 0.6,
    compared without case), for 'did you mean' hints; None when nothing is
    close."""
    by_lower = {k.lower(): k for k in known}
    matches = difflib.get_close_matches(name.lower(), by_lower, n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")

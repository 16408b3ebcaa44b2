"""Personal data that must never be stored: CPR numbers.

A CPR number is ten digits, ddmmyy followed by four more, often written
with a dash (ddmmyy-xxxx). fremdrift keeps a generated code, optional
initials and a birth year; a CPR number typed into any of those fields,
or into a code a team makes up itself, is refused wherever it enters (web
forms, the API, imports).
"""

from __future__ import annotations

import datetime
import re

# Ten digits, optionally with a dash or a space after the sixth, not part
# of a longer run of digits.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")


def looks_like_cpr(text: str) -> bool:
    """Whether ``text`` holds something that reads as a CPR number:
    ddmmyy, an optional dash or space, and four digits, where ddmmyy is a
    real calendar day in some century (so 300225-1234, 30 February, is no
    CPR number but 290200-1234 is). Checking the date part keeps ten-digit
    codes that are not dates (1234567890) allowed."""
    for match in _CPR.finditer(text):
        day, month, year = (int(part) for part in match.group(1, 2, 3))
        for century in (1900, 2000):
            try:
                datetime.date(century + year, month, day)
            except ValueError:
                continue
            return True
    return False


CPR_MESSAGE = "looks like a CPR number: never enter CPR numbers"

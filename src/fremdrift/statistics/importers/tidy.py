"""Our own tidy template: one observation per row, as CSV or XLSX.

Columns (in any order, English or Danish names): indicator, population,
period and value are required; numerator, denominator, note and flags are
optional. CSV may be separated by commas (our own export), semicolons
(Excel in Danish) or tabs, in UTF-8 with or without a BOM or in cp1252.
The output of ``fremdrift observations PLAN --format csv`` is valid input.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fremdrift.base.spreadsheets import unguarded
from fremdrift.base.tabular import MAX_CELL_BYTES, cell_too_large_text

from .base import (
    SEPARATORS,
    ImportFileError,
    ImportProblem,
    SourceRow,
    Where,
    column_letter,
    csv_rows,
    open_text,
    sniff_separator,
)

REQUIRED = ("indicator", "population", "period", "value")
OPTIONAL = ("numerator", "denominator", "note", "flags")
FIELDS = REQUIRED + OPTIONAL
# Header names a team might write instead of ours.
ALIASES = {
    "indikator": "indicator",
    "periode": "period",
    "værdi": "value",
    "vaerdi": "value",
    "tæller": "numerator",
    "taeller": "numerator",
    "nævner": "denominator",
    "naevner": "denominator",
    "bemærkning": "note",
    "flag": "flags",
}
KNOWN_HEADERS = set(FIELDS) | set(ALIASES)
OBSERVATIONS_SHEET = "Observationer"
# The separators by name, for a line split otherwise than its header.
SEPARATOR_NAMES = {
    ",": gettext_noop("kommaer"),
    ";": gettext_noop("semikoloner"),
    "\t": gettext_noop("tabulatorer"),
}
XLSX_MAGIC = b"PK\x03\x04"


def reader_from_mapping(mapping: Path | None) -> TidyReader:
    if mapping is not None:
        raise ImportFileError(
            [
                ImportProblem(
                    Where(str(mapping)),
                    _(
                        "fremdrift-skabelonen skal ikke have en mappingfil "
                        "(--mapping er til --source statbank eller lbf)"
                    ),
                )
            ]
        )
    return TidyReader()


def _header_index(
    names: list[str], where: Where
) -> tuple[dict[str, int], list[ImportProblem]]:
    index: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for position, raw in enumerate(names):
        name = raw.strip().lower()
        name = ALIASES.get(name, name)
        if not name:
            continue
        if name not in FIELDS:
            problems.append(
                ImportProblem(
                    where,
                    _("ukendt kolonne {name} (kolonnerne er {columns})").format(
                        name=repr(raw.strip()), columns=", ".join(FIELDS)
                    ),
                )
            )
        elif name in index:
            problems.append(
                ImportProblem(
                    where,
                    _("kolonnen {name} står der to gange").format(name=repr(name)),
                )
            )
        else:
            index[name] = position
    missing = [name for name in REQUIRED if name not in index]
    if missing:
        problems.append(
            ImportProblem(
                where,
                _(
                    "mangler {columns} (overskriftsrækken skal nævne indicator, "
                    "population, period og value)"
                ).format(columns=", ".join(missing)),
            )
        )
    return index, problems


@dataclass(frozen=True)
class TidyReader:
    """Reads the tidy template; see the module docstring."""

    source: ClassVar[str] = "tidy"

    def read(
        self, path: Path, *, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if magic == XLSX_MAGIC or path.suffix.lower() in {".xlsx", ".xlsm"}:
            yield from self._read_xlsx(path, display_name)
        else:
            yield from self._read_csv(path, display_name)

    def _read_csv(
        self, path: Path, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        with open_text(path, display_name) as handle:
            try:
                header_line = handle.readline()
            except UnicodeDecodeError as error:
                yield ImportProblem(
                    Where(display_name, line=1),
                    _("er ikke læsbar tekst ({error})").format(error=error),
                )
                return
            separator = _csv_separator(header_line, display_name)
            if isinstance(separator, ImportProblem):
                yield separator
                return
            # The header line was only read to find the separator; csv_rows
            # reads it again as a record, with its quoting and line number.
            handle.seek(0)
            rows = csv_rows(handle, delimiter=separator, display_name=display_name)
            first = next(rows, None)
            if first is None or isinstance(first, ImportProblem):
                if first is not None:
                    yield first
                return
            _line, names = first
            header_where = Where(display_name, line=1, column="header")
            index, problems = _header_index(names, header_where)
            if problems:
                yield from problems
                return
            yield from _csv_records(rows, names, index, separator, display_name)

    def _read_xlsx(
        self, path: Path, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
            yield ImportProblem(
                Where(display_name),
                _(
                    "kan ikke åbnes som en XLSX-projektmappe ({error}); gem den "
                    "som .xlsx eller som CSV"
                ).format(error=f"{error.__class__.__name__}: {error}"),
            )
            return
        try:
            if OBSERVATIONS_SHEET in workbook.sheetnames:
                sheet = workbook[OBSERVATIONS_SHEET]
            else:
                sheet = workbook.worksheets[0]
            rows = _guarded(sheet.iter_rows(values_only=True))
            header = next(rows, None)
            if isinstance(header, _Damaged):
                yield header.problem(display_name, sheet.title, 1)
                return
            where = Where(display_name, sheet.title, 1, "header")
            if header is None or not any(cell is not None for cell in header):
                yield ImportProblem(
                    where,
                    _(
                        "har ingen overskriftsrække (den første række skal "
                        "nævne kolonnerne {columns})"
                    ).format(columns=", ".join(FIELDS)),
                )
                return
            names = ["" if cell is None else str(cell) for cell in header]
            index, problems = _header_index(names, where)
            if problems:
                yield from problems
                return
            columns = {name: column_letter(i) for name, i in index.items()}
            any_row = False
            for row_number, values in enumerate(rows, start=2):
                if isinstance(values, _Damaged):
                    yield values.problem(display_name, sheet.title, row_number)
                    return
                if not any(v is not None and str(v).strip() for v in values):
                    continue
                any_row = True
                cells: list[str] = []
                bad = False
                for position, value in enumerate(values):
                    if isinstance(value, str) and len(value) > MAX_CELL_BYTES:
                        # A workbook's cell is not limited by the csv
                        # module: without this a 5 MB note was imported.
                        yield ImportProblem(
                            Where(
                                display_name,
                                sheet.title,
                                row_number,
                                column_letter(position),
                            ),
                            cell_too_large_text(),
                        )
                        return
                    if isinstance(value, str) and value.startswith("="):
                        yield ImportProblem(
                            Where(
                                display_name,
                                sheet.title,
                                row_number,
                                column_letter(position),
                            ),
                            _(
                                "indeholder en formel ({formula}); gem værdierne, "
                                "ikke formlerne (Indsæt speciel > Værdier)"
                            ).format(formula=value[:60]),
                        )
                        bad = True
                    cells.append(_cell_text(value))
                if bad:
                    continue
                cells += [""] * (len(names) - len(cells))
                yield _row(cells, index, columns, display_name, row_number, sheet.title)
            if not any_row:
                yield ImportProblem(
                    Where(display_name, sheet.title, 2),
                    _("har en overskrift, men ingen rækker"),
                )
        finally:
            workbook.close()


@dataclass(frozen=True)
class _Damaged:
    """Where a sheet's XML broke off (a workbook cut in half)."""

    error: Exception

    def problem(self, file: str, sheet: str, row: int) -> ImportProblem:
        return ImportProblem(
            Where(file, sheet, row),
            _(
                "er beskadiget: arket holder op midt i det ({error}); "
                "gem projektmappen igen"
            ).format(error=self.error.__class__.__name__),
        )


def _guarded(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...] | _Damaged]:
    """``rows``, ending with a ``_Damaged`` instead of the exception that
    openpyxl raises for XML that stops halfway."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:
            yield _Damaged(error)
            return
        yield values


def _csv_separator(header_line: str, display_name: str) -> str | ImportProblem:
    """The separator of a CSV file's header line, or the problem that stops
    the file before any row is read: binary content, no header, or a header
    no known separator splits into our column names."""
    if "\x00" in header_line:
        return ImportProblem(
            Where(display_name, line=1),
            _("indeholder en NUL-byte: det er ikke en tekstfil"),
        )
    if not header_line.strip():
        return ImportProblem(
            Where(display_name, line=1),
            _(
                "har ingen overskriftsrække (den første linje skal nævne "
                "kolonnerne {columns})"
            ).format(columns=", ".join(FIELDS)),
        )
    separator = sniff_separator(header_line, KNOWN_HEADERS)
    if separator is None:
        # Name a separator the header seems to use instead, so the team
        # sees why none of the column names was recognised.
        seen = next(
            (s for s in "|:" if s in header_line),
            None,
        )
        header = repr(header_line.strip()[:200])
        return ImportProblem(
            Where(display_name, line=1),
            _(
                "overskriftsrækken nævner ikke kolonnerne indicator, population, "
                "period og value (den ser ud til at være delt med {separator}; "
                "brug kommaer eller semikoloner): {header}"
            ).format(separator=repr(seen), header=header)
            if seen
            else _(
                "overskriftsrækken nævner ikke kolonnerne indicator, population, "
                "period og value: {header}"
            ).format(header=header),
        )
    return separator


def _csv_records(
    rows: Iterator[tuple[int, list[str]] | ImportProblem],
    names: list[str],
    index: dict[str, int],
    separator: str,
    display_name: str,
) -> Iterator[SourceRow | ImportProblem]:
    """The rows after a CSV file's header: blank lines skipped, a line with
    the wrong number of fields reported and skipped, and a problem when
    there is no row at all. A problem from the csv reader ends the file."""
    columns = {name: names[i].strip() for name, i in index.items()}
    width = len(names)
    any_row = False
    for item in rows:
        if isinstance(item, ImportProblem):
            yield item
            return
        line, record = item
        if not any(cell.strip() for cell in record):
            continue
        any_row = True
        if len(record) != width:
            yield _width_problem(record, width, separator, display_name, line)
            continue
        yield _row(record, index, columns, display_name, line, None)
    if not any_row:
        yield ImportProblem(
            Where(display_name, line=2),
            "has a header but no rows",
        )


def _width_problem(
    record: list[str], width: int, separator: str, display_name: str, line: int
) -> ImportProblem:
    """A line whose field count differs from the header's. When the line
    came out as one field but holds another known separator, the problem
    names both separators: the line was split on the header's and the
    team needs to know the two differ."""
    other = (
        [s for s in SEPARATORS if s != separator and s in record[0]]
        if len(record) == 1
        else []
    )
    if other:
        message = _(
            "har {count} felter, overskriften har {width} (linjen ser ud til "
            "at være delt med {line_separator}, overskriften med "
            "{header_separator})"
        ).format(
            count=len(record),
            width=width,
            line_separator=_(SEPARATOR_NAMES[other[0]]),
            header_separator=_(SEPARATOR_NAMES[separator]),
        )
    else:
        message = _("har {count} felter, overskriften har {width}").format(
            count=len(record), width=width
        )
    return ImportProblem(Where(display_name, line=line), message)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _row(
    record: list[str],
    index: dict[str, int],
    columns: dict[str, str],
    file: str,
    line: int,
    sheet: str | None,
) -> SourceRow:
    def cell(name: str) -> str | None:
        position = index.get(name)
        return None if position is None else record[position].strip()

    flags_text = cell("flags")
    flags = (
        None
        if flags_text is None
        else tuple(
            f.strip()
            for f in flags_text.replace("|", ";").replace(",", ";").split(";")
            if f.strip()
        )
    )
    return SourceRow(
        file=file,
        line=line,
        indicator=cell("indicator") or "",
        population=cell("population") or "",
        period=cell("period") or "",
        value=cell("value") or "",
        numerator=cell("numerator"),
        denominator=cell("denominator"),
        # fremdrift's own exports write a formula-like note behind an
        # apostrophe (base/spreadsheets.py); read back, it is the note again.
        note=None if (note := cell("note")) is None else unguarded(note),
        flags=flags,
        sheet=sheet,
        decimal_comma=True,
        columns=columns,
    )

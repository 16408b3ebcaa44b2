"""Landsbyggefonden's Excel tables (Beboerdata, Boligsociale Data).

The portals export XLSX tables for people to read: title rows, a header
row, Danish labels, a ten-year series across the columns (or one row per
area and year), totals and notes, and '..' or a blank where a number is
discretioned. A mapping file (``lbf_mapping``) says how one layout is laid
out; this module streams the sheet with openpyxl in read-only mode and
yields one ``SourceRow`` per value cell.

The cells' text goes to the common validator unparsed, except when the
mapping scales the numbers (shares stored as 0.123 for 12.3 %): a scaled
number is written back as plain text with a decimal point. A discretion
marker is never scaled and never becomes 0.

Formulas are read as formulas (``data_only=False``), because the cached
value of a formula is whatever Excel last computed, if it ever did: a file
with formulas in the cells that are imported is refused cell by cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from fremdrift.base.tabular import cell_too_large_text
from fremdrift.core.observation_values import (
    NumberError,
    closest_name,
    is_discretion_marker,
    read_number,
)

from .base import (
    MAX_CELL_BYTES,
    ImportFileError,
    ImportProblem,
    SourceRow,
    Where,
    column_letter,
)
from .lbf_mapping import (
    LabelRule,
    LbfMapping,
    load_mapping,
    normalise_label,
    shipped_names,
)

XLSX_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
# An OLE compound file: Excel 97-2003 (.xls), or an encrypted .xlsx, which
# Office wraps in a compound file holding a stream named EncryptedPackage.
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 20
# Cells with the same kind of problem (formulas, errors) are each reported
# up to this many times, then summed up in one line.
MAX_CELL_PROBLEMS = 50
# What a blank or a mapping's own marker becomes: the marker the common
# validator reads as 'suppressed, no value'.
DISCRETION_MARKER = ".."


def reader_from_mapping(mapping: Path | str | None) -> LbfReader:
    """The reader for the mapping file ``mapping`` or the shipped mapping of
    that name ('lbf-wide'). Raises ``ImportFileError`` when there is none or
    it does not validate."""
    if mapping is None:
        raise ImportFileError(
            [
                ImportProblem(
                    Where("--mapping"),
                    "Landsbyggefonden's tables need a mapping: a mapping file "
                    "or a shipped one (" + ", ".join(shipped_names()) + "); "
                    "see docs/import-lbf.md",
                )
            ]
        )
    return LbfReader(load_mapping(mapping))


@dataclass(frozen=True)
class LbfReader:
    """Reads one Landsbyggefonden table layout, as its mapping describes."""

    mapping: LbfMapping
    source: ClassVar[str] = "lbf"

    @property
    def mapping_path(self) -> Path | None:
        """The mapping file used (a shipped file when given by name)."""
        return self.mapping.path

    @property
    def mapping_text(self) -> str:
        """The mapping's text, with the text of any mapping it extends, as
        a record of how the file was read."""
        return self.mapping.text

    def read(
        self, path: Path, *, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        """Yield the sheet's observations and problems in row order; the
        problems that are summed up over the whole sheet (unknown labels,
        repeated cell problems) come last."""
        problem = _sniff(path, display_name)
        if problem is not None:
            yield problem
            return
        import openpyxl

        with path.open("rb") as handle:
            try:
                # A file object, not the path: openpyxl refuses a path whose
                # suffix is not .xlsx, and uploads are stored under any name.
                workbook = openpyxl.load_workbook(
                    handle, read_only=True, data_only=False
                )
            except zipfile.BadZipFile as error:
                yield ImportProblem(
                    Where(display_name),
                    f"is not a readable XLSX file: the zip archive is damaged "
                    f"({error}); download it again",
                )
                return
            except KeyError:
                yield ImportProblem(
                    Where(display_name),
                    "is a zip archive but not an Excel workbook; open it in "
                    "Excel and save it as Excel Workbook (.xlsx)",
                )
                return
            except Exception as error:  # openpyxl raises many kinds
                yield ImportProblem(
                    Where(display_name),
                    "cannot be opened as an XLSX workbook "
                    f"({error.__class__.__name__}: {error}); open it in Excel "
                    "and save it as .xlsx",
                )
                return
            try:
                yield from _SheetReader(self.mapping, workbook, display_name).read()
            finally:
                workbook.close()


def _sniff(path: Path, display_name: str) -> ImportProblem | None:
    """A problem when ``path`` is plainly not an XLSX file, else None."""
    where = Where(display_name)
    with path.open("rb") as handle:
        head = handle.read(8)
        if not head:
            return ImportProblem(where, "is empty (0 bytes)")
        if head.startswith(XLSX_MAGIC):
            return None
        if head.startswith(EMPTY_ZIP_MAGIC):
            return ImportProblem(where, "is an empty zip archive, not an XLSX workbook")
        if head == CFB_MAGIC:
            handle.seek(0)
            tail = b""
            while chunk := handle.read(_CHUNK):
                if ENCRYPTED_STREAM in tail + chunk:
                    return ImportProblem(
                        where,
                        "is password-protected; open it in Excel, remove the "
                        "password (File > Info > Protect Workbook > Encrypt "
                        "with Password) and save it again",
                    )
                tail = chunk[-len(ENCRYPTED_STREAM) :]
            return ImportProblem(
                where,
                "is an old Excel 97-2003 workbook (.xls), not .xlsx; open it "
                "in Excel and save it as Excel Workbook (.xlsx)",
            )
    if _looks_like_text(head):
        return ImportProblem(
            where,
            "is not an XLSX file: it holds plain text (a CSV file with an "
            ".xlsx name?); open it in Excel and save it as Excel Workbook "
            "(.xlsx)",
        )
    return ImportProblem(
        where,
        "is not an XLSX file (it is not a zip archive); open it in Excel and "
        "save it as Excel Workbook (.xlsx)",
    )


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    return all(byte >= 0x20 or byte in b"\t\r\n" for byte in head)


@dataclass
class _Tally:
    """Problems of one kind summed up: how many and where the first was."""

    message: str
    where: Where
    count: int = 0


@dataclass
class _SheetReader:
    """One pass over one sheet. Holds the tallies that are reported at the
    end, so that a label that is unknown in 500 rows is one problem."""

    mapping: LbfMapping
    workbook: Any
    file: str
    sheet: str = ""
    periods: list[tuple[int, str]] = field(default_factory=list)
    unknown: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    cell_problems: dict[str, _Tally] = field(default_factory=dict)
    percent_cells: _Tally | None = None
    data_rows: int = 0

    def read(self) -> Iterator[SourceRow | ImportProblem]:
        worksheet = self._worksheet()
        if isinstance(worksheet, ImportProblem):
            yield worksheet
            return
        self.sheet = worksheet.title
        # Some exporters write a wrong size into the sheet, and read-only
        # mode trusts it; forget it and read the rows that are there.
        worksheet.reset_dimensions()
        header_seen = False
        rows_seen = 0
        for number, cells in self._rows(worksheet):
            if isinstance(cells, ImportProblem):
                yield cells
                return
            if any(_present(cell) for cell in cells):
                rows_seen += 1
            if number < self.mapping.header_row:
                continue
            if number == self.mapping.header_row:
                header_seen = True
                problems = list(self._header(cells))
                if problems:
                    yield from problems
                    return
                continue
            yield from self._row(number, cells)
        if not header_seen:
            yield self._missing_header(rows_seen)
            return
        if not self.data_rows:
            yield ImportProblem(
                Where(self.file, self.sheet, self.mapping.header_row + 1),
                "has a header row but no rows with values under it",
            )
        yield from self._summaries()

    # -- the sheet and its header ------------------------------------------

    def _worksheet(self) -> Any:
        names: list[str] = list(self.workbook.sheetnames)
        wanted = self.mapping.sheet
        listed = ", ".join(repr(name) for name in names)
        if isinstance(wanted, int):
            if wanted > len(names):
                return ImportProblem(
                    Where(self.file),
                    f"has no sheet number {wanted}; it has {len(names)} "
                    f"({listed}); check sheet in the mapping",
                )
            name = names[wanted - 1]
        else:
            matches = [n for n in names if n == wanted] or [
                n for n in names if normalise_label(n) == normalise_label(wanted)
            ]
            if len(matches) != 1:
                return ImportProblem(
                    Where(self.file),
                    f"has no sheet {wanted!r} (its sheets: {listed}); check "
                    "sheet in the mapping",
                )
            name = matches[0]
        worksheet = self.workbook[name]
        if not hasattr(worksheet, "iter_rows"):
            return ImportProblem(
                Where(self.file, name), "is a chart, not a sheet with cells"
            )
        return worksheet

    def _rows(self, worksheet: Any) -> Iterator[tuple[int, Any]]:
        """The sheet's rows with their 1-based numbers; a damaged sheet
        ends the rows with a problem instead of an exception."""
        rows = worksheet.iter_rows(min_row=1)
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception as error:  # damaged XML inside the zip
                yield (
                    number + 1,
                    ImportProblem(
                        Where(self.file, self.sheet, number + 1),
                        f"cannot be read from here on ({error.__class__.__name__}: "
                        f"{error}); open it in Excel and save it again",
                    ),
                )
                return
            number += 1
            huge = next(
                (
                    position
                    for position, cell in enumerate(cells)
                    if isinstance(getattr(cell, "value", None), str)
                    and len(cell.value) > MAX_CELL_BYTES
                ),
                None,
            )
            if huge is not None:
                # Corpus fix (tests/badinput, lbf-cell-of-5-mb): a 5 MB
                # label was echoed whole in its "unknown label" problem.
                yield (
                    number,
                    ImportProblem(
                        Where(self.file, self.sheet, number, column_letter(huge)),
                        cell_too_large_text(),
                    ),
                )
                return
            yield number, cells

    def _missing_header(self, rows_seen: int) -> ImportProblem:
        where = Where(self.file, self.sheet)
        if rows_seen == 0:
            return ImportProblem(where, "is empty")
        return ImportProblem(
            where,
            f"ends before row {self.mapping.header_row}, which the mapping "
            "names as the header row; check header_row and sheet in the "
            "mapping",
        )

    def _header(self, cells: Any) -> Iterator[ImportProblem]:
        row = self.mapping.header_row
        wrong: list[str] = []
        for index, (letter, expected) in sorted(self.mapping.expect_header.items()):
            found = _text(_cell(cells, index).value)
            if normalise_label(found) != normalise_label(expected):
                shown = f"holds {found!r}" if found else "is empty"
                wrong.append(f"{letter}{row} {shown}, expected {expected!r}")
        if wrong:
            yield ImportProblem(
                Where(self.file, self.sheet, row),
                "is not the header row the mapping expects: "
                + "; ".join(wrong)
                + " (check sheet and header_row in the mapping, or whether "
                "this is the layout the mapping is for)",
            )
            return
        if self.mapping.layout == "wide":
            yield from self._period_headers(cells)

    def _period_headers(self, cells: Any) -> Iterator[ImportProblem]:
        row = self.mapping.header_row
        first = self.mapping.period_first
        last = self.mapping.period_last
        assert first is not None
        end = last if last is not None else max(len(cells) - 1, first)
        for index in range(first, end + 1):
            cell = _cell(cells, index)
            where = Where(self.file, self.sheet, row, column_letter(index))
            if _is_formula(cell):
                yield ImportProblem(where, _formula_message(cell))
                continue
            label = _text(cell.value)
            if not label:
                if last is None:
                    break  # an open range ends at the first empty header
                yield ImportProblem(
                    where,
                    "is empty, but the mapping's periods.across says this "
                    "column holds a period",
                )
                continue
            period = self.mapping.period_labels.get(normalise_label(label), label)
            self.periods.append((index, period))
        if not self.periods:
            yield ImportProblem(
                Where(self.file, self.sheet, row, column_letter(first)),
                "no period headers found from here on; check header_row and "
                "periods.across in the mapping",
            )

    # -- data rows -------------------------------------------------------------

    def _row(self, number: int, cells: Any) -> Iterator[SourceRow | ImportProblem]:
        mapping = self.mapping
        labels: dict[str, str] = {}
        for rule in (mapping.population, mapping.indicator):
            if rule is None or rule.column is None:
                continue
            cell = _cell(cells, rule.column)
            if _is_formula(cell):
                yield from self._cell_problem(
                    "formula",
                    Where(self.file, self.sheet, number, rule.letter),
                    _formula_message(cell),
                )
                return
            labels[rule.field] = _text(cell.value)
        if self._ignored(cells, labels):
            return
        value_cells = self._value_cells(cells)
        if not any(_present(cell) for _index, cell, _ind in value_cells):
            return  # a heading, a note or a blank row: nothing to import
        self.data_rows += 1
        population = self._resolve(mapping.population, labels, number)
        indicator = (
            self._resolve(mapping.indicator, labels, number)
            if mapping.indicator is not None
            else ""
        )
        if isinstance(population, ImportProblem):
            yield population
            return
        if isinstance(indicator, ImportProblem):
            yield indicator
            return
        if population is None or indicator is None:
            return  # an unknown label, tallied and reported at the end
        period_by_column = dict(self.periods)
        period_letter = None
        if mapping.period_column is not None:
            period_letter = column_letter(mapping.period_column)
            cell = _cell(cells, mapping.period_column)
            where = Where(self.file, self.sheet, number, period_letter)
            if _is_formula(cell):
                yield from self._cell_problem("formula", where, _formula_message(cell))
                return
            label = _text(cell.value)
            if not label:
                yield ImportProblem(where, "has values but no period")
                return
            period = mapping.period_labels.get(normalise_label(label), label)
        for index, cell, column_indicator in value_cells:
            if mapping.period_column is None:
                period = period_by_column[index]
            slug = column_indicator or indicator
            yield from self._value(
                number, index, cell, population, slug, period, period_letter
            )

    def _value_cells(self, cells: Any) -> list[tuple[int, Any, str | None]]:
        """The row's value cells: (column, cell, the column's own indicator
        when the long layout gives each indicator a column)."""
        mapping = self.mapping
        if mapping.layout == "wide":
            return [(index, _cell(cells, index), None) for index, _p in self.periods]
        if mapping.value_column is not None:
            return [(mapping.value_column, _cell(cells, mapping.value_column), None)]
        return [
            (index, _cell(cells, index), slug)
            for index, slug in mapping.value_columns.items()
        ]

    def _ignored(self, cells: Any, labels: dict[str, str]) -> bool:
        mapping = self.mapping
        texts = [normalise_label(text) for text in labels.values() if text]
        if any(text in mapping.ignore_labels for text in texts):
            return True
        if not mapping.ignore_prefixes:
            return False
        # A note ('Kilde: ...', 'Anm.: ...') may stand in any column,
        # usually the first; its first text is what is matched.
        first = next(
            (
                normalise_label(_text(cell.value))
                for cell in cells
                if isinstance(cell.value, str) and cell.value.strip()
            ),
            "",
        )
        return any(
            text.startswith(prefix)
            for text in [*texts, first]
            for prefix in mapping.ignore_prefixes
        )

    def _resolve(
        self, rule: LabelRule, labels: dict[str, str], number: int
    ) -> str | ImportProblem | None:
        """The slug for the row's label under ``rule``; None when the label
        is unknown (tallied), a problem when the label cell is empty."""
        if rule.fixed is not None:
            return rule.fixed
        label = labels.get(rule.field, "")
        where = Where(self.file, self.sheet, number, rule.letter)
        if not label:
            return ImportProblem(
                where, f"has values but no {rule.what} label in column {rule.letter}"
            )
        slug = rule.slug_for(label)
        if slug is not None:
            return slug
        if self.mapping.skip_unmapped:
            return None
        key = (rule.field, normalise_label(label))
        tally = self.unknown.get(key)
        if tally is None:
            hint = ""
            close = closest_name(label, rule.written)
            if close is not None:
                hint = f" (did you mean {close!r}?)"
            if self.mapping.shipped:
                fix = (
                    "write a mapping with 'extends: "
                    f"{self.mapping.name}' that adds it under {rule.field}.values"
                )
            else:
                fix = (
                    f"add it to {rule.field}.values in the mapping, or set "
                    "skip_unmapped: true to pass over rows the mapping does "
                    "not name"
                )
            tally = self.unknown[key] = _Tally(
                f"unknown {rule.what} label {label!r}{hint}; {fix}", where
            )
        tally.count += 1
        return None

    def _value(
        self,
        number: int,
        index: int,
        cell: Any,
        population: str,
        indicator: str,
        period: str,
        period_letter: str | None,
    ) -> Iterator[SourceRow | ImportProblem]:
        letter = column_letter(index)
        where = Where(self.file, self.sheet, number, letter)
        columns = self._value_columns(letter, period_letter)

        def row(value: str, *, decimal_comma: bool) -> SourceRow:
            # No numerator, denominator, note or flags columns: None keeps
            # what the observation already has there.
            return SourceRow(
                file=self.file,
                line=number,
                indicator=indicator,
                population=population,
                period=period,
                value=value,
                sheet=self.sheet,
                decimal_comma=decimal_comma,
                columns=columns,
            )

        value = cell.value
        if _is_formula(cell):
            yield from self._cell_problem("formula", where, _formula_message(cell))
            return
        if cell.data_type == "e":
            yield from self._cell_problem(
                "error", where, f"holds an Excel error ({value}), not a number"
            )
            return
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.mapping.blank == "suppressed":
                # The table's own way of writing '..': passed on as the
                # common marker, so that it is flagged like one.
                yield row(DISCRETION_MARKER, decimal_comma=True)
            return
        if isinstance(value, bool):
            yield ImportProblem(where, f"holds {str(value).upper()}, not a number")
            return
        if isinstance(value, datetime | date | time | timedelta):
            yield ImportProblem(where, f"holds a date or time ({value}), not a number")
            return
        scale = self.mapping.scale_for(indicator)
        if isinstance(value, str):
            text, decimal_comma = self._text_value(value.strip(), scale)
            yield row(text, decimal_comma=decimal_comma)
            return
        # repr is the shortest text that reads back as the same float:
        # 22.2 stays '22.2', not '22.199999999999999'.
        text = str(value) if isinstance(value, int) else repr(float(value))
        if scale == 1 and "%" in (cell.number_format or ""):
            self._tally_percent(where, text)
            return
        if scale != 1:
            text = _scaled(Decimal(text), scale)
        yield row(text, decimal_comma=False)

    def _value_columns(self, letter: str, period_letter: str | None) -> dict[str, str]:
        """The columns a value cell's row names in problems: its own letter
        for the value (and the period, in the wide layout where the column
        is the period), and the mapping's population and indicator columns
        when they are columns."""
        columns = {
            "value": letter,
            "period": period_letter or letter,
        }
        if self.mapping.population.letter:
            columns["population"] = self.mapping.population.letter
        if self.mapping.indicator is not None and self.mapping.indicator.letter:
            columns["indicator"] = self.mapping.indicator.letter
        return columns

    def _text_value(self, text: str, scale: Decimal) -> tuple[str, bool]:
        """A cell holding text as the value text a source row carries, and
        whether that text has a decimal comma: the table's own discretion
        marker becomes the common one; a number is scaled (and then written
        with a decimal point) when the mapping scales the indicator."""
        if normalise_label(text) in self.mapping.discretion_markers:
            return DISCRETION_MARKER, True
        if scale == 1 or is_discretion_marker(text):
            return text, True
        try:
            number_read = read_number(text, decimal_comma=True)
        except NumberError:
            # Left as written: the validator says what is wrong with it.
            return text, True
        assert number_read.value is not None
        return _scaled(number_read.value, scale), False

    def _tally_percent(self, where: Where, text: str) -> None:
        # Excel shows 0.123 formatted as a percent as 12.3 %; read as it is
        # stored it would be 0.123 %, a quiet factor of 100. Say so once.
        if self.percent_cells is None:
            self.percent_cells = _Tally(
                "is formatted as a percent: it shows "
                f"{_scaled(Decimal(text), Decimal(100))} % but holds {text}; "
                "add 'scale: 100' to the mapping (or scale: {indicator: 100} "
                "for the shares only)",
                where,
            )
        self.percent_cells.count += 1

    def _cell_problem(
        self, kind: str, where: Where, message: str
    ) -> Iterator[ImportProblem]:
        tally = self.cell_problems.get(kind)
        if tally is None:
            tally = self.cell_problems[kind] = _Tally(message, where)
        tally.count += 1
        if tally.count <= MAX_CELL_PROBLEMS:
            yield ImportProblem(where, message)

    def _summaries(self) -> Iterator[ImportProblem]:
        for tally in self.unknown.values():
            rows = "row" if tally.count == 1 else f"{tally.count} rows"
            yield ImportProblem(
                tally.where, f"{tally.message} ({rows}, the first here)"
            )
        if self.percent_cells is not None:
            yield ImportProblem(
                self.percent_cells.where,
                f"{self.percent_cells.message} ({self.percent_cells.count} "
                "cells, the first here)",
            )
        for kind, tally in self.cell_problems.items():
            if tally.count > MAX_CELL_PROBLEMS:
                what = "formulas" if kind == "formula" else "Excel errors"
                yield ImportProblem(
                    Where(self.file, self.sheet),
                    f"{tally.count - MAX_CELL_PROBLEMS} more cells hold {what} "
                    f"(only the first {MAX_CELL_PROBLEMS} are listed)",
                )


class _Empty:
    """A cell beyond the end of a short row."""

    value = None
    data_type = "n"
    number_format = "General"


_EMPTY = _Empty()


def _cell(cells: Any, index: int) -> Any:
    return cells[index] if index < len(cells) else _EMPTY


def _present(cell: Any) -> bool:
    value = cell.value
    return value is not None and not (isinstance(value, str) and not value.strip())


def _is_formula(cell: Any) -> bool:
    return cell.data_type == "f" or (
        isinstance(cell.value, str) and cell.value.startswith("=")
    )


def _formula_message(cell: Any) -> str:
    value = cell.value
    text = value if isinstance(value, str) else getattr(value, "text", "") or ""
    shown = f" ({text[:60]})" if text else ""
    return (
        f"holds a formula{shown}; save values: copy the sheet and use Paste "
        "Special > Values, then save"
    )


def _text(value: Any) -> str:
    """A label cell's text: numbers (department numbers) without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _scaled(number: Decimal, scale: Decimal) -> str:
    result = (number * scale).normalize()
    return format(result, "f")

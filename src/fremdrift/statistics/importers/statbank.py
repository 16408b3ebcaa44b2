"""Danmarks Statistik's StatBank (Statistikbanken) as a source of area
statistics.

StatBank's API answers a ``data`` call in format CSV or BULK with a
semicolon-separated file: a header row of the table's variable ids (upper
case, ``TID`` for time) followed by ``INDHOLD`` (the value), then one row per
cell of the table, the variables as texts (or codes, with
``valuePresentation: Code``), the value with a decimal comma when
``lang=da``, and ``..`` where a number is discretioned or missing::

    OMRÅDE;NØGLETAL;TID;INDHOLD
    Vangdalen;Uddannelse 18-29 år;2021;65,5

The mapping file (``statbank_mapping``) turns variables and values into the
plan's indicator and population slugs; this module reads the file through
it, one row at a time.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .base import (
    SEPARATORS,
    ImportFileError,
    ImportProblem,
    SourceRow,
    Where,
    csv_rows,
    open_text,
)
from .statbank_mapping import VALUE_COLUMN, DimensionMap, LoadedMapping, load_mapping

# StatBank's marker for a number that is discretioned or not available.
DOTS = ".."
SEPARATOR = ";"
# Distinct unmapped values or time codes reported per file; the rest are
# counted in one closing problem so that a wrong mapping does not bury the
# first, most telling problems.
MAX_DISTINCT_REPORTED = 100


def reader_from_mapping(mapping: Path | None) -> StatBankReader:
    """The reader for ``--source statbank``: the mapping file is required."""
    if mapping is None:
        raise ImportFileError(
            [
                ImportProblem(
                    Where("--mapping"),
                    "a StatBank file needs a mapping file that says which "
                    "variables and values are which indicator and population "
                    "(see docs/import-statbank.md)",
                )
            ]
        )
    return StatBankReader(load_mapping(mapping))


# StatBank's time codes (Danish and English forms); a fremdrift period for
# each where there is one.
_YEAR = re.compile(r"^\d{4}$")
_QUARTER = re.compile(r"^(\d{4})[KQ]([1-4])$")
_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^(\d{4})M(\d{2})D(\d{2})$")
_HALF_YEAR = re.compile(r"^\d{4}H[12]$")
_WEEK = re.compile(r"^\d{4}U\d{2}$")


@dataclass(frozen=True, slots=True)
class NoPeriod:
    """A StatBank time code with no fremdrift period, and why."""

    reason: str


def statbank_period(code: str, translations: dict[str, str]) -> str | NoPeriod:
    """The fremdrift period code for a StatBank time code.

    ``2021`` -> ``2021``; ``2021K3`` and the English ``2021Q3`` ->
    ``2021K3``; ``2021M08`` -> ``2021M08``; ``2021M08D15`` -> ``2021-08-15``.
    Half years (``2021H1``) and weeks (``2021U07``) have no fremdrift period
    and give a ``NoPeriod`` unless the mapping's ``periods`` translates
    them. Any other code is passed on as it is, for the common checks to
    accept (``2020/21``) or refuse.
    """
    if code in translations:
        return translations[code]
    if _YEAR.match(code) or _MONTH.match(code):
        return code
    if matched := _QUARTER.match(code):
        return f"{matched[1]}K{matched[2]}"
    if matched := _DAY.match(code):
        return f"{matched[1]}-{matched[2]}-{matched[3]}"
    if _HALF_YEAR.match(code):
        return NoPeriod("is a half year, and fremdrift has no half-year periods")
    if _WEEK.match(code):
        return NoPeriod("is a week, and fremdrift has no week periods")
    return code


@dataclass
class _Repeats:
    """Values reported once, with the first line and how many rows had
    them; streaming keeps one entry per distinct value, not per row."""

    first: dict[tuple[str, str], int] = field(default_factory=dict)
    count: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, column: str, value: str, line: int) -> None:
        key = (column, value)
        if key not in self.first:
            self.first[key] = line
            self.count[key] = 0
        self.count[key] += 1


def _cells(line: str, separator: str) -> list[str]:
    """One CSV line's cells, stripped (a quoted header is read too)."""
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=separator))]
    except (csv.Error, StopIteration):
        return [line.strip()]


@dataclass(frozen=True)
class _Columns:
    """Where each role's cells are in a row of the file."""

    names: list[str]
    time: int
    value: int
    indicator: int | None
    population: int | None
    filters: list[tuple[int, frozenset[str]]]
    others: list[int]


@dataclass(frozen=True)
class StatBankReader:
    """Reads a StatBank CSV/BULK file through a mapping; see the module
    docstring."""

    mapping: LoadedMapping
    source: ClassVar[str] = "statbank"

    def read(
        self, path: Path, *, display_name: str
    ) -> Iterator[SourceRow | ImportProblem]:
        with open_text(path, display_name) as handle:
            try:
                header_line = handle.readline()
            except UnicodeDecodeError as error:
                yield ImportProblem(
                    Where(display_name, line=1), f"is not readable text ({error})"
                )
                return
            if "\x00" in header_line:
                yield ImportProblem(
                    Where(display_name, line=1),
                    "contains a NUL byte: this is not a text file",
                )
                return
            columns_or_problems = self._header(header_line, display_name)
            if not isinstance(columns_or_problems, _Columns):
                yield from columns_or_problems
                return
            columns = columns_or_problems
            handle.seek(0)
            rows = csv_rows(handle, delimiter=SEPARATOR, display_name=display_name)
            header = next(rows, None)
            if isinstance(header, ImportProblem):
                yield header
                return
            yield from self._rows(rows, columns, display_name)

    def _header(
        self, header_line: str, display_name: str
    ) -> _Columns | list[ImportProblem]:
        spec = self.mapping.spec
        where = Where(display_name, line=1, column="header")
        names = _cells(header_line, SEPARATOR)
        folded = [name.casefold() for name in names]
        if VALUE_COLUMN.casefold() not in folded:
            for separator, word in SEPARATORS.items():
                if separator == SEPARATOR:
                    continue
                other = [n.casefold() for n in _cells(header_line, separator)]
                if VALUE_COLUMN.casefold() in other:
                    return [
                        ImportProblem(
                            where,
                            f"is separated by {word}s; StatBank's CSV and BULK "
                            "files are separated by semicolons (was the file "
                            "saved again from a spreadsheet? fetch it anew with "
                            "fremdrift statbank fetch)",
                        )
                    ]
            return [
                ImportProblem(
                    where,
                    f"has no {VALUE_COLUMN} column: this is not a StatBank "
                    "CSV/BULK file (its header must end with TID;INDHOLD); "
                    f"the header is {header_line.strip()[:200]!r}",
                )
            ]
        problems: list[ImportProblem] = []
        index: dict[str, int] = {}
        for role, name in self._roles():
            key = name.casefold()
            if key in folded:
                index[role] = folded.index(key)
            else:
                problems.append(
                    ImportProblem(
                        where,
                        f"has no column {name} ({role} in the mapping "
                        f"{self.mapping.name}); the columns are "
                        + ", ".join(n for n in names if n),
                    )
                )
        if problems:
            return problems
        used = set(index.values()) | {folded.index(VALUE_COLUMN.casefold())}
        return _Columns(
            names=names,
            time=index["time"],
            value=folded.index(VALUE_COLUMN.casefold()),
            indicator=index.get("indicator.variable"),
            population=index.get("population.variable"),
            filters=[
                (index[f"filters.{name}"], frozenset(values))
                for name, values in spec.filters.items()
            ],
            others=[i for i, name in enumerate(names) if i not in used and name],
        )

    def _roles(self) -> list[tuple[str, str]]:
        spec = self.mapping.spec
        roles = [("time", spec.time)]
        if spec.indicator.variable:
            roles.append(("indicator.variable", spec.indicator.variable))
        if spec.population.variable:
            roles.append(("population.variable", spec.population.variable))
        roles += [(f"filters.{name}", name) for name in spec.filters]
        return roles

    def _rows(
        self,
        rows: Iterator[tuple[int, list[str]] | ImportProblem],
        columns: _Columns,
        display_name: str,
    ) -> Iterator[SourceRow | ImportProblem]:
        width = len(columns.names)
        unmapped = _Repeats()
        no_period = _Repeats()
        no_period_reason: dict[str, str] = {}
        # Each variable the mapping does not name must hold one value only,
        # or rows would collide on the same indicator, population and period.
        single: dict[int, tuple[str, int]] = {}
        mixed: set[int] = set()
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
                yield ImportProblem(
                    Where(display_name, line=line),
                    f"has {len(record)} fields, the header has {width}",
                )
                continue
            cells = [cell.strip() for cell in record]
            if any(cells[i] not in keep for i, keep in columns.filters):
                continue
            yield from _collisions(cells, line, columns, single, mixed, display_name)
            row = self._source_row(
                cells,
                line,
                columns,
                display_name,
                unmapped=unmapped,
                no_period=no_period,
                no_period_reason=no_period_reason,
            )
            if row is not None:
                yield row
        if not any_row:
            yield ImportProblem(Where(display_name, line=2), "has a header but no rows")
        # Unmapped values and time codes are reported once each, after the
        # file, with how many rows had them: a wrong mapping would otherwise
        # give one problem per row.
        yield from self._unmapped_problems(unmapped, display_name)
        yield from _collapsed(
            no_period,
            display_name,
            lambda column, code, rows: (
                f"time code {code!r} {no_period_reason[code]} ({_rows(rows)}); "
                "leave it out of the fetch, or translate it under periods: in "
                f"{self.mapping.name}"
            ),
        )

    def _source_row(
        self,
        cells: list[str],
        line: int,
        columns: _Columns,
        display_name: str,
        *,
        unmapped: _Repeats,
        no_period: _Repeats,
        no_period_reason: dict[str, str],
    ) -> SourceRow | None:
        """One kept row of the file as a source row, or None: when its time
        code has no fremdrift period (counted in ``no_period``, with the
        reason), when its indicator or population is not mapped (counted in
        ``unmapped`` unless the mapping skips those), or when its value is
        StatBank's ``..`` and the mapping skips those."""
        spec = self.mapping.spec
        # The slugs are looked up before the period is checked: an unmapped
        # value is reported even on rows whose time code has no period.
        indicator = self._slug(
            spec.indicator, columns.indicator, cells, columns, line, unmapped
        )
        population = self._slug(
            spec.population, columns.population, cells, columns, line, unmapped
        )
        time_code = cells[columns.time]
        period = statbank_period(time_code, spec.periods)
        if isinstance(period, NoPeriod):
            no_period.add(columns.names[columns.time], time_code, line)
            no_period_reason[time_code] = period.reason
            return None
        if indicator is None or population is None:
            return None
        value = cells[columns.value]
        if spec.skip_dots and value == DOTS:
            return None
        return SourceRow(
            file=display_name,
            line=line,
            indicator=indicator,
            population=population,
            period=period,
            value=value,
            note=spec.note,
            decimal_comma=spec.decimal_comma,
            columns=self._column_names(columns),
        )

    def _slug(
        self,
        dimension: DimensionMap,
        position: int | None,
        cells: list[str],
        columns: _Columns,
        line: int,
        unmapped: _Repeats,
    ) -> str | None:
        if dimension.slug is not None:
            return dimension.slug
        assert position is not None
        value = cells[position]
        slug = dimension.values.get(value)
        if slug is None and not self.mapping.spec.skip_unmapped:
            unmapped.add(columns.names[position], value, line)
        return slug

    def _column_names(self, columns: _Columns) -> dict[str, str]:
        names = {
            "period": columns.names[columns.time],
            "value": columns.names[columns.value],
        }
        if columns.indicator is not None:
            names["indicator"] = columns.names[columns.indicator]
        if columns.population is not None:
            names["population"] = columns.names[columns.population]
        return names

    def _unmapped_problems(
        self, unmapped: _Repeats, display_name: str
    ) -> Iterator[ImportProblem]:
        spec = self.mapping.spec
        known = {
            (spec.indicator.variable or "").casefold(): ("indicator", spec.indicator),
            (spec.population.variable or "").casefold(): (
                "population",
                spec.population,
            ),
        }

        def message(column: str, value: str, rows: int) -> str:
            role, dimension = known[column.casefold()]
            hint = ""
            close = difflib.get_close_matches(value, dimension.values, n=1, cutoff=0.8)
            if close:
                hint = f"; the mapping has {close[0]!r}"
            return (
                f"{value!r} is not in the mapping's {role}.values "
                f"({_rows(rows)}){hint}: "
                f"map it to a {role} slug in {self.mapping.name}, or set "
                "skip_unmapped: true to leave out the rows the mapping does not name"
            )

        yield from _collapsed(unmapped, display_name, message)


def _collisions(
    cells: list[str],
    line: int,
    columns: _Columns,
    single: dict[int, tuple[str, int]],
    mixed: set[int],
    display_name: str,
) -> Iterator[ImportProblem]:
    """A problem for each variable the mapping does not name whose value on
    this row differs from its first row's. ``single`` holds each such
    variable's first value and line; ``mixed`` the variables already
    reported, so each is reported once, on the first line that differs."""
    for i in columns.others:
        first = single.setdefault(i, (cells[i], line))
        if cells[i] != first[0] and i not in mixed:
            mixed.add(i)
            yield ImportProblem(
                Where(display_name, line=line, column=columns.names[i]),
                f"{columns.names[i]} is {cells[i]!r} here and "
                f"{first[0]!r} on line {first[1]}: the mapping does not "
                f"name {columns.names[i]}, so its rows would collide; "
                f"keep one value with filters: {{{columns.names[i]}: "
                f"[{first[0]}]}}",
            )


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"


def _collapsed(
    repeats: _Repeats, display_name: str, message: Callable[[str, str, int], str]
) -> Iterator[ImportProblem]:
    for number, ((column, value), line) in enumerate(repeats.first.items()):
        if number == MAX_DISTINCT_REPORTED:
            rest = len(repeats.first) - MAX_DISTINCT_REPORTED
            yield ImportProblem(
                Where(display_name, column=column),
                f"and {rest} more distinct values like these",
            )
            return
        yield ImportProblem(
            Where(display_name, line=line, column=column),
            message(column, value, repeats.count[(column, value)]),
        )

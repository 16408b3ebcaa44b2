"""Checking source rows against a plan and writing them, for every source.

The import runs in one transaction and streams: rows are checked one by one
and written in chunks, so a file of a million rows needs no more memory than
one of a thousand. A dry run does everything a real import does and then
rolls back, so its counts are exact.

How a duplicate key is found without keeping every key in memory: a row
created or changed by this import carries the import's batch in the
database, and a later row with the same key finds it there; a row that was
unchanged is remembered in a bitmap-like array indexed by observation id
(4 bytes per existing observation of the plan, not per row of the file).
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from fremdrift.core.model import NO_VALUE_FLAGS, Flag, Period, Unit
from fremdrift.core.observation_values import (
    QUANTUM,
    NumberError,
    closest_name,
    part_problem,
    read_number,
    value_problem,
)
from fremdrift.core.periods import PeriodError, parse_period
from fremdrift.plans.models import Plan, Population

from .importers.base import ImportProblem, SourceRow, Where
from .models import ImportBatch, Indicator, Observation, ObservationChange

MAX_PROBLEMS = 200
CHUNK_ROWS = 2000
MAX_CHANGES_SHOWN = 200
# How far around the plan's own years its statistics may reach: ten-year
# series before the start (Landsbyggefonden's tables) and the years after
# the end that a final evaluation or a successor plan still reports.
YEARS_BEFORE_PLAN = 10
YEARS_AFTER_PLAN = 5

_KNOWN_FLAGS = {f.value for f in Flag}
_NO_VALUE = {f.value for f in NO_VALUE_FLAGS}


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    id: int
    unit: Unit
    counts_persons: bool
    change: bool


@dataclass(frozen=True)
class PlanScope:
    """What rows are checked against: the plan's indicators and populations
    by slug, and the stretch of time its statistics may cover."""

    plan_id: int
    indicators: dict[str, IndicatorInfo]
    populations: dict[str, int]
    data_start: date
    data_end: date

    @classmethod
    def of(cls, plan: Plan) -> PlanScope:
        indicators = {
            slug: IndicatorInfo(pk, Unit(unit), counts_persons, change)
            for pk, slug, unit, counts_persons, change in Indicator.objects.filter(
                plan=plan
            ).values_list("pk", "slug", "unit", "counts_persons", "change")
        }
        populations: dict[str, int] = {}
        # A population may also be named by an alias that the sources use
        # ("Randers Kommune"); an alias never shadows a slug.
        rows = list(
            Population.objects.filter(plan=plan).values_list("slug", "pk", "aliases")
        )
        for _slug, pk, aliases in rows:
            for alias in aliases or []:
                populations.setdefault(str(alias), pk)
        for slug, pk, _aliases in rows:
            populations[slug] = pk
        return cls(
            plan_id=plan.pk,
            indicators=indicators,
            populations=populations,
            data_start=date(plan.start.year - YEARS_BEFORE_PLAN, 1, 1),
            data_end=date(plan.end.year + YEARS_AFTER_PLAN, 12, 31),
        )


@dataclass(frozen=True, slots=True)
class CheckedRow:
    """A source row that passed every check, ready to write. ``None`` in
    numerator, denominator, note or flags means 'keep what is there'."""

    file: str
    sheet: str | None
    line: int
    indicator_id: int
    population_id: int
    period: Period
    value: Decimal | None
    suppressed: bool
    numerator: Decimal | None
    denominator: Decimal | None
    note: str | None
    flags: tuple[str, ...] | None
    has_numerator: bool
    has_denominator: bool
    # The period column as the file names it ('periode', or 'C' in a
    # workbook), for the duplicate-key problem (fix from the property
    # tests: that problem always said 'period').
    period_column: str = "period"


@dataclass(frozen=True)
class ChangeShown:
    """One changed value, for the preview: old -> new."""

    indicator: str
    population: str
    period: str
    line: int
    old: str
    new: str


@dataclass
class ProblemList:
    """Problems up to ``MAX_PROBLEMS``, then only counted. Unknown names
    are collapsed: one problem per name with the count of its rows."""

    problems: list[ImportProblem] = field(default_factory=list)
    more: int = 0
    unknown: dict[tuple[str, str], tuple[Where, int, str | None]] = field(
        default_factory=dict
    )

    def add(self, problem: ImportProblem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1

    def add_unknown(
        self, kind: str, name: str, where: Where, known: Iterable[str]
    ) -> None:
        key = (kind, name)
        if key in self.unknown:
            first, count, hint = self.unknown[key]
            self.unknown[key] = (first, count + 1, hint)
        else:
            self.unknown[key] = (where, 1, closest_name(name, known) if name else None)

    def __bool__(self) -> bool:
        return bool(self.problems or self.more or self.unknown)

    def all(self) -> list[ImportProblem]:
        collapsed: list[ImportProblem] = []
        for (kind, name), (where, count, hint) in self.unknown.items():
            collapsed.append(
                ImportProblem(where, _unknown_text(kind, name, hint, count))
            )
        combined = sorted(
            self.problems + collapsed,
            key=lambda p: (p.where.sheet or "", p.where.line or 0),
        )
        hidden = self.more + max(0, len(combined) - MAX_PROBLEMS)
        result = combined[:MAX_PROBLEMS]
        if hidden and result:
            result.append(
                ImportProblem(
                    Where(result[-1].where.file),
                    _(
                        "... og {hidden} problemer mere (de første {shown} er vist)"
                    ).format(hidden=hidden, shown=MAX_PROBLEMS),
                )
            )
        return result


def _unknown_text(kind: str, name: str, hint: str | None, count: int) -> str:
    """An unknown or empty indicator or population, collapsed over the
    ``count`` rows that name it, with the closest name the plan has."""
    if kind == "indicator":
        text = (
            _("ukendt indikator {name}").format(name=repr(name))
            if name
            else _("indikatoren er tom")
        )
    else:
        text = (
            _("ukendt population {name}").format(name=repr(name))
            if name
            else _("populationen er tom")
        )
    if hint:
        text += " " + _("(mente du {hint}?)").format(hint=repr(hint))
    if count > 1:
        text += "; " + _("{count} rækker, den første her").format(count=count)
    return text


class RowChecker:
    """Checks source rows against a plan's scope, one at a time."""

    def __init__(self, scope: PlanScope, problems: ProblemList) -> None:
        self.scope = scope
        self.problems = problems
        self._periods: dict[str, Period | PeriodError] = {}

    def check(self, row: SourceRow) -> CheckedRow | None:
        """The row checked and read, or None after adding its problems.

        Every part of the row is checked, so one pass over a file reports
        all that is wrong with each row; the checks that compare parts with
        each other (a value against its flags, its unit, its numerator and
        denominator) only run on a row whose parts are each readable.
        """
        scope = self.scope
        indicator = scope.indicators.get(row.indicator)
        if indicator is None:
            self.problems.add_unknown(
                "indicator", row.indicator, row.where("indicator"), scope.indicators
            )
        population_id = scope.populations.get(row.population)
        if population_id is None:
            self.problems.add_unknown(
                "population", row.population, row.where("population"), scope.populations
            )
        period = self._period(row)
        numbers, suppressed, numbers_read = self._numbers(row)
        flags, flags_known = self._flags(row, suppressed)
        if (
            indicator is None
            or population_id is None
            or period is None
            or not numbers_read
            or not flags_known
        ):
            return None
        value = numbers.get("value")
        problem = self._consistency_problem(row, indicator, numbers, flags, suppressed)
        if problem is not None:
            self.problems.add(problem)
            return None
        return CheckedRow(
            file=row.file,
            sheet=row.sheet,
            line=row.line,
            indicator_id=indicator.id,
            population_id=population_id,
            period=period,
            value=value,
            suppressed=suppressed,
            numerator=numbers.get("numerator"),
            denominator=numbers.get("denominator"),
            note=row.note,
            flags=flags,
            has_numerator=row.numerator is not None,
            has_denominator=row.denominator is not None,
            period_column=row.columns.get("period", "period"),
        )

    def _numbers(self, row: SourceRow) -> tuple[dict[str, Decimal | None], bool, bool]:
        """The row's value, numerator and denominator read as numbers (None
        when empty or unreadable), whether the value is a discretion marker,
        and whether every given number could be read."""
        numbers: dict[str, Decimal | None] = {}
        suppressed = False
        read_all = True
        for name in ("value", "numerator", "denominator"):
            text = getattr(row, name)
            if text is None or text == "":
                numbers[name] = None
                continue
            try:
                read = read_number(text, decimal_comma=row.decimal_comma)
            except NumberError as error:
                self.problems.add(ImportProblem(row.where(name), str(error)))
                read_all = False
                continue
            numbers[name] = read.value
            if read.suppressed and name == "value":
                suppressed = True
        return numbers, suppressed, read_all

    def _flags(
        self, row: SourceRow, suppressed: bool
    ) -> tuple[tuple[str, ...] | None, bool]:
        """The row's flags (None when the source has no flags column, so an
        observation keeps its own) and whether every flag is known. A value
        written as a discretion marker gets the suppressed flag when the
        row's flags leave it out."""
        flags = row.flags
        known = True
        if flags is not None:
            for flag in flags:
                if flag not in _KNOWN_FLAGS:
                    self.problems.add(
                        ImportProblem(
                            row.where("flags"),
                            _("ukendt markering {flag} (de kendte: {known})").format(
                                flag=repr(flag), known=", ".join(sorted(_KNOWN_FLAGS))
                            ),
                        )
                    )
                    known = False
            if suppressed and Flag.SUPPRESSED.value not in flags:
                flags = (*flags, Flag.SUPPRESSED.value)
        return flags, known

    def _consistency_problem(
        self,
        row: SourceRow,
        indicator: IndicatorInfo,
        numbers: dict[str, Decimal | None],
        flags: tuple[str, ...] | None,
        suppressed: bool,
    ) -> ImportProblem | None:
        """The first way the row's readable parts disagree: a value missing
        without a flag that says why, or given with one; a value its
        indicator's unit cannot hold; a numerator or denominator that does
        not fit the value."""
        value = numbers.get("value")
        no_value = (
            (set(flags) & _NO_VALUE)
            if flags is not None
            else ({Flag.SUPPRESSED.value} if suppressed else set())
        )
        if value is None and not no_value:
            return ImportProblem(
                row.where("value"),
                _(
                    "er tom: skriv et tal, et diskretionstegn som '..', eller "
                    "markér den missing, unreadable eller suppressed"
                ),
            )
        if value is not None and no_value:
            return ImportProblem(
                row.where("value"),
                _("har et tal, men er markeret {flags}").format(
                    flags=", ".join(sorted(no_value))
                ),
            )
        if value is not None:
            why = value_problem(
                indicator.unit,
                value,
                counts_persons=indicator.counts_persons,
                change=indicator.change,
            )
            if why:
                return ImportProblem(row.where("value"), why)
        why = part_problem(value, numbers.get("numerator"), numbers.get("denominator"))
        if why:
            column = "numerator" if "numerator" in why else "denominator"
            return ImportProblem(row.where(column), why)
        return None

    def _period(self, row: SourceRow) -> Period | None:
        code = row.period.strip()
        cached = self._periods.get(code)
        if cached is None:
            try:
                cached = parse_period(code)
            except PeriodError as error:
                cached = error
            else:
                scope = self.scope
                if cached.end < scope.data_start or cached.start > scope.data_end:
                    cached = PeriodError(
                        code,
                        "lies outside the plan's data range "
                        f"({scope.data_start.year}-{scope.data_end.year})",
                    )
            self._periods[code] = cached
        if isinstance(cached, PeriodError):
            if "data range" in cached.reason:
                message = _(
                    "perioden {code} ligger uden for planens dataperiode ({range})"
                ).format(code=repr(code), range=cached.reason.rpartition("(")[2][:-1])
            elif not code:
                message = _("perioden er tom")
            else:
                message = str(cached)
            self.problems.add(ImportProblem(row.where("period"), message))
            return None
        return cached


@dataclass
class WriteCounts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    shown: list[ChangeShown] = field(default_factory=list)


class ObservationWriter:
    """Writes checked rows in chunks inside the caller's transaction."""

    def __init__(
        self,
        *,
        batch: ImportBatch,
        scope: PlanScope,
        problems: ProblemList,
    ) -> None:
        self.batch = batch
        self.scope = scope
        self.problems = problems
        self.counts = WriteCounts()
        self._indicator_slugs = {i.id: s for s, i in scope.indicators.items()}
        self._population_slugs = {i: s for s, i in scope.populations.items()}
        low, high = _pk_range(scope.plan_id)
        self._low = low
        # Line of each unchanged observation seen so far, by id - low; 0 when
        # not seen. Sized by the plan's observations, not by the file.
        self._unchanged_lines = (
            array("I", bytes(4 * (high - low + 1))) if high else array("I")
        )
        self._postgres = connection.vendor == "postgresql"

    def write_all(self, rows: Iterable[CheckedRow]) -> None:
        chunk: list[CheckedRow] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                self._write_chunk(chunk)
                chunk = []
        if chunk:
            self._write_chunk(chunk)

    def unchanged_lines(self) -> Iterator[tuple[int, int]]:
        """(observation id, line in the file) of each stored observation
        that a row left as it was: for the preview's table and its
        fingerprint (statistics.outcomes)."""
        for slot, line in enumerate(self._unchanged_lines):
            if line:
                yield slot + self._low, line

    def _write_chunk(self, chunk: list[CheckedRow]) -> None:
        first_line: dict[tuple[int, int, str], int] = {}
        unique: list[CheckedRow] = []
        for row in chunk:
            key = (row.indicator_id, row.population_id, row.period.code)
            if key in first_line:
                self._duplicate(row, first_line[key])
                continue
            first_line[key] = row.line
            unique.append(row)
        existing = _existing(list(first_line))
        to_create: list[tuple[Any, ...]] = []
        to_update: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        batch_id = self.batch.pk
        for row in unique:
            key = (row.indicator_id, row.population_id, row.period.code)
            current = existing.get(key)
            if current is None:
                to_create.append(self._new_values(row))
                self.counts.created += 1
                continue
            pk = current["id"]
            if current["batch_id"] == batch_id:
                self._duplicate(row, current["source_line"])
                continue
            slot = pk - self._low
            if 0 <= slot < len(self._unchanged_lines) and self._unchanged_lines[slot]:
                self._duplicate(row, self._unchanged_lines[slot])
                continue
            merged = _merge(row, current)
            if _same(merged, current):
                self.counts.unchanged += 1
                if 0 <= slot < len(self._unchanged_lines):
                    self._unchanged_lines[slot] = row.line
                continue
            self.counts.changed += 1
            if len(self.counts.shown) < MAX_CHANGES_SHOWN:
                self.counts.shown.append(self._shown(row, current, merged))
            history.append(
                (
                    batch_id,
                    pk,
                    row.line,
                    current["value"],
                    current["numerator"],
                    current["denominator"],
                    current["note"],
                    json.dumps(current["flags"]),
                    current["batch_id"],
                    current["source_line"],
                    merged["value"],
                    json.dumps(merged["flags"]),
                )
            )
            to_update.append(
                (
                    merged["value"],
                    merged["numerator"],
                    merged["denominator"],
                    merged["note"],
                    json.dumps(merged["flags"]),
                    batch_id,
                    row.line,
                    pk,
                )
            )
        self._insert(to_create)
        if to_update:
            with connection.cursor() as cursor:
                cursor.executemany(_UPDATE_SQL, to_update)
        if history:
            _copy_or_insert(
                ObservationChange._meta.db_table,
                _HISTORY_COLUMNS,
                history,
                postgres=self._postgres,
            )

    def _new_values(self, row: CheckedRow) -> tuple[Any, ...]:
        flags = (
            list(row.flags)
            if row.flags is not None
            else ([Flag.SUPPRESSED.value] if row.suppressed else [])
        )
        return (
            row.indicator_id,
            row.population_id,
            row.period.code,
            row.period.start,
            row.period.end,
            row.value,
            row.numerator,
            row.denominator,
            row.note or "",
            json.dumps(flags),
            self.batch.pk,
            row.line,
        )

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            _copy_or_insert(
                Observation._meta.db_table,
                _OBSERVATION_COLUMNS,
                rows,
                postgres=self._postgres,
            )

    def _duplicate(self, row: CheckedRow, first_line: int | None) -> None:
        where = Where(row.file, row.sheet, row.line, row.period_column)
        slug = self._indicator_slugs[row.indicator_id]
        population = self._population_slugs[row.population_id]
        key = f"{slug}/{population}/{row.period.code}"
        self.problems.add(
            ImportProblem(
                where,
                _("{key} står der to gange (første gang i linje {first})").format(
                    key=key, first=first_line
                )
                if first_line
                else _("{key} står der to gange").format(key=key),
            )
        )

    def _shown(
        self, row: CheckedRow, current: dict[str, Any], merged: dict[str, Any]
    ) -> ChangeShown:
        return ChangeShown(
            indicator=self._indicator_slugs[row.indicator_id],
            population=self._population_slugs[row.population_id],
            period=row.period.code,
            line=row.line,
            old=_describe(current),
            new=_describe(merged),
        )


_OBSERVATION_COLUMNS = (
    "indicator_id",
    "population_id",
    "period",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "note",
    "flags",
    "batch_id",
    "source_line",
)
_HISTORY_COLUMNS = (
    "batch_id",
    "observation_id",
    "line",
    "old_value",
    "old_numerator",
    "old_denominator",
    "old_note",
    "old_flags",
    "old_batch_id",
    "old_source_line",
    "new_value",
    "new_flags",
)
_OBS = Observation._meta.db_table
_UPDATE_SQL = (
    f"UPDATE {_OBS} SET value = %s, numerator = %s, denominator = %s, "
    "note = %s, flags = %s, batch_id = %s, source_line = %s WHERE id = %s"
)


def batch_history_record(batch: ImportBatch, *, user: Any, reason: str) -> None:
    """The change history of every observation ``batch`` wrote, in one
    INSERT ... SELECT inside the import's transaction (the writer's raw
    inserts and updates send no signals): created ("+") unless the batch
    kept the value it replaced ("~")."""
    changes = ObservationChange._meta.db_table
    observations_history_record(
        "o.batch_id = %s",
        [batch.pk],
        history_type=(
            f"CASE WHEN EXISTS (SELECT 1 FROM {changes} c WHERE c.batch_id = "
            f"{int(batch.pk)} AND c.observation_id = o.id) THEN '~' ELSE '+' END"
        ),
        user=user,
        reason=reason,
    )


def observations_history_record(
    where: str,
    params: list[Any],
    *,
    history_type: str = "'~'",
    user: Any,
    reason: str,
) -> None:
    """Historical rows of the observations ``o`` that match ``where``, as
    they are now, by ``user`` with ``reason``: one INSERT ... SELECT in
    portable SQL, no round trip per row."""
    historical = Observation.history.model
    columns = [f.attname for f in historical.tracked_fields]
    names = ", ".join(columns)
    source = ", ".join(f"o.{name}" for name in columns)
    sql = (
        f"INSERT INTO {historical._meta.db_table} ({names}, history_date, "
        "history_change_reason, history_type, history_user_id) "
        f"SELECT {source}, %s, %s, {history_type}, %s FROM {_OBS} o "
        f"WHERE {where}"
    )
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None and user.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, reason[:100], user_id, *params])


def _pk_range(plan_id: int) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(o.id), MAX(o.id) FROM {_OBS} o JOIN "
            f"{Indicator._meta.db_table} i ON i.id = o.indicator_id "
            "WHERE i.plan_id = %s",
            [plan_id],
        )
        low, high = cursor.fetchone()
    return (low or 0, high or 0)


def _existing(
    keys: list[tuple[int, int, str]],
) -> dict[tuple[int, int, str], dict[str, Any]]:
    """The stored observations with these keys, one query (row values)."""
    if not keys:
        return {}
    if connection.vendor == "postgresql":
        # Three arrays, not three placeholders per key: a chunk's 6,000
        # placeholders cost psycopg ~30 ms to split and PostgreSQL as much to
        # parse, for every chunk of a million-row import.
        wanted = "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[])"
        params: list[Any] = [list(column) for column in zip(*keys, strict=True)]
    else:
        wanted = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(keys))
        params = [part for key in keys for part in key]
    # A join against the keys, not "(a, b, c) IN (VALUES ...)": SQLite
    # answers the latter by scanning the whole table for every chunk, which
    # made a million-row import quadratic; the join searches the unique
    # index once per key on both databases.
    sql = (
        f"WITH wanted (indicator_id, population_id, period) AS ({wanted}) "
        "SELECT o.id, o.indicator_id, o.population_id, o.period, o.value, "
        "o.numerator, o.denominator, o.note, o.flags, o.batch_id, o.source_line "
        f"FROM wanted JOIN {_OBS} o ON o.indicator_id = wanted.indicator_id "
        "AND o.population_id = wanted.population_id AND o.period = wanted.period"
    )
    result: dict[tuple[int, int, str], dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for record in cursor.fetchall():
            flags = record[8]
            if isinstance(flags, str):
                flags = json.loads(flags)
            result[(record[1], record[2], record[3])] = {
                "id": record[0],
                "value": _decimal(record[4]),
                "numerator": _decimal(record[5]),
                "denominator": _decimal(record[6]),
                "note": record[7],
                "flags": list(flags or []),
                "batch_id": record[9],
                "source_line": record[10],
            }
    return result


def _decimal(raw: Any) -> Decimal | None:
    """A stored number as a Decimal with six places: SQLite hands back
    floats or ints, PostgreSQL Decimals."""
    if raw is None:
        return None
    number = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    return number.quantize(QUANTUM)


def _merge(row: CheckedRow, current: dict[str, Any]) -> dict[str, Any]:
    """The observation as it will be after ``row``: fields the source does
    not give keep their current values; without a flags column, the flags
    that say something about the value (suppressed, missing, unreadable)
    follow the value and the others stay."""
    if row.flags is not None:
        flags = list(row.flags)
    else:
        flags = [f for f in current["flags"] if f not in _NO_VALUE]
        if row.suppressed:
            flags.append(Flag.SUPPRESSED.value)
    return {
        "value": row.value,
        "numerator": row.numerator if row.has_numerator else current["numerator"],
        "denominator": row.denominator
        if row.has_denominator
        else current["denominator"],
        "note": row.note if row.note is not None else current["note"],
        "flags": flags,
    }


def _same(merged: dict[str, Any], current: dict[str, Any]) -> bool:
    return (
        merged["value"] == current["value"]
        and merged["numerator"] == current["numerator"]
        and merged["denominator"] == current["denominator"]
        and merged["note"] == current["note"]
        and sorted(merged["flags"]) == sorted(current["flags"])
    )


def _describe(values: dict[str, Any]) -> str:
    value = values["value"]
    text = "–" if value is None else format(value.normalize(), "f")
    if values["flags"]:
        text += " [" + ", ".join(values["flags"]) + "]"
    return text


def _copy_or_insert(
    table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]], *, postgres: bool
) -> None:
    """Rows into ``table`` by the database's own bulk path: COPY on
    PostgreSQL, executemany of one prepared INSERT elsewhere."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def checked_rows(
    items: Iterator[SourceRow | ImportProblem],
    checker: RowChecker,
    problems: ProblemList,
    seen: list[int],
) -> Iterator[CheckedRow]:
    """The rows of a reader that pass the checks; problems go to
    ``problems``; ``seen[0]`` counts the rows read."""
    for item in items:
        if isinstance(item, ImportProblem):
            problems.add(item)
            continue
        seen[0] += 1
        checked = checker.check(item)
        if checked is not None:
            yield checked

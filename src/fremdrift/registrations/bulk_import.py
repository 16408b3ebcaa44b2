"""Bulk import of registrations kept elsewhere (the Excel logbooks teams
keep today): participants, courses, enrolments, sessions, attendance, and
outreach contacts and bridge-buildings.

One workbook (XLSX) with a sheet per table, or a folder with one CSV file
per table, in the layout of ``registrations_template``. Every row is matched
on its natural key (a participant's code; a course's activity and name; a
session's activity, course and date; a contact on all its values, as many
times as the file gives it), so importing the same file twice creates
nothing new. Every problem is reported at once with file, sheet,
line and column; nothing is written unless the whole file is valid. A dry
run reports what would be created or changed and writes nothing.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook
from simple_history.utils import bulk_create_with_history

from fremdrift.base.freshness import plan_data_changed
from fremdrift.base.history import acting_user, change_reason
from fremdrift.base.spreadsheets import guard_workbook
from fremdrift.base.tabular import ImportFileError as TableFileError
from fremdrift.base.tabular import ImportProblem as TableProblem
from fremdrift.base.tabular import calendar_date, csv_table, whole_number, xlsx_rows
from fremdrift.base.versioning import versions_bump
from fremdrift.base.zipguard import ZipTooLarge, zip_check
from fremdrift.core.personal import CPR_MESSAGE, looks_like_cpr
from fremdrift.plans.models import Activity, Area, Plan

from .models import (
    Attendance,
    Contact,
    Course,
    Enrolment,
    Household,
    Participant,
    Session,
)
from .outreach import ContactFields, contact_problems

MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Column:
    header: str  # as the user sees it (Danish)
    field: str
    required: bool = False
    kind: str = "text"  # text | int | date | bool | choice
    choices: tuple[str, ...] = ()
    # Text: the database column's length. Whole numbers: the largest value
    # (the smallest is 0; a count or a duration is never negative).
    max_length: int = 200
    maximum: int = 32767
    # A field about a person, where a CPR number must never be stored.
    personal: bool = False


@dataclass(frozen=True)
class Table:
    sheet: str  # sheet name, and CSV file name without ".csv"
    columns: tuple[Column, ...]


ROLES = tuple(choice for choice, _label in Enrolment.Role.choices)
OUTCOMES = tuple(choice for choice, _label in Enrolment.Outcome.choices)
RULES = tuple(choice for choice, _label in Course.CompletionRule.choices)
SEXES = tuple(choice for choice, _label in Participant.Sex.choices)
CONTACT_KINDS = tuple(Contact.Kind.values)
AGE_GROUPS = tuple(Contact.AgeGroup.values)
CHANNELS = tuple(Contact.Channel.values)

TABLES = (
    Table(
        "deltagere",
        (
            Column("kode", "code", required=True, max_length=20, personal=True),
            Column("initialer", "initials", max_length=30, personal=True),
            Column("fødselsår", "birth_year", kind="int"),
            Column("køn", "sex", kind="choice", choices=SEXES),
            Column("område", "area", max_length=100),
            Column("husstand", "household", max_length=20, personal=True),
        ),
    ),
    Table(
        "forløb",
        (
            Column("aktivitet", "activity", required=True, max_length=100),
            Column("navn", "name", required=True),
            Column("start", "start", required=True, kind="date"),
            Column("slut", "end", required=True, kind="date"),
            Column("planlagte mødegange", "planned_sessions", kind="int", maximum=1000),
            Column(
                "gennemførelsesregel", "completion_rule", kind="choice", choices=RULES
            ),
            Column("regelværdi", "completion_value", kind="int", maximum=1000),
        ),
    ),
    Table(
        "tilmeldinger",
        (
            Column("aktivitet", "activity", required=True, max_length=100),
            Column("forløb", "course", required=True),
            Column(
                "deltager", "participant", required=True, max_length=20, personal=True
            ),
            Column("rolle", "role", required=True, kind="choice", choices=ROLES),
            Column("start", "start", kind="date"),
            Column("slut", "end", kind="date"),
            Column("udfald", "outcome", kind="choice", choices=OUTCOMES),
            Column("mål sat", "goal_set", kind="bool"),
            Column("mål nået", "goal_reached", kind="bool"),
        ),
    ),
    Table(
        "mødegange",
        (
            Column("aktivitet", "activity", required=True, max_length=100),
            Column("forløb", "course"),
            Column("dato", "date", required=True, kind="date"),
            Column("varighed (minutter)", "duration_minutes", kind="int", maximum=1440),
            Column("tema", "theme"),
            Column("fremmødte uden navn", "headcount", kind="int", maximum=10_000),
        ),
    ),
    Table(
        "fremmøde",
        (
            Column("aktivitet", "activity", required=True, max_length=100),
            Column("forløb", "course"),
            Column("dato", "date", required=True, kind="date"),
            Column(
                "deltager", "participant", required=True, max_length=20, personal=True
            ),
        ),
    ),
    Table(
        "kontakter",
        (
            Column("aktivitet", "activity", required=True, max_length=100),
            Column("dato", "date", required=True, kind="date"),
            Column("type", "kind", required=True, kind="choice", choices=CONTACT_KINDS),
            Column("deltager", "participant", max_length=20, personal=True),
            Column("antal uden navn", "anonymous_count", kind="int", maximum=10_000),
            Column("område", "area", max_length=100),
            Column("aldersgruppe", "age_group", kind="choice", choices=AGE_GROUPS),
            Column("kontaktform", "channel", kind="choice", choices=CHANNELS),
        ),
    ),
)
_TABLE_NAMES = frozenset(table.sheet for table in TABLES)
# The column a problem found by ``outreach.contact_problems`` is about.
CONTACT_COLUMNS = {
    "kind": "type",
    "participant": "deltager",
    "anonymous_count": "antal uden navn",
    "area": "område",
    "age_group": "aldersgruppe",
    "channel": "kontaktform",
    "date": "dato",
}
CONTACT_PROBLEMS = {
    "nobody": "give a participant or a number of at least 1",
    "named_and_anonymous": "a contact with a named participant has no number "
    "without names; leave it empty",
    "other_plan": "is of another plan",
    "outside_activity": "is outside the activity's period",
    "invalid_choice": "is not one of the choices",
}


@dataclass(frozen=True)
class ImportProblem:
    file: str
    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}[{self.sheet}]"
        if self.line:
            where += f":{self.line}"
        return (
            f"{where}: {self.column}: {self.message}"
            if self.column
            else (f"{where}: {self.message}")
        )


class RegistrationImportError(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ImportSummary:
    dry_run: bool
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        verb = "would create" if self.dry_run else "created"
        parts = []
        for label, counter in (
            (verb, self.created),
            ("updated" if not self.dry_run else "would update", self.updated),
        ):
            total = sum(counter.values())
            detail = ", ".join(
                f"{n} {name}" for name, n in sorted(counter.items()) if n
            )
            parts.append(f"{label} {total}" + (f" ({detail})" if detail else ""))
        unchanged = sum(self.unchanged.values())
        parts.append(f"{unchanged} unchanged")
        return "; ".join(parts) + "."


# ------------------------------------------------------------------ reading


Row = tuple[int, dict[str, Any]]  # (line, header -> raw cell)


def _read_xlsx(
    path: Path, file: str
) -> tuple[dict[str, list[Row]], list[ImportProblem]]:
    """The workbook's sheets by name (lower case), read with the shared
    reader (``fremdrift.base.tabular``): a damaged workbook or sheet, or a
    cell over its size, is one problem and nothing else is read."""
    sheets: dict[str, list[Row]] = {}
    names: dict[str, list[str]] = {}
    for item in xlsx_rows(path, file):
        if isinstance(item, TableProblem):
            return {}, [_from_table(item, item.where.sheet or "")]
        title, line, values = item
        key = title.strip().lower()
        if key not in names:
            names[key] = [
                str(h).strip().lower() if h is not None else "" for h in values
            ]
            sheets[key] = []
            continue
        if key not in _TABLE_NAMES or all(
            v is None or str(v).strip() == "" for v in values
        ):
            # The guide sheet (and an unknown one, reported as such) has no
            # rows to read.
            continue
        header = names[key]
        # A read-only sheet pads every row to its widest one, the header
        # included: the header's width is up to its last named column.
        width = max((i + 1 for i, name in enumerate(header) if name), default=0)
        extra = [v for v in values[width:] if v is not None and str(v).strip() != ""]
        if extra:
            return {}, [
                ImportProblem(
                    file,
                    key,
                    line,
                    "",
                    f"has {width + len(extra)} cells, the header has {width}",
                )
            ]
        sheets[key].append((line, dict(zip(header, values, strict=False))))
    return sheets, []


def _from_table(problem: TableProblem, sheet: str) -> ImportProblem:
    return ImportProblem(
        problem.where.file,
        sheet,
        problem.where.line,
        problem.where.column or "",
        problem.message,
    )


def _read_csv_folder(folder: Path) -> tuple[dict[str, list[Row]], list[ImportProblem]]:
    """The folder's CSV files by table, read with the shared reader: the
    encoding and separator are found, and a NUL byte, a broken quote, a
    cell over its size or a line with more cells than the header is one
    problem for that file."""
    sheets: dict[str, list[Row]] = {}
    problems: list[ImportProblem] = []
    for table in TABLES:
        path = folder / f"{table.sheet}.csv"
        if not path.exists():
            continue
        file = str(path)
        expected = {c.header for c in table.columns}
        body: list[Row] = []
        names: list[str] | None = None
        try:
            for item in csv_table(path, file, expected=expected):
                if isinstance(item, TableProblem):
                    problems.append(_from_table(item, table.sheet))
                    break
                line, values = item
                if names is None:
                    names = [h.strip().lower() for h in values]
                    continue
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(names):
                    problems.append(
                        ImportProblem(
                            file,
                            table.sheet,
                            line,
                            "",
                            f"has {len(values)} cells, the header has {len(names)}",
                        )
                    )
                    break
                body.append((line, dict(zip(names, values, strict=False))))
        except TableFileError as error:
            problems.extend(_from_table(p, table.sheet) for p in error.problems)
            continue
        sheets[table.sheet] = body
    if not sheets and not problems:
        problems.append(
            ImportProblem(
                str(folder),
                "",
                None,
                "",
                "no CSV files named after the sheets ("
                + ", ".join(f"{t.sheet}.csv" for t in TABLES)
                + ")",
            )
        )
    return sheets, problems


# --------------------------------------------------------------- validation


def _parse(column: Column, raw: Any) -> tuple[Any, str | None]:
    """A cell's value for ``column``, or an error message."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if column.required:
            return None, "is required"
        return None, None
    if isinstance(raw, str) and raw.startswith("="):
        return None, "is a formula; paste the values instead"
    if column.kind == "int":
        try:
            return whole_number(raw, minimum=0, maximum=column.maximum), None
        except ValueError as error:
            return None, str(error)
    if column.kind == "date":
        try:
            return calendar_date(raw), None
        except ValueError as error:
            return None, str(error)
    if column.kind == "bool":
        text = str(raw).strip().lower()
        if text in {"ja", "j", "1", "true", "x", "yes"}:
            return True, None
        if text in {"nej", "n", "0", "false", "no"}:
            return False, None
        return None, f"{str(raw)[:40]!r} is not ja or nej"
    text = str(raw).strip()
    if column.personal and isinstance(raw, int) and len(text) == 9:
        # A spreadsheet keeps 0101901234 as the number 101901234.
        text = text.zfill(10)
    if column.kind == "choice" and text not in column.choices:
        return None, f"{text[:40]!r} is not one of {', '.join(column.choices)}"
    if column.personal and looks_like_cpr(text):
        return None, CPR_MESSAGE
    if len(text) > column.max_length:
        return None, (
            f"is {len(text)} characters long; at most {column.max_length} fit"
        )
    return text, None


@dataclass
class _Parsed:
    tables: dict[str, list[tuple[int, dict[str, Any]]]]
    problems: list[ImportProblem]


def _validate(file: str, sheets: dict[str, list[Row]]) -> _Parsed:
    problems: list[ImportProblem] = []
    tables: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    known = {t.sheet for t in TABLES}
    for name in sheets:
        if name not in known and name != "vejledning":
            problems.append(
                ImportProblem(
                    file,
                    name,
                    None,
                    "",
                    f"unknown sheet (known: {', '.join(sorted(known))})",
                )
            )
    for table in TABLES:
        rows = sheets.get(table.sheet)
        if rows is None:
            continue
        headers = {c.header for c in table.columns}
        present = set(rows[0][1]) if rows else set()
        missing = {
            column.header
            for column in table.columns
            if column.required and rows and column.header not in present
        }
        for column in table.columns:
            if column.header in missing:
                problems.append(
                    ImportProblem(
                        file, table.sheet, 1, column.header, "column is missing"
                    )
                )
        for extra in sorted(present - headers - {""}):
            problems.append(
                ImportProblem(file, table.sheet, 1, extra, "unknown column")
            )
        parsed_rows = []
        for line, cells in rows:
            values: dict[str, Any] = {}
            for column in table.columns:
                value, error = _parse(column, cells.get(column.header))
                # A missing column is one problem, not one per row.
                if error and column.header not in missing:
                    problems.append(
                        ImportProblem(file, table.sheet, line, column.header, error)
                    )
                values[column.field] = value
            parsed_rows.append((line, values))
        tables[table.sheet] = parsed_rows
    return _Parsed(tables, problems)


# ------------------------------------------------------------------ writing


class _Resolver:
    """Looks up the plan's activities, areas, courses and participants,
    including those the same file creates."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.activities = {a.slug: a for a in Activity.objects.filter(plan=plan)}
        self.areas = {a.slug: a for a in Area.objects.filter(plan=plan)}
        self.households = {h.code: h for h in Household.objects.filter(plan=plan)}
        self.participants = {p.code: p for p in Participant.objects.filter(plan=plan)}
        self.courses = {
            (c.activity.slug, c.name): c
            for c in Course.objects.filter(activity__plan=plan).select_related(
                "activity"
            )
        }


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def registrations_import(
    *, plan: Plan, path: Path, dry_run: bool = False
) -> ImportSummary:
    """Import the registrations in ``path`` (an XLSX workbook or a folder
    of CSV files) into ``plan``. Raises RegistrationImportError with every
    problem; writes nothing when there is any, or when ``dry_run``."""
    path = Path(path)
    file = str(path)
    if path.is_dir():
        sheets, read_problems = _read_csv_folder(path)
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            # A bomb is refused before openpyxl opens it.
            zip_check(path)
        except ZipTooLarge as error:
            raise RegistrationImportError(
                [ImportProblem(file, "", None, "", str(error))]
            ) from None
        sheets, read_problems = _read_xlsx(path, file)
    else:
        raise RegistrationImportError(
            [
                ImportProblem(
                    file,
                    "",
                    None,
                    "",
                    "give an .xlsx workbook or a folder of CSV files",
                )
            ]
        )
    if read_problems:
        raise RegistrationImportError(read_problems[:MAX_PROBLEMS])
    parsed = _validate(file, sheets)
    problems = parsed.problems
    if problems:
        raise RegistrationImportError(problems[:MAX_PROBLEMS])

    summary = ImportSummary(dry_run=dry_run)
    with transaction.atomic():
        resolver = _Resolver(plan)
        problems = _write(plan, file, parsed.tables, resolver, summary)
        # Attendance goes in with bulk_create, which sends no signals.
        plan_data_changed(plan.pk)
        if problems:
            transaction.set_rollback(True)
            raise RegistrationImportError(problems[:MAX_PROBLEMS])
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _count(summary: ImportSummary, label: str, created: bool, changed: bool) -> None:
    if created:
        summary.created[label] += 1
    elif changed:
        summary.updated[label] += 1
    else:
        summary.unchanged[label] += 1


_Rows = list[tuple[int, dict[str, Any]]]


def _write(
    plan: Plan,
    file: str,
    tables: dict[str, _Rows],
    resolver: _Resolver,
    summary: ImportSummary,
) -> list[ImportProblem]:
    """Write the validated sheets into ``plan`` and return the problems
    that only the database can show (unknown activities, courses,
    participants or sessions; a participant given twice). The caller rolls
    back when there is any."""
    writer = _Writer(plan, file, resolver, summary)
    # In this order because each sheet's rows may name what an earlier
    # sheet of the same file creates: an enrolment's participant and
    # course, a session's course, an attendance's session.
    writer.participants(tables.get("deltagere", []))
    writer.courses(tables.get("forløb", []))
    writer.enrolments(tables.get("tilmeldinger", []))
    sessions, touched = writer.sessions(tables.get("mødegange", []))
    writer.attendance(tables.get("fremmøde", []), sessions, touched)
    writer.contacts(tables.get("kontakter", []))
    return writer.problems


class _Writer:
    """Writes one sheet at a time, collecting every problem instead of
    stopping at the first, so the whole file is reported at once."""

    def __init__(
        self, plan: Plan, file: str, resolver: _Resolver, summary: ImportSummary
    ) -> None:
        self.plan = plan
        self.file = file
        self.resolver = resolver
        self.summary = summary
        self.problems: list[ImportProblem] = []

    def problem(self, sheet: str, line: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.file, sheet, line, column, message))

    def activity(self, sheet: str, line: int, slug: str) -> Activity | None:
        found = self.resolver.activities.get(slug)
        if found is None:
            self.problem(
                sheet,
                line,
                "aktivitet",
                f"unknown activity {slug!r} in plan {self.plan.slug}",
            )
        return found

    def course(
        self, sheet: str, line: int, activity_slug: str, name: str | None
    ) -> tuple[bool, Course | None]:
        """Whether the row's course is usable, and the course: an empty
        name is fine (a session or attendance of the activity itself), an
        unknown one is a problem."""
        if not name:
            return True, None
        found = self.resolver.courses.get((activity_slug, name))
        if found is None:
            self.problem(
                sheet, line, "forløb", f"unknown course {name!r} of {activity_slug!r}"
            )
            return False, None
        return True, found

    def participant(self, sheet: str, line: int, code: str) -> Participant | None:
        found = self.resolver.participants.get(code)
        if found is None:
            self.problem(sheet, line, "deltager", f"unknown participant {code!r}")
        return found

    def _save(self, existing: Any, values: dict[str, Any], label: str) -> None:
        """Update a row the file matched on its natural key, saving it only
        when a value differs, and count it as updated or unchanged."""
        changed = _apply(existing, values)
        if changed:
            existing.save()
        _count(self.summary, label, False, changed)

    def participants(self, rows: _Rows) -> None:
        resolver = self.resolver
        seen_codes: dict[str, int] = {}
        for line, row in rows:
            code = row["code"]
            if code in seen_codes:
                self.problem(
                    "deltagere",
                    line,
                    "kode",
                    f"{code!r} is given twice (also line {seen_codes[code]})",
                )
                continue
            seen_codes[code] = line
            values = self._participant_values(line, row)
            if values is None:
                continue
            existing = resolver.participants.get(code)
            if existing is None:
                resolver.participants[code] = Participant.objects.create(
                    plan=self.plan, code=code, **values
                )
                _count(self.summary, "participants", True, False)
            else:
                self._save(existing, values, "participants")

    def _participant_values(
        self, line: int, row: dict[str, Any]
    ) -> dict[str, Any] | None:
        """A participant row's fields, creating the household it names when
        the plan has none by that code; None after a problem."""
        resolver = self.resolver
        area = None
        if row["area"]:
            area = resolver.areas.get(row["area"])
            if area is None:
                self.problem(
                    "deltagere", line, "område", f"unknown area {row['area']!r}"
                )
                return None
        year = row["birth_year"]
        if year is not None and not 1900 <= year <= datetime.date.today().year:  # noqa: DTZ011 - a year
            self.problem(
                "deltagere", line, "fødselsår", f"{year} is not a plausible birth year"
            )
            return None
        household = None
        if row["household"]:
            household = resolver.households.get(row["household"])
            if household is None:
                household = Household.objects.create(
                    plan=self.plan, code=row["household"], area=area
                )
                resolver.households[household.code] = household
                self.summary.created["households"] += 1
        return {
            "initials": row["initials"] or "",
            "birth_year": year,
            "sex": row["sex"] or "",
            "area": area,
            "household": household,
        }

    def twice(
        self,
        seen: dict[Any, int],
        key: Any,
        sheet: str,
        line: int,
        column: str,
        what: str,
    ) -> bool:
        """Whether the file gave the row's key on an earlier line, which is
        then a problem naming both lines (a row is never silently the last
        one wins)."""
        first = seen.get(key)
        if first is None:
            seen[key] = line
            return False
        self.problem(
            sheet, line, column, f"{what} is given twice (lines {first} and {line})"
        )
        return True

    def courses(self, rows: _Rows) -> None:
        resolver = self.resolver
        seen: dict[Any, int] = {}
        for line, row in rows:
            found = self.activity("forløb", line, row["activity"])
            if found is None:
                continue
            if self.twice(
                seen,
                (found.slug, row["name"]),
                "forløb",
                line,
                "navn",
                f"the course {row['name']!r} of {found.slug!r}",
            ):
                continue
            if row["end"] < row["start"]:
                self.problem("forløb", line, "slut", "the course ends before it starts")
                continue
            values = {
                "start": row["start"],
                "end": row["end"],
                "planned_sessions": row["planned_sessions"],
                "completion_rule": row["completion_rule"]
                or Course.CompletionRule.MAX_ABSENCE,
                "completion_value": row["completion_value"]
                if row["completion_value"] is not None
                else 25,
            }
            key = (found.slug, row["name"])
            existing = resolver.courses.get(key)
            if existing is None:
                resolver.courses[key] = Course.objects.create(
                    activity=found, name=row["name"], **values
                )
                _count(self.summary, "courses", True, False)
            else:
                self._save(existing, values, "courses")

    def enrolments(self, rows: _Rows) -> None:
        existing_enrolments = {
            (e.course_id, e.participant_id): e
            for e in Enrolment.objects.filter(course__activity__plan=self.plan)
        }
        seen: dict[Any, int] = {}
        for line, row in rows:
            if self.activity("tilmeldinger", line, row["activity"]) is None:
                continue
            ok, found_course = self.course(
                "tilmeldinger", line, row["activity"], row["course"]
            )
            person = self.participant("tilmeldinger", line, row["participant"])
            if not ok or found_course is None or person is None:
                continue
            if self.twice(
                seen,
                (found_course.pk, person.pk),
                "tilmeldinger",
                line,
                "deltager",
                f"the enrolment of {person.code!r} in {found_course.name!r}",
            ):
                continue
            values = {
                "role": row["role"],
                "start": row["start"] or found_course.start,
                "end": row["end"],
                "outcome": row["outcome"] or "",
                "goal_set": bool(row["goal_set"]),
                "goal_reached": row["goal_reached"],
            }
            key = (found_course.pk, person.pk)
            existing = existing_enrolments.get(key)
            if existing is None:
                existing_enrolments[key] = Enrolment.objects.create(
                    course=found_course, participant=person, **values
                )
                _count(self.summary, "enrolments", True, False)
            else:
                self._save(existing, values, "enrolments")

    def sessions(
        self, rows: _Rows
    ) -> tuple[dict[tuple[int, int | None, datetime.date], Session], set[int]]:
        """The plan's sessions by (activity, course, date), the file's
        included, and the sessions this import changed."""
        sessions = {
            (s.activity_id, s.course_id, s.date): s
            for s in Session.objects.filter(activity__plan=self.plan)
        }
        # Sessions this import changes: an attendance list opened before it
        # is refused instead of undoing it (fremdrift.base.versioning).
        touched: set[int] = set()
        seen: dict[Any, int] = {}
        for line, row in rows:
            found = self.activity("mødegange", line, row["activity"])
            ok, found_course = self.course(
                "mødegange", line, row["activity"], row["course"]
            )
            if found is None or not ok:
                continue
            if self.twice(
                seen,
                (found.pk, found_course.pk if found_course else None, row["date"]),
                "mødegange",
                line,
                "dato",
                f"the session of {found.slug!r} on {row['date']}",
            ):
                continue
            values = {
                "duration_minutes": row["duration_minutes"],
                "theme": row["theme"] or "",
                "headcount": row["headcount"],
            }
            key = (found.pk, found_course.pk if found_course else None, row["date"])
            existing = sessions.get(key)
            if existing is None:
                sessions[key] = Session.objects.create(
                    activity=found, course=found_course, date=row["date"], **values
                )
                _count(self.summary, "sessions", True, False)
            else:
                changed = _apply(existing, values)
                if changed:
                    # Not the version read before: versions_bump raises it.
                    existing.save(update_fields=list(values))
                    touched.add(existing.pk)
                _count(self.summary, "sessions", False, changed)
        return sessions, touched

    def attendance(
        self,
        rows: _Rows,
        sessions: dict[tuple[int, int | None, datetime.date], Session],
        touched: set[int],
    ) -> None:
        """Attendance the plan does not have yet, in one bulk insert after
        every row is checked; then every touched session's version moves
        on."""
        present = set(
            Attendance.objects.filter(session__activity__plan=self.plan).values_list(
                "session_id", "participant_id"
            )
        )
        new_attendance = []
        for line, row in rows:
            found = self.activity("fremmøde", line, row["activity"])
            ok, found_course = self.course(
                "fremmøde", line, row["activity"], row["course"]
            )
            person = self.participant("fremmøde", line, row["participant"])
            if found is None or not ok or person is None:
                continue
            session = sessions.get(
                (found.pk, found_course.pk if found_course else None, row["date"])
            )
            if session is None:
                self.problem(
                    "fremmøde",
                    line,
                    "dato",
                    f"no session of {row['activity']!r} on {row['date']} "
                    "(add it to mødegange)",
                )
                continue
            if (session.pk, person.pk) in present:
                self.summary.unchanged["attendance"] += 1
                continue
            present.add((session.pk, person.pk))
            new_attendance.append(Attendance(session=session, participant=person))
            touched.add(session.pk)
        versions_bump(Session.objects.filter(pk__in=touched))
        # Bulk writes send no signals: the change history is written beside
        # them, in the import's transaction.
        bulk_create_with_history(
            new_attendance,
            Attendance,
            batch_size=2000,
            default_user=acting_user(),
            default_change_reason=change_reason() or "bulk import",
        )
        self.summary.created["attendance"] += len(new_attendance)

    def contacts(self, rows: _Rows) -> None:
        """Contacts and bridge-buildings: a row the plan already has (all
        values alike) is unchanged, as many times as it is there."""
        existing = Counter(
            Contact.objects.filter(activity__plan=self.plan).values_list(*_CONTACT_KEY)
        )
        for line, row in rows:
            found = self.activity("kontakter", line, row["activity"])
            fields = self._contact_fields(line, row)
            if found is None or fields is None:
                continue
            problems = contact_problems(found, fields)
            for name, code in problems.items():
                self.problem(
                    "kontakter", line, CONTACT_COLUMNS[name], CONTACT_PROBLEMS[code]
                )
            if problems:
                continue
            key = _contact_key(found, fields)
            if existing[key] > 0:
                existing[key] -= 1
                self.summary.unchanged["contacts"] += 1
                continue
            Contact.objects.create(
                activity=found,
                date=fields.date,
                kind=fields.kind,
                participant=fields.participant,
                anonymous_count=fields.anonymous_count,
                area=fields.area,
                age_group=fields.age_group,
                channel=fields.channel,
            )
            self.summary.created["contacts"] += 1

    def _contact_fields(self, line: int, row: dict[str, Any]) -> ContactFields | None:
        person = area = None
        if row["participant"]:
            person = self.participant("kontakter", line, row["participant"])
            if person is None:
                return None
        if row["area"]:
            area = self.resolver.areas.get(row["area"])
            if area is None:
                self.problem(
                    "kontakter", line, "område", f"unknown area {row['area']!r}"
                )
                return None
        return ContactFields(
            date=row["date"],
            kind=row["kind"],
            participant=person,
            anonymous_count=row["anonymous_count"] or 0,
            area=area,
            age_group=row["age_group"] or "",
            channel=row["channel"] or "",
        )


_CONTACT_KEY = (
    "activity_id",
    "date",
    "kind",
    "participant_id",
    "anonymous_count",
    "area_id",
    "age_group",
    "channel",
)


def _contact_key(activity: Activity, fields: ContactFields) -> tuple[Any, ...]:
    return (
        activity.pk,
        fields.date,
        fields.kind,
        fields.participant.pk if fields.participant else None,
        fields.anonymous_count,
        fields.area.pk if fields.area else None,
        fields.age_group,
        fields.channel,
    )


# ----------------------------------------------------------------- template


def registrations_template(*, plan: Plan) -> bytes:
    """An empty workbook in the import layout, with a sheet that lists the
    plan's activities and areas and explains each column."""
    workbook = Workbook()
    _guide(workbook.active, plan)
    for table in TABLES:
        sheet = workbook.create_sheet(table.sheet)
        sheet.append([c.header for c in table.columns])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[
                sheet.cell(row=1, column=index).column_letter
            ].width = max(14, len(column.header) + 4)
    guard_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _guide(guide: Any, plan: Plan) -> None:
    """The first sheet: the plan's activities and areas, and what each
    column takes."""
    guide.title = "vejledning"
    guide.append([f"Registreringer for {plan.name}"])
    guide.append(
        [
            "Udfyld arkene og indlæs med: fremdrift import_registrations "
            + plan.slug
            + " FIL"
        ]
    )
    guide.append([])
    guide.append(["Aktiviteter (kolonnen »aktivitet«)", "navn"])
    for a in Activity.objects.filter(plan=plan).order_by("order"):
        guide.append([a.slug, a.name])
    guide.append([])
    guide.append(["Områder (kolonnen »område«)", "navn"])
    for area in Area.objects.filter(plan=plan).order_by("order"):
        guide.append([area.slug, area.name])
    guide.append([])
    guide.append(["Roller", ", ".join(ROLES)])
    guide.append(["Udfald", ", ".join(OUTCOMES)])
    guide.append(
        [
            "Gennemførelsesregler",
            ", ".join(RULES) + " (regelværdi: procent fravær eller antal mødegange)",
        ]
    )
    guide.append(["Køn", ", ".join(SEXES)])
    guide.append(
        [
            "Kontakter",
            "type: contact (kontakt) eller bridge (brobygning); en deltagerkode "
            "eller et antal uden navn",
        ]
    )
    guide.append(["Aldersgrupper", ", ".join(AGE_GROUPS)])
    guide.append(
        [
            "Kontaktformer",
            "street (gadeplan/opsøgende), phone (telefon), "
            "home_visit (hjemmebesøg), other (andet)",
        ]
    )
    guide.append(["Datoer", "ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ"])
    guide.append(
        [
            "Persondata",
            "Ingen CPR-numre og ingen fulde fødselsdatoer: kun en kode, "
            "evt. initialer og fødselsår.",
        ]
    )

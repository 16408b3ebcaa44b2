"""Read a plan folder into validated values, collecting every problem.

Nothing here touches the database: ``read_plan_folder`` either returns a
``PlanFolder`` that the loader can write in one transaction, or raises
``PlanFileError`` with every problem found (file, line, field, message).
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation
from pydantic import ValidationError

from fremdrift.base.spreadsheets import unguarded
from fremdrift.base.tabular import ImportFileError as TableFileError
from fremdrift.base.tabular import ImportProblem as TableProblem
from fremdrift.base.tabular import csv_table
from fremdrift.base.yamlio import YamlDocument, format_path
from fremdrift.core.area_status import FIGURE_UNITS
from fremdrift.core.model import NO_VALUE_FLAGS, CriterionKind, Flag, Period, Unit
from fremdrift.core.observation_values import (
    NumberError,
    number_for_storage,
    part_problem,
    value_problem,
)
from fremdrift.core.periods import PeriodError, parse_period

from .errors import PlanFileError, Problem
from .schema import (
    ActivitySpec,
    CriterionSpecFile,
    EffortAreaSpec,
    PlanFile,
    PlanSpec,
)

PLAN_FILE = "plan.yaml"
OBSERVATIONS_FILE = "observations.csv"
OBSERVATION_COLUMNS = [
    "indicator",
    "population",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "flags",
]
MAX_PROBLEMS = 200

NEEDS_BASELINE = {
    CriterionKind.REDUCE_BY,
    CriterionKind.INCREASE_BY,
    CriterionKind.BELOW_BASELINE,
    CriterionKind.ABOVE_BASELINE,
    CriterionKind.HOLD_BASELINE,
    CriterionKind.REDUCE_TO,
    CriterionKind.INCREASE_TO,
}


@dataclass(frozen=True)
class ObservationRow:
    """One validated row of observations.csv."""

    line: int
    indicator: str
    population: str
    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class PlanFolder:
    """A validated plan folder, ready to be written to the database."""

    plan: PlanFile
    observations: list[ObservationRow]


class _Collector:
    def __init__(self, file: str, document: YamlDocument | None = None) -> None:
        self.file = file
        self.document = document
        self.problems: list[Problem] = []

    def add(self, path: Sequence[str | int], message: str) -> None:
        line = self.document.line_of(path) if self.document else None
        self.problems.append(Problem(self.file, line, format_path(path), message))

    def add_line(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, field, message))


def read_plan_folder(folder: Path) -> PlanFolder:
    """Read and validate ``folder``/plan.yaml and observations.csv."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PlanFileError([Problem(str(folder), None, "", "is not a folder")])
    plan_path = folder / PLAN_FILE
    if not plan_path.is_file():
        raise PlanFileError(
            [
                Problem(
                    str(plan_path), None, "", "missing: a plan folder needs plan.yaml"
                )
            ]
        )
    plan, plan_problems = _read_plan_yaml(plan_path)
    problems = list(plan_problems)
    observations: list[ObservationRow] = []
    obs_path = folder / OBSERVATIONS_FILE
    if obs_path.is_file():
        observations, obs_problems = _read_observations(obs_path, plan)
        problems.extend(obs_problems)
    if problems:
        raise PlanFileError(problems[:MAX_PROBLEMS])
    assert plan is not None
    return PlanFolder(plan=plan, observations=observations)


def _decode(path: Path) -> tuple[str | None, Problem | None]:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem(
            str(path),
            line,
            "",
            f"is not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
        )


def _read_plan_yaml(path: Path) -> tuple[PlanFile | None, list[Problem]]:
    text, problem = _decode(path)
    if problem:
        return None, [problem]
    assert text is not None
    try:
        document = YamlDocument(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        return None, [Problem(str(path), line, "", f"not valid YAML: {reason}")]
    collector = _Collector(str(path), document)
    if not isinstance(document.data, dict):
        collector.add([], "must be a mapping with 'format' and 'plan' at the top")
        return None, collector.problems
    try:
        plan = PlanFile.model_validate(document.data)
    except ValidationError as error:
        for item in error.errors():
            loc = [step for step in item["loc"] if not _is_union_member(step)]
            collector.add(loc, _pydantic_message(item))
        return None, collector.problems
    _check_plan(plan, collector)
    return plan, collector.problems


def _is_union_member(step: Any) -> bool:
    # pydantic puts the union member's type in the location
    # ("decimal", "dict[str,decimal]"); a reader wants the field path only.
    return isinstance(step, str) and (
        step in {"decimal", "function-after[...]"}
        or "[" in step
        or step.startswith("constrained")
    )


def _pydantic_message(item: Any) -> str:
    kind = item.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of this format (see docs/plan-format.md)"
    if kind == "string_pattern_mismatch":
        return (
            f"{item.get('input')!r} is not a slug (lower-case letters, digits "
            "and hyphens)"
        )
    if kind == "literal_error" and item["loc"] == ("format",):
        return "must be 'fremdrift-plan/1'"
    return str(item.get("msg", "is invalid"))


def _walk_criteria(
    plan: PlanFile,
) -> Iterator[tuple[list[str | int], CriterionSpecFile]]:
    for g, goal in enumerate(plan.goals):
        for c, criterion in enumerate(goal.criteria):
            yield ["goals", g, "criteria", c], criterion
    for e, effort_area in enumerate(plan.effort_areas):
        for c, criterion in enumerate(effort_area.criteria):
            yield ["effort_areas", e, "criteria", c], criterion
        for a_path, activity in _walk_activities(
            ["effort_areas", e, "activities"], effort_area.activities
        ):
            for c, criterion in enumerate(activity.criteria):
                yield [*a_path, "criteria", c], criterion


def _walk_activities(
    prefix: list[str | int], activities: list[ActivitySpec]
) -> Iterator[tuple[list[str | int], ActivitySpec]]:
    for a, activity in enumerate(activities):
        path = [*prefix, a]
        yield path, activity
        yield from _walk_activities([*path, "sub_activities"], activity.sub_activities)


def _check_unique(
    collector: _Collector, items: list[tuple[list[str | int], str]], what: str
) -> None:
    seen: dict[str, list[str | int]] = {}
    for path, key in items:
        if key in seen:
            first = (
                collector.document.line_of(seen[key]) if collector.document else None
            )
            collector.add(path, f"{what} {key!r} is used twice (first at line {first})")
        else:
            seen[key] = path


def _check_period(
    collector: _Collector, path: list[str | int], code: str | None
) -> Period | None:
    if code is None:
        return None
    try:
        return parse_period(code)
    except PeriodError as error:
        collector.add(path, str(error))
        return None


def _check_denominators(plan: PlanFile, collector: _Collector) -> None:
    units = {ind.slug: ind.unit for ind in plan.indicators}
    for i, ind in enumerate(plan.indicators):
        other = ind.denominator_indicator
        if other is None:
            continue
        if other not in units:
            collector.add(
                ["indicators", i, "denominator_indicator"],
                f"unknown indicator {other!r}",
            )
        elif units[other] is not Unit.COUNT or other == ind.slug:
            collector.add(
                ["indicators", i, "denominator_indicator"],
                f"{other!r} must be another indicator that counts (unit: count), "
                "such as the residents of each population",
            )


def _check_activities(plan: PlanFile, collector: _Collector) -> None:
    activities = [
        (path, activity)
        for e, effort_area in enumerate(plan.effort_areas)
        for path, activity in _walk_activities(
            ["effort_areas", e, "activities"], effort_area.activities
        )
    ]
    _check_unique(
        collector, [([*p, "slug"], a.slug) for p, a in activities], "activity slug"
    )
    for path, activity in activities:
        if activity.start and activity.end and activity.end < activity.start:
            collector.add([*path, "end"], "the activity ends before it starts")
        if activity.extended_to and activity.extended_to < (
            activity.end or plan.plan.end
        ):
            collector.add(
                [*path, "extended_to"], "an extension must end after the activity's end"
            )
        _check_commentary(collector, path, activity)
        for s, sub in enumerate(activity.sub_activities):
            if sub.sub_activities:
                collector.add(
                    [*path, "sub_activities", s, "sub_activities"],
                    "sub-activities go one level deep only",
                )


def _check_commentary(
    collector: _Collector,
    path: list[str | int],
    owner: PlanSpec | EffortAreaSpec | ActivitySpec,
) -> None:
    """Each commentary's period is a period code, and the plan, an effort
    area or an activity has at most one commentary per period."""
    seen: set[str] = set()
    for c, commentary in enumerate(owner.commentary):
        _check_period(collector, [*path, "commentary", c, "period"], commentary.period)
        if (commentary.period or "") in seen:
            collector.add(
                [*path, "commentary", c, "period"],
                f"{_OWNER_NAMES[type(owner)]} has one commentary per period",
            )
        seen.add(commentary.period or "")


_OWNER_NAMES: dict[type, str] = {
    PlanSpec: "the plan",
    EffortAreaSpec: "an effort area",
    ActivitySpec: "an activity",
}


def _check_goal_indicators(
    plan: PlanFile, collector: _Collector, indicator_units: dict[str, Any]
) -> None:
    for g, goal in enumerate(plan.goals):
        for i, slug in enumerate(goal.indicators):
            if slug not in indicator_units:
                collector.add(
                    ["goals", g, "indicators", i], f"unknown indicator {slug!r}"
                )


def _check_population_parts(
    plan: PlanFile, collector: _Collector, populations: set[str]
) -> None:
    for p, population in enumerate(plan.populations):
        for q, part in enumerate(population.parts):
            if part not in populations or part == population.slug:
                collector.add(
                    ["populations", p, "parts", q],
                    f"unknown population {part!r}"
                    if part not in populations
                    else "a population cannot be a part of itself",
                )


def _check_plan(plan: PlanFile, collector: _Collector) -> None:
    if plan.plan.end < plan.plan.start:
        collector.add(["plan", "end"], "the plan ends before it starts")
    _check_unique(
        collector,
        [(["areas", i, "slug"], a.slug) for i, a in enumerate(plan.areas)]
        + [
            (["populations", i, "slug"], p.slug) for i, p in enumerate(plan.populations)
        ],
        "population or area slug",
    )
    _check_unique(
        collector,
        [
            (["indicators", i, "slug"], ind.slug)
            for i, ind in enumerate(plan.indicators)
        ],
        "indicator slug",
    )
    _check_denominators(plan, collector)
    _check_unique(
        collector,
        [(["goals", i, "slug"], g.slug) for i, g in enumerate(plan.goals)],
        "goal slug",
    )
    _check_unique(
        collector,
        [
            (["effort_areas", i, "slug"], e.slug)
            for i, e in enumerate(plan.effort_areas)
        ],
        "effort area slug",
    )
    _check_commentary(collector, ["plan"], plan.plan)
    for e, effort_area in enumerate(plan.effort_areas):
        _check_commentary(collector, ["effort_areas", e], effort_area)
    _check_activities(plan, collector)

    indicator_units = {ind.slug: ind.unit for ind in plan.indicators}
    populations = {a.slug for a in plan.areas} | {p.slug for p in plan.populations}
    _check_goal_indicators(plan, collector, indicator_units)
    _check_population_parts(plan, collector, populations)

    criteria = list(_walk_criteria(plan))
    _check_unique(collector, [([*p, "id"], c.id) for p, c in criteria], "criterion id")
    for path, criterion in criteria:
        _check_criterion(collector, path, criterion, indicator_units, populations)
        _check_target_revisions(collector, path, criterion, plan.plan.start)
    _check_law_status(plan, collector, indicator_units, populations)


# The unit each of the law's figures must be given in (core.area_status).
_LAW_FIGURE_UNITS = {figure: unit.value for figure, unit in FIGURE_UNITS.items()}


# The unit the indicator a share is derived from must be in.
_LAW_DERIVATION_UNITS = {"per_1000": "per_1000", "complement": "percent"}


def _check_law_status(
    plan: PlanFile,
    collector: _Collector,
    indicator_units: dict[str, Any],
    populations: set[str],
) -> None:
    spec = plan.law_status
    if spec is None:
        return
    for scope in ("national", "region"):
        slug = getattr(spec, scope)
        if slug is not None and slug not in populations:
            collector.add(["law_status", scope], f"unknown population {slug!r}")
    for figure, given in spec.figures.items():
        path: list[str | int] = ["law_status", "figures", figure]
        slug, derive = (given, None) if isinstance(given, str) else given.as_pair()
        if derive is not None:
            path.append("indicator")
        unit = indicator_units.get(slug)
        needed = _LAW_FIGURE_UNITS[figure]
        if derive is not None and needed != "percent":
            collector.add(
                [*path[:-1], "derive"],
                f"only a share in per cent can be derived, not {figure!r}",
            )
            continue
        if derive is not None:
            needed = _LAW_DERIVATION_UNITS[derive]
        if unit is None:
            collector.add(path, f"unknown indicator {slug!r}")
        elif str(getattr(unit, "value", unit)) != needed:
            collector.add(
                path,
                f"indicator {slug!r} is in {getattr(unit, 'value', unit)}, "
                f"the figure needs {needed}",
            )


def _check_criterion(
    collector: _Collector,
    path: list[str | int],
    criterion: CriterionSpecFile,
    indicator_units: dict[str, Any],
    populations: set[str],
) -> None:
    """What pydantic cannot see in one criterion: names of other rows, which
    sources of values go together, the baseline its kind needs, periods."""
    if criterion.indicator is not None or criterion.population is not None:
        _check_bound_criterion(collector, path, criterion, indicator_units, populations)
    if criterion.measure is not None:
        _check_measure(collector, path, criterion, populations)
    if (
        criterion.unit is None
        and criterion.indicator is None
        and criterion.measure is None
        and criterion.kind != CriterionKind.QUALITATIVE
    ):
        collector.add(
            [*path, "unit"], "is required when no indicator or measure is given"
        )
    _check_baseline(collector, path, criterion)
    _check_period(collector, [*path, "period"], criterion.period)
    _check_qualitative(collector, path, criterion)
    _check_values(collector, path, criterion)


def _check_target_revisions(
    collector: _Collector,
    path: list[str | int],
    criterion: CriterionSpecFile,
    plan_start: datetime.date,
) -> None:
    """A criterion's revised targets: oldest first, one a day, after the
    plan started (a target revised on its first day never applied)."""
    previous: datetime.date | None = None
    for r, revision in enumerate(criterion.target_revisions):
        field = [*path, "target_revisions", r, "date"]
        if revision.date <= plan_start:
            collector.add(
                field,
                f"a target revised on {revision.date} is not revised during the "
                f"plan, which starts {plan_start}",
            )
        if previous is not None and revision.date <= previous:
            collector.add(
                field,
                f"revisions go oldest first, one a day: {revision.date} comes "
                f"after {previous}",
            )
        previous = revision.date


def _check_bound_criterion(
    collector: _Collector,
    path: list[str | int],
    criterion: CriterionSpecFile,
    indicator_units: dict[str, Any],
    populations: set[str],
) -> None:
    if criterion.indicator is None or criterion.population is None:
        collector.add(path, "indicator and population go together")
    if criterion.indicator is not None and criterion.indicator not in indicator_units:
        collector.add(
            [*path, "indicator"], f"unknown indicator {criterion.indicator!r}"
        )
    if criterion.population is not None and criterion.population not in populations:
        collector.add(
            [*path, "population"], f"unknown population {criterion.population!r}"
        )
    if criterion.values:
        collector.add(
            [*path, "values"], "give either indicator+population or values, not both"
        )


def _check_measure(
    collector: _Collector,
    path: list[str | int],
    criterion: CriterionSpecFile,
    populations: set[str],
) -> None:
    measure = criterion.measure
    assert measure is not None
    if path[0] != "effort_areas" or "activities" not in path:
        collector.add(
            [*path, "measure"], "only an activity's criteria can use a measure"
        )
    if criterion.values or criterion.indicator:
        collector.add(
            [*path, "measure"],
            "give a measure, values or indicator+population, only one of them",
        )
    if measure.area and measure.area not in populations:
        collector.add([*path, "measure", "area"], f"unknown area {measure.area!r}")
    low, high = measure.age_min, measure.age_max
    if low is not None and high is not None and low > high:
        collector.add([*path, "measure"], "age_min is above age_max")


def _check_baseline(
    collector: _Collector, path: list[str | int], criterion: CriterionSpecFile
) -> None:
    kind, baseline = criterion.kind, criterion.baseline
    if kind in NEEDS_BASELINE:
        has_baseline = baseline is not None and (
            baseline.value is not None
            or set(baseline.flags) & NO_VALUE_FLAGS
            or (baseline.period is not None and criterion.indicator is not None)
        )
        if not has_baseline:
            collector.add(
                [*path, "baseline"],
                f"a {kind.value} criterion needs a baseline (value and period, "
                "or a period of its indicator's observations)",
            )
    if baseline is not None:
        _check_period(collector, [*path, "baseline", "period"], baseline.period)


def _check_qualitative(
    collector: _Collector, path: list[str | int], criterion: CriterionSpecFile
) -> None:
    if criterion.kind == CriterionKind.QUALITATIVE:
        if criterion.values:
            collector.add(
                [*path, "values"], "a qualitative criterion takes evidence, not values"
            )
    elif criterion.verdict is not None:
        collector.add(
            [*path, "verdict"],
            "only qualitative criteria take a recorded verdict; fremdrift "
            "computes the others (use reported_verdict for the report's own)",
        )


def _check_values(
    collector: _Collector, path: list[str | int], criterion: CriterionSpecFile
) -> None:
    seen_periods: dict[str, int] = {}
    for v, value in enumerate(criterion.values):
        value_path = [*path, "values", v]
        _check_period(collector, [*value_path, "period"], value.period)
        if value.period in seen_periods:
            collector.add(
                [*value_path, "period"],
                f"period {value.period!r} is given twice "
                f"(also values[{seen_periods[value.period]}])",
            )
        seen_periods[value.period] = v
        _check_value_flags(collector, value_path, value.value, value.flags)


def _check_value_flags(
    collector: _Collector,
    path: list[str | int],
    value: Decimal | None,
    flags: Sequence[Flag],
) -> None:
    no_value = set(flags) & NO_VALUE_FLAGS
    if value is None and not no_value:
        collector.add(
            [*path, "value"],
            "is empty: give a number or flag it missing, unreadable or suppressed",
        )
    if value is not None and no_value:
        names = ", ".join(sorted(f.value for f in no_value))
        collector.add([*path, "value"], f"has a number but is flagged {names}")


def _parse_decimal(text: str) -> Decimal:
    cleaned = text.strip()
    if "," in cleaned:
        raise ValueError(
            f"{text!r} is not a number (use a decimal point, no thousands separator)"
        )
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{text!r} is not a number")
    # The same limits as ``fremdrift import``: no more digits than the
    # database keeps (a 20-digit number overflowed the column).
    try:
        number_for_storage(number, text=text)
    except NumberError as error:
        raise ValueError(str(error)) from None
    return number


def _read_observations(
    path: Path, plan: PlanFile | None
) -> tuple[list[ObservationRow], list[Problem]]:
    # The shared reader's problems are translatable; the plan folder's stay
    # in English, as every other problem of this module is.
    with translation.override("en"):
        return _read_observations_file(path, plan)


def _read_observations_file(
    path: Path, plan: PlanFile | None
) -> tuple[list[ObservationRow], list[Problem]]:
    """observations.csv read with the shared reader (``base.tabular``: a
    NUL byte, a broken quote or a cell over its size is one problem and ends
    the file) and checked as ``fremdrift import`` checks a row: names,
    periods, numbers, the indicator's unit and sign, duplicates."""
    collector = _Collector(str(path))
    try:
        records = list_records(path)
        header = next(records, None)
    except TableFileError as error:
        return [], [_table_problem(p) for p in error.problems]
    if isinstance(header, TableProblem):
        return [], [_table_problem(header)]
    if not _check_header(header[1] if header else None, collector):
        return [], collector.problems
    # Without a valid plan.yaml the references cannot be checked; the rest
    # of each row still is.
    indicators = (
        {
            ind.slug: (ind.unit, ind.counts_persons, ind.change)
            for ind in plan.indicators
        }
        if plan
        else None
    )
    populations = (
        {a.slug for a in plan.areas} | {p.slug for p in plan.populations}
        if plan
        else None
    )
    rows: list[ObservationRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    try:
        for record in records:
            if isinstance(record, TableProblem):
                collector.problems.append(_table_problem(record))
                break
            line, cells_list = record
            if not any(cell.strip() for cell in cells_list):
                continue
            if len(cells_list) != len(OBSERVATION_COLUMNS):
                collector.add_line(
                    line,
                    "",
                    f"has {len(cells_list)} fields, expected "
                    f"{len(OBSERVATION_COLUMNS)}",
                )
                continue
            cells = dict(zip(OBSERVATION_COLUMNS, cells_list, strict=True))
            row = _ObservationCells(collector, line, cells).read(
                indicators, populations, seen
            )
            if row is not None:
                rows.append(row)
    except TableFileError as error:
        collector.problems.extend(_table_problem(p) for p in error.problems)
    return rows, collector.problems


def list_records(path: Path) -> Iterator[tuple[int, list[str]] | TableProblem]:
    """observations.csv's records: comma-separated, as the plan format
    says."""
    return csv_table(path, str(path), delimiter=",")


def _table_problem(problem: TableProblem) -> Problem:
    return Problem(
        problem.where.file,
        problem.where.line,
        problem.where.column or "",
        problem.message,
    )


def _check_header(header: list[str] | None, collector: _Collector) -> bool:
    if header is None:
        collector.add_line(1, "", "is empty: the header row is missing")
        return False
    if header == OBSERVATION_COLUMNS:
        return True
    if len(header) == 1 and ";" in header[0]:
        hint = " (the file looks semicolon-separated; use commas)"
    else:
        hint = ""
    collector.add_line(
        1,
        "header",
        f"expected columns {','.join(OBSERVATION_COLUMNS)}, got "
        f"{','.join(header)}{hint}",
    )
    return False


class _ObservationCells:
    """One line of observations.csv being read. Every problem of the line is
    reported, not only the first, so that one load shows them all."""

    def __init__(self, collector: _Collector, line: int, cells: dict[str, str]):
        self.collector = collector
        self.line = line
        self.cells = cells
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.collector.add_line(self.line, column, message)
        self.ok = False

    def check_references(
        self, indicators: Container[str] | None, populations: set[str] | None
    ) -> None:
        indicator, population = self.cells["indicator"], self.cells["population"]
        if indicators is not None and indicator not in indicators:
            self.problem("indicator", f"unknown indicator {indicator!r}")
        if populations is not None and population not in populations:
            self.problem("population", f"unknown population {population!r}")

    def read(
        self,
        indicators: dict[str, tuple[Unit, bool, bool]] | None,
        populations: set[str] | None,
        seen: dict[tuple[str, str, str], int],
    ) -> ObservationRow | None:
        """The validated row, or None when the line has a problem."""
        self.check_references(indicators, populations)
        period = self.period()
        numbers = {
            column: self.number(column)
            for column in ("value", "numerator", "denominator")
        }
        flags = self.flags()
        if self.ok:
            self.check_value_flags(numbers["value"], flags)
        if self.ok and indicators is not None:
            self.check_unit(indicators[self.cells["indicator"]], numbers)
        self.check_unique(seen)
        if not self.ok or period is None:
            return None
        return ObservationRow(
            line=self.line,
            indicator=self.cells["indicator"],
            population=self.cells["population"],
            period=period,
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            note=unguarded(self.cells["note"]),
            flags=tuple(flags),
        )

    def period(self) -> Period | None:
        try:
            return parse_period(self.cells["period"].strip())
        except PeriodError as error:
            self.problem("period", str(error))
            return None

    def number(self, column: str) -> Decimal | None:
        if self.cells[column].strip() == "":
            return None
        try:
            return _parse_decimal(self.cells[column])
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def flags(self) -> list[str]:
        known = [f.value for f in Flag]
        flags = list(filter(None, (f.strip() for f in self.cells["flags"].split(";"))))
        for flag in flags:
            if flag not in known:
                self.problem(
                    "flags", f"unknown flag {flag!r} (known: " + ", ".join(known) + ")"
                )
        return flags

    def check_value_flags(self, value: Decimal | None, flags: list[str]) -> None:
        no_value = set(flags) & {f.value for f in NO_VALUE_FLAGS}
        if value is None and not no_value:
            self.problem(
                "value",
                "is empty: give a number or flag it missing, unreadable or suppressed",
            )
        elif value is not None and no_value:
            self.problem(
                "value", "has a number but is flagged " + ", ".join(sorted(no_value))
            )

    def check_unit(
        self,
        indicator: tuple[Unit, bool, bool],
        numbers: dict[str, Decimal | None],
    ) -> None:
        """The same checks as ``fremdrift import`` makes: the value fits its
        indicator's unit and sign (a percent lies between 0 and 100, a count
        of persons is whole and not negative), and a numerator and
        denominator are not negative (a denominator not zero)."""
        unit, counts_persons, change = indicator
        value = numbers["value"]
        if value is not None:
            why = value_problem(
                unit, value, counts_persons=counts_persons, change=change
            )
            if why:
                self.problem("value", why)
                return
        why = part_problem(value, numbers["numerator"], numbers["denominator"])
        if why:
            self.problem("numerator" if "numerator" in why else "denominator", why)

    def check_unique(self, seen: dict[tuple[str, str, str], int]) -> None:
        key = (
            self.cells["indicator"],
            self.cells["population"],
            self.cells["period"].strip(),
        )
        if key in seen:
            self.problem(
                "period",
                f"{key[0]}/{key[1]}/{key[2]} is given twice (first on line "
                f"{seen[key]})",
            )
        else:
            seen[key] = self.line

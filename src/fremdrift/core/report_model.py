"""The format-agnostic content of a report.

One assembly step builds a ``ReportDocument`` from plain values; each
format (HTML now; PDF, DOCX, XLSX later) only renders it. Every number in a
report comes from here, formatted the Danish way, with its raw value kept
beside the text so a spreadsheet renderer can store numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .model import (
    NO_VALUE_FLAGS,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    Outcome,
    Unit,
)
from .plan_model import JudgedCriterion, count_outcomes
from .text_da import (
    format_date,
    format_number,
    format_period,
    format_value,
    outcome_label,
)

FLAG_LABELS_DA = {
    Flag.METHOD_CHANGED: "opgørelsesmetoden er ændret",
    Flag.MISSING: "mangler",
    Flag.UNREADABLE: "ulæseligt i kilden",
    Flag.DERIVED: "beregnet ud fra andre trykte tal",
    Flag.SUPPRESSED: "skjult af diskretionshensyn",
    Flag.CONTRADICTORY: "kilden modsiger sig selv",
}

OUTCOME_ORDER = (
    Outcome.ACHIEVED,
    Outcome.PARTLY_ACHIEVED,
    Outcome.NOT_ACHIEVED,
    Outcome.PENDING,
    Outcome.NOT_MEASURABLE,
)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The plan's facts as the introduction shows them."""

    name: str
    slug: str
    start: date
    end: date
    vision: str
    organisation: str
    municipality: str = ""
    successor: str = ""
    predecessor: str = ""
    introduction: str = ""
    method: str = ""
    summary: str = ""
    other_activities: str = ""
    area_names: tuple[str, ...] = ()
    size_as_of: date | None = None
    size_source: str = ""
    housing_organisations: int | None = None
    department_boards: int | None = None
    leases: int | None = None
    residents: int | None = None
    funding_total_dkk: Decimal | None = None
    funding_note: str = ""
    funding_projects: tuple[str, ...] = ()
    extensions: tuple[tuple[str, date], ...] = ()  # (activity, extended to)


@dataclass(frozen=True, slots=True)
class IndicatorSeries:
    """An indicator and its observations, per population in display order."""

    slug: str
    name: str
    unit: Unit
    unit_label: str
    source: str
    measured: str
    notes: tuple[str, ...]
    populations: tuple[tuple[str, tuple[DataPoint, ...]], ...]


@dataclass(frozen=True, slots=True)
class GoalInput:
    name: str
    description: str
    indicators: tuple[IndicatorSeries, ...]
    criteria: tuple[JudgedCriterion, ...]


@dataclass(frozen=True, slots=True)
class ActivityInput:
    slug: str
    name: str
    description: str
    decisions: tuple[str, ...]
    notes: tuple[str, ...]
    criteria: tuple[JudgedCriterion, ...]
    sub_activities: tuple[ActivityInput, ...] = ()
    extended_to: date | None = None


@dataclass(frozen=True, slots=True)
class EffortAreaInput:
    name: str
    description: str
    criteria: tuple[JudgedCriterion, ...]
    activities: tuple[ActivityInput, ...]


# ---------------------------------------------------------------- output


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: the text shown and, for numbers, the raw value."""

    text: str
    value: Decimal | None = None
    unit: Unit | None = None
    flags: frozenset[Flag] = frozenset()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CriterionRow:
    """One criterion as a report row: expected, achieved, verdict."""

    ident: str
    text: str
    own_defined: bool
    baseline: str
    target: str
    achieved: str
    outcome: Outcome
    outcome_label: str
    explanation: str
    remarks: tuple[str, ...]
    reported_label: str
    agrees_with_report: bool | None
    notes: tuple[str, ...]
    period_values: tuple[tuple[str, str], ...]  # (period, value) as printed


@dataclass(frozen=True, slots=True)
class Section:
    """A heading with its text, tables and criteria. ``key`` is the slug of
    the activity the section describes, when it describes one."""

    title: str
    anchor: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    criteria: tuple[CriterionRow, ...] = ()
    subsections: tuple[Section, ...] = ()
    key: str = ""


@dataclass(frozen=True, slots=True)
class ReportDocument:
    kind: str
    title: str
    subtitle: str
    plan_name: str
    period_text: str
    generated_on: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    outcome_counts: tuple[tuple[str, str, int], ...] = field(default=())
    # (outcome value, Danish label, count)


# ---------------------------------------------------------------- assembly


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip().replace("\n", " ") for p in text.split("\n\n") if p.strip())


def describe_target(spec: CriterionSpec) -> str:
    """The expected result in Danish: "mindst 80", "24-40", "højst 10 %",
    "reduceres med 10 % i forhold til baseline"."""
    target, unit, label = spec.target, spec.unit, spec.unit_label
    kind = spec.kind

    def value(number: Decimal | None) -> str:
        return format_value(number, unit, label) if number is not None else "?"

    if kind == CriterionKind.AT_LEAST:
        return f"mindst {value(target.number)}"
    if kind == CriterionKind.AT_MOST:
        return f"højst {value(target.number)}"
    if kind == CriterionKind.SHARE_AT_LEAST:
        return (
            f"mindst {format_value(target.number, Unit.PERCENT)}"
            if target.number is not None
            else "?"
        )
    if kind == CriterionKind.RANGE:
        low = format_number(target.minimum) if target.minimum is not None else "?"
        return f"{low}-{value(target.maximum)}"
    if kind == CriterionKind.REDUCE_TO:
        return f"reduceres til {value(target.number)}"
    if kind == CriterionKind.INCREASE_TO:
        return f"øges til {value(target.number)}"
    if kind in (CriterionKind.REDUCE_BY, CriterionKind.INCREASE_BY):
        verb = "reduceres" if kind == CriterionKind.REDUCE_BY else "øges"
        if target.relative is not None:
            text = f"{verb} med {format_number(target.relative * 100, 1)} %"
        elif target.absolute is not None:
            text = f"{verb} med {value(target.absolute)}"
        else:
            text = verb
        if target.threshold is not None:
            text += f" (til {value(target.threshold)})"
        return text
    if kind == CriterionKind.BELOW_BASELINE:
        return "under baseline"
    if kind == CriterionKind.ABOVE_BASELINE:
        return "over baseline"
    if kind == CriterionKind.HOLD_BASELINE:
        if target.tolerance is not None:
            return f"fastholdes på baseline (±{value(target.tolerance)})"
        if target.relative_tolerance is not None:
            pct = format_number(target.relative_tolerance * 100, 1)
            return f"fastholdes på baseline (±{pct} %)"
        return "fastholdes på baseline"
    if kind == CriterionKind.EVERY_PERIOD:
        op = "mindst" if target.every_op == "at_least" else "højst"
        return f"{op} {value(target.number)} i hver periode"
    return "kvalitativt"


def _point_text(point: DataPoint, unit: Unit, label: str = "") -> str:
    if point.value is None or point.flags & NO_VALUE_FLAGS:
        flags = sorted(f.value for f in point.flags & NO_VALUE_FLAGS)
        return FLAG_LABELS_DA[Flag(flags[0])] if flags else "mangler"
    text = format_value(point.value, unit, label)
    if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
        text += "*"
    return text


def criterion_row(item: JudgedCriterion) -> CriterionRow:
    criterion, verdict = item.criterion, item.verdict
    spec = criterion.spec
    baseline = ""
    if spec.baseline is not None:
        baseline = _point_text(spec.baseline, spec.unit, spec.unit_label)
        if spec.baseline.period.code:
            baseline += f" ({format_period(spec.baseline.period)})"
    if spec.kind == CriterionKind.QUALITATIVE:
        achieved = spec.evidence
    elif verdict.judged_value is not None:
        achieved = format_value(verdict.judged_value, spec.unit, spec.unit_label)
    else:
        achieved = "–"
    notes = list(criterion.notes)
    for point in criterion.series:
        if point.note and point.note not in notes:
            notes.append(f"{format_period(point.period)}: {point.note}")
    return CriterionRow(
        ident=criterion.ident,
        text=criterion.text,
        own_defined=criterion.own_defined,
        baseline=baseline,
        target=describe_target(spec),
        achieved=achieved,
        outcome=verdict.outcome,
        outcome_label=outcome_label(verdict.outcome),
        explanation=verdict.explanation,
        remarks=verdict.remarks,
        reported_label=outcome_label(criterion.reported_outcome)
        if criterion.reported_outcome
        else "",
        agrees_with_report=item.agrees_with_report,
        notes=tuple(notes),
        period_values=tuple(
            (format_period(p.period), _point_text(p, spec.unit, spec.unit_label))
            for p in criterion.series
        )
        if len(criterion.series) > 1
        else (),
    )


def _change_cell(
    previous: DataPoint | None, latest: DataPoint | None, unit: Unit
) -> Cell:
    """Change from the previous period to the latest: percentage points for
    shares, a relative change in per cent for counts and rates."""
    if (
        previous is None
        or latest is None
        or previous.value is None
        or latest.value is None
    ):
        return Cell("–")
    if unit == Unit.PERCENT:
        diff = latest.value - previous.value
        sign = "+" if diff > 0 else ""
        return Cell(f"{sign}{format_number(diff, 1)} pct.-point", diff)
    if previous.value == 0:
        return Cell("–")
    change = (latest.value - previous.value) / previous.value * 100
    sign = "+" if change > 0 else ""
    return Cell(f"{sign}{format_number(change, 1)} %", change, Unit.PERCENT)


def indicator_table(series: IndicatorSeries) -> Table:
    """One indicator by population and period, with the change from the
    previous period to the latest."""
    periods: dict[str, DataPoint] = {}
    for _name, points in series.populations:
        for point in points:
            periods.setdefault(point.period.code, point)
    ordered = sorted(periods.values(), key=lambda p: (p.period.end, p.period.start))
    codes = [p.period.code for p in ordered]
    last_two = codes[-2:] if len(codes) >= 2 else []
    change_header = (
        f"Ændring {ordered[-2].period.code}-{ordered[-1].period.code}"
        if last_two
        else "Ændring"
    )
    rows = []
    notes: list[str] = list(series.notes)
    for name, points in series.populations:
        by_code = {p.period.code: p for p in points}
        cells = [Cell(name)]
        for code in codes:
            point = by_code.get(code)
            if point is None:
                cells.append(Cell("–"))
                continue
            cells.append(
                Cell(
                    _point_text(point, series.unit),
                    point.value,
                    series.unit,
                    point.flags,
                    point.note,
                )
            )
            if point.note:
                notes.append(f"{name}, {format_period(point.period)}: {point.note}")
        if last_two:
            cells.append(
                _change_cell(
                    by_code.get(last_two[0]), by_code.get(last_two[1]), series.unit
                )
            )
        rows.append(tuple(cells))
    unit_text = {
        Unit.PERCENT: "Andel i %",
        Unit.PER_1000: "Personer pr. 1.000 beboere",
        Unit.COUNT: "Antal" + (f" {series.unit_label}" if series.unit_label else ""),
        Unit.MEAN: "Gennemsnit"
        + (f", {series.unit_label}" if series.unit_label else ""),
    }[series.unit]
    source = series.source + (f" {series.measured}" if series.measured else "")
    columns = (unit_text, *[format_period(p.period) for p in ordered])
    if last_two:
        columns = (*columns, change_header)
    if any(
        cell.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}
        for row in rows
        for cell in row
    ):
        notes.append("* Tallet er markeret: se noten.")
    return Table(
        caption=series.name,
        columns=columns,
        rows=tuple(rows),
        source=source.strip(),
        notes=tuple(dict.fromkeys(notes)),
    )


def _slug(text: str) -> str:
    keep = [c.lower() if c.isalnum() else "-" for c in text]
    return "-".join(filter(None, "".join(keep).split("-")))


def _activity_section(activity: ActivityInput, depth: int = 0) -> Section:
    paragraphs = list(_paragraphs(activity.description))
    if activity.extended_to:
        paragraphs.append(
            f"Aktiviteten er forlænget til {format_date(activity.extended_to)}."
        )
    paragraphs += [f"Beslutning: {d}" for d in activity.decisions]
    return Section(
        title=activity.name,
        anchor=_slug(activity.name),
        key=activity.slug,
        paragraphs=tuple(paragraphs),
        criteria=tuple(criterion_row(c) for c in activity.criteria),
        subsections=tuple(
            _activity_section(s, depth + 1) for s in activity.sub_activities
        ),
    )


def _all_criteria(
    goals: Sequence[GoalInput], effort_areas: Sequence[EffortAreaInput]
) -> list[JudgedCriterion]:
    found: list[JudgedCriterion] = []
    for goal in goals:
        found.extend(goal.criteria)

    def walk(activity: ActivityInput) -> None:
        found.extend(activity.criteria)
        for sub in activity.sub_activities:
            walk(sub)

    for effort_area in effort_areas:
        found.extend(effort_area.criteria)
        for activity in effort_area.activities:
            walk(activity)
    return found


def _count_table(
    caption: str, judged: Sequence[JudgedCriterion]
) -> tuple[Table, tuple[tuple[str, str, int], ...]]:
    counts = count_outcomes(judged)
    summary = tuple(
        (o.value, outcome_label(o), counts.get(o, 0)) for o in OUTCOME_ORDER
    )
    rows = tuple(
        (Cell(label.capitalize()), Cell(format_number(n), Decimal(n), Unit.COUNT))
        for _value, label, n in summary
        if n
    )
    rows += (
        (
            Cell("I alt"),
            Cell(format_number(len(judged)), Decimal(len(judged)), Unit.COUNT),
        ),
    )
    return Table(
        caption=caption, columns=("Vurdering", "Antal succeskriterier"), rows=rows
    ), summary


def _disagreement_text(item: JudgedCriterion) -> str:
    reported = item.criterion.reported_outcome
    printed = outcome_label(reported) if reported else "-"
    computed = outcome_label(item.verdict.outcome)
    return f"{item.criterion.ident} (rapporten: {printed}, beregnet: {computed})"


def build_final_report(
    *,
    facts: PlanFacts,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    generated_on: date,
) -> ReportDocument:
    """The final evaluation (resultatevaluering): introduction, method,
    overall goals with their statistics, effort-area criteria, activity
    criteria per effort area, other activities and funding, summary."""
    fact_rows: list[tuple[str, str]] = [
        ("Periode", f"{format_date(facts.start)} - {format_date(facts.end)}"),
        ("Vision", facts.vision),
        ("Sekretariat", facts.organisation),
    ]
    if facts.area_names:
        fact_rows.append(("Boligområder", ", ".join(facts.area_names)))
    size_parts = []
    for label, number in (
        ("boligorganisationer", facts.housing_organisations),
        ("afdelingsbestyrelser", facts.department_boards),
        ("lejemål", facts.leases),
        ("beboere", facts.residents),
    ):
        if number is not None:
            size_parts.append(f"{format_number(number)} {label}")
    if size_parts:
        when = f" pr. {format_date(facts.size_as_of)}" if facts.size_as_of else ""
        source = f" (kilde: {facts.size_source})" if facts.size_source else ""
        fact_rows.append(("Omfang", ", ".join(size_parts) + when + source))
    for name, extended in facts.extensions:
        fact_rows.append(("Forlænget", f"{name} til {format_date(extended)}"))
    if facts.successor:
        fact_rows.append(("Efterfølges af", facts.successor))

    intro = Section(
        title="Indledning",
        anchor="indledning",
        paragraphs=_paragraphs(facts.introduction),
    )
    method = Section(
        title="Evalueringsmetode og datagrundlag",
        anchor="metode",
        paragraphs=_paragraphs(facts.method),
    )
    goal_sections = tuple(
        Section(
            title=goal.name,
            anchor="maal-" + _slug(goal.name),
            paragraphs=_paragraphs(goal.description),
            tables=tuple(indicator_table(s) for s in goal.indicators),
            criteria=tuple(criterion_row(c) for c in goal.criteria),
        )
        for goal in goals
    )
    goals_section = Section(
        title="Resultater på de overordnede mål",
        anchor="overordnede-maal",
        subsections=goal_sections,
    )
    effort_section = Section(
        title="Resultater på indsatsområderne",
        anchor="indsatsomraader",
        subsections=tuple(
            Section(
                title=ea.name,
                anchor="indsats-" + _slug(ea.name),
                criteria=tuple(criterion_row(c) for c in ea.criteria),
            )
            for ea in effort_areas
        ),
    )
    activity_section = Section(
        title="Resultater på aktivitetsniveau",
        anchor="aktiviteter",
        subsections=tuple(
            Section(
                title=ea.name,
                anchor="aktiviteter-" + _slug(ea.name),
                paragraphs=_paragraphs(ea.description),
                subsections=tuple(_activity_section(a) for a in ea.activities),
            )
            for ea in effort_areas
        ),
    )
    other_paragraphs = list(_paragraphs(facts.other_activities))
    if facts.funding_total_dkk is not None:
        other_paragraphs.append(
            f"Supplerende midler i alt: {format_number(facts.funding_total_dkk)} kr."
            + (f" ({facts.funding_note})" if facts.funding_note else "")
        )
    if facts.funding_projects:
        other_paragraphs.append("Projekter: " + ", ".join(facts.funding_projects) + ".")
    other = Section(
        title="Andre aktiviteter og supplerende midler",
        anchor="andre-aktiviteter",
        paragraphs=tuple(other_paragraphs),
    )
    judged = _all_criteria(goals, effort_areas)
    count_table, summary_counts = _count_table(
        "Succeskriterier fordelt på vurdering", judged
    )
    level_tables = []
    for caption, level in (
        ("Overordnede mål", "goal"),
        ("Indsatsområder", "effort_area"),
        ("Aktiviteter", "activity"),
    ):
        subset = [j for j in judged if j.criterion.level == level]
        if subset:
            level_tables.append(
                _count_table(f"Succeskriterier: {caption.lower()}", subset)[0]
            )
    disagreements = [j for j in judged if j.agrees_with_report is False]
    summary_paragraphs = list(_paragraphs(facts.summary))
    achieved = sum(1 for j in judged if j.verdict.outcome == Outcome.ACHIEVED)
    summary_paragraphs.insert(
        0,
        f"Af helhedsplanens {format_number(len(judged))} succeskriterier er "
        f"{format_number(achieved)} opnået. Alle vurderinger er beregnet af "
        "fremdrift ud fra de registrerede tal.",
    )
    if disagreements:
        summary_paragraphs.insert(
            1,
            f"{format_number(len(disagreements))} vurdering(er) afviger fra den "
            "vurdering, den trykte rapport angiver: "
            + "; ".join(_disagreement_text(j) for j in disagreements)
            + ".",
        )
    summary = Section(
        title="Opsummering",
        anchor="opsummering",
        paragraphs=tuple(summary_paragraphs),
        tables=(count_table, *level_tables),
    )
    return ReportDocument(
        kind="final",
        title="Resultatevaluering",
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=f"{format_date(facts.start)} - {format_date(facts.end)}",
        generated_on=format_date(generated_on),
        facts=tuple(fact_rows),
        sections=(
            intro,
            method,
            goals_section,
            effort_section,
            activity_section,
            other,
            summary,
        ),
        outcome_counts=summary_counts,
    )

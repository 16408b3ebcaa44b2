"""Building blocks of every report kind: a criterion as a row, an indicator
as a table, the Danish description of a target."""

from __future__ import annotations

from decimal import Decimal

from .model import (
    NO_VALUE_FLAGS,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    Unit,
)
from .plan_model import JudgedCriterion
from .report_model import (
    FLAG_LABELS_DA,
    Cell,
    CriterionRow,
    IndicatorSeries,
    Table,
)
from .text_da import (
    format_number,
    format_period,
    format_value,
    outcome_label,
)


def paragraphs(text: str) -> tuple[str, ...]:
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

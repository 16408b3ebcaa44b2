"""Building blocks of every report kind: a criterion as a row, an indicator
as a table, the Danish description of a target."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from .model import (
    NO_VALUE_FLAGS,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    Unit,
)
from .periods import parse_period
from .plan_model import JudgedCriterion
from .report_model import (
    FLAG_LABELS_DA,
    ActivityInput,
    Cell,
    ChartSeries,
    ChartSpec,
    CriterionRow,
    IndicatorSeries,
    Section,
    Table,
)
from .text_da import (
    format_date,
    format_number,
    format_period,
    format_value,
    outcome_label,
    pace_label,
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
    if Flag.SUPPRESSED in point.flags and point.note.startswith("<"):
        return point.note  # "<5": hidden by statistical discretion
    if point.value is None or point.flags & NO_VALUE_FLAGS:
        flags = sorted(f.value for f in point.flags & NO_VALUE_FLAGS)
        return FLAG_LABELS_DA[Flag(flags[0])] if flags else "mangler"
    text = format_value(point.value, unit, label)
    if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
        text += "*"
    return text


def change_since(item: JudgedCriterion, previous: JudgedCriterion | None) -> str:
    """What changed since the previous judgement, in Danish: the judged
    value's move and a changed verdict ("Fra 40 til 70; vurderingen er
    ændret fra bagud til i rute")."""
    if previous is None:
        return ""
    spec = item.criterion.spec
    now, before = item.verdict, previous.verdict
    parts = []
    if now.judged_value is not None and before.judged_value is not None:
        if now.judged_value != before.judged_value:
            parts.append(
                f"Fra {format_value(before.judged_value, spec.unit, spec.unit_label)} "
                f"til {format_value(now.judged_value, spec.unit, spec.unit_label)}"
            )
        else:
            parts.append("Uændret værdi")
    elif now.judged_value is not None:
        parts.append("Første måling")
    old = (before.pace and pace_label(before.pace)) or outcome_label(before.outcome)
    new = (now.pace and pace_label(now.pace)) or outcome_label(now.outcome)
    if old != new:
        parts.append(f"vurderingen er ændret fra {old} til {new}")
    return "; ".join(parts) + "." if parts else ""


def criterion_row(
    item: JudgedCriterion, previous: JudgedCriterion | None = None
) -> CriterionRow:
    """A judged criterion as a report row; ``previous`` is the same
    criterion judged at the previous report, to say what changed."""
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
        if (
            point.note
            and point.note not in notes
            and Flag.SUPPRESSED not in point.flags
        ):
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
        pace=pace_label(verdict.pace) if verdict.pace else "",
        change=change_since(item, previous),
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
            if point.note and Flag.SUPPRESSED not in point.flags:
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


AXIS_LABELS = {
    Unit.PERCENT: "Andel i %",
    Unit.PER_1000: "Personer pr. 1.000 beboere",
    Unit.COUNT: "Antal",
    Unit.MEAN: "Gennemsnit",
}


def axis_label(unit: Unit, unit_label: str = "") -> str:
    """The axis title naming the real unit; a count or mean names what it
    counts ("Antal personer", "Gennemsnit, fraværsdage")."""
    base = AXIS_LABELS[unit]
    if unit_label and unit == Unit.PERCENT:
        return f"{unit_label.capitalize()} i %"
    if unit_label and unit == Unit.COUNT:
        return f"{base} {unit_label}"
    if unit_label and unit == Unit.MEAN:
        return f"{base}, {unit_label}"
    return base


def _ordered_periods(series: IndicatorSeries) -> list[DataPoint]:
    periods: dict[str, DataPoint] = {}
    for _name, points in series.populations:
        for point in points:
            periods.setdefault(point.period.code, point)
    return sorted(periods.values(), key=lambda p: (p.period.end, p.period.start))


def indicator_chart(series: IndicatorSeries) -> ChartSpec | None:
    """Grouped bars by population and period, as the seed draws them, or a
    line chart when there are more periods than a bar group can hold. The
    comparison population is always a series of its own. None when the
    indicator has no number to draw."""
    ordered = _ordered_periods(series)
    if not any(
        p.value is not None and not p.flags & NO_VALUE_FLAGS
        for _n, points in series.populations
        for p in points
    ):
        return None
    codes = [p.period.code for p in ordered]
    labels = tuple(format_period(p.period) for p in ordered)
    names = tuple(name for name, _points in series.populations)

    def value(points: tuple[DataPoint, ...], code: str) -> Decimal | None:
        for point in points:
            if point.period.code == code and not point.flags & NO_VALUE_FLAGS:
                return point.value
        return None

    by_name = dict(series.populations)
    if len(codes) <= 6:
        kind = "grouped_bars"
        x_labels = names
        chart_series = tuple(
            ChartSeries(
                name=label, values=tuple(value(by_name[n], code) for n in names)
            )
            for code, label in zip(codes, labels, strict=True)
        )
    else:
        kind = "line"
        x_labels = labels
        chart_series = tuple(
            ChartSeries(
                name=n,
                values=tuple(value(by_name[n], code) for code in codes),
                is_comparison=n in series.comparison_names,
            )
            for n in names
        )
    unit_text = axis_label(series.unit, series.unit_label)
    period_text = f"{labels[0]}-{labels[-1]}" if len(labels) > 1 else labels[0]
    alt_text = (
        f"{'Søjlediagram' if kind == 'grouped_bars' else 'Linjediagram'}: "
        f"{series.name}, {period_text}, for {', '.join(names)}. "
        f"Enhed: {unit_text.lower()}. " + " ".join(indicator_sentences(series))
    )
    return ChartSpec(
        key=series.slug,
        kind=kind,
        title=series.name,
        unit=series.unit,
        axis_label=unit_text,
        x_labels=x_labels,
        series=chart_series,
        caption=series.name,
        alt_text=alt_text.strip(),
        source=series.source,
        comparison_labels=tuple(n for n in names if n in series.comparison_names)
        if kind == "grouped_bars"
        else (),
    )


def _direction_words(unit: Unit) -> tuple[str, str]:
    if unit == Unit.PERCENT:
        return "Andelen", "andelen"
    if unit == Unit.PER_1000:
        return "Antallet", "antallet"
    if unit == Unit.MEAN:
        return "Gennemsnittet", "gennemsnittet"
    return "Antallet", "antallet"


def _flagged_value(point: DataPoint, unit: Unit, label: str) -> str:
    assert point.value is not None
    text = format_value(point.value, unit, label)
    if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
        text += "*"
    return text


def _movement(first: DataPoint, last: DataPoint, unit: Unit, label: str) -> str:
    """ "steget fra 58,3 % i 2017 til 63,1 % i 2021"; a value the source
    marks (derived, contradictory, method changed) carries a "*" as in the
    tables."""
    assert first.value is not None and last.value is not None
    if last.value > first.value:
        verb = "steget"
    elif last.value < first.value:
        verb = "faldet"
    else:
        return (
            f"uændret på {_flagged_value(last, unit, label)} fra "
            f"{format_period(first.period)} til {format_period(last.period)}"
        )
    return (
        f"{verb} fra {_flagged_value(first, unit, label)} i "
        f"{format_period(first.period)} til {_flagged_value(last, unit, label)} "
        f"i {format_period(last.period)}"
    )


def indicator_sentences(series: IndicatorSeries) -> tuple[str, ...]:
    """One Danish sentence per area with the numbers and the direction,
    and the comparison population in the same sentence as the first area:
    "Andelen er steget fra 58,3 % i 2017 til 63,1 % i 2021 i
    Glarbjergvej-området; i Randers Kommune fra 81,1 % til 83,6 %."."""
    subject, _lower = _direction_words(series.unit)
    usable = {
        name: [
            p for p in points if p.value is not None and not p.flags & NO_VALUE_FLAGS
        ]
        for name, points in series.populations
    }
    areas = [n for n, _ in series.populations if n not in series.comparison_names]
    comparisons = [n for n, _ in series.populations if n in series.comparison_names]
    comparison_text = ""
    for name in comparisons:
        points = usable[name]
        if len(points) >= 2:
            moved = _movement(points[0], points[-1], series.unit, series.unit_label)
            comparison_text = f"; i {name} er det {moved}"
            break
    sentences = []
    for name in areas:
        points = usable[name]
        if len(points) < 2:
            continue
        moved = _movement(points[0], points[-1], series.unit, series.unit_label)
        text = f"{subject} i {name} er {moved}"
        if not sentences and comparison_text:
            text += comparison_text
        sentences.append(text + ".")
    return tuple(sentences)


def slug_of(text: str) -> str:
    """An HTML anchor from a heading: lower-case letters, digits, hyphens."""
    keep = [c.lower() if c.isalnum() else "-" for c in text]
    return "-".join(filter(None, "".join(keep).split("-")))


def _commentary_period(code: str) -> str:
    if not code:
        return "Hele perioden"
    return format_period(parse_period(code))


def activity_section(
    activity: ActivityInput,
    *,
    commentary_periods: Callable[[str], bool] | None = None,
    previous: Mapping[str, JudgedCriterion] | None = None,
) -> Section:
    """An activity (and its sub-activities) as a report section.

    ``commentary_periods`` selects which of the team's commentaries to
    show (all when None); ``previous`` holds last period's judgements, to
    say what changed since then.
    """
    texts = list(paragraphs(activity.description))
    if activity.extended_to:
        texts.append(
            f"Aktiviteten er forlænget til {format_date(activity.extended_to)}."
        )
    texts += [f"Beslutning: {d}" for d in activity.decisions]
    commentary = tuple(
        (_commentary_period(code), text)
        for code, text in activity.commentary
        if commentary_periods is None or commentary_periods(code)
    )
    return Section(
        title=activity.name,
        anchor=slug_of(activity.name),
        key=activity.slug,
        paragraphs=tuple(texts),
        criteria=tuple(
            criterion_row(
                c, previous=previous.get(c.criterion.ident) if previous else None
            )
            for c in activity.criteria
        ),
        commentary=commentary,
        subsections=tuple(
            activity_section(
                s, commentary_periods=commentary_periods, previous=previous
            )
            for s in activity.sub_activities
        ),
    )

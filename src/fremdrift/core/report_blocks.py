"""Building blocks of every report kind: a criterion as a row, an indicator
as a table, the description of a target, in the current language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from .forecast import outlook_label
from .i18n import _, gettext_noop
from .model import (
    NO_VALUE_FLAGS,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    Flag,
    HoldBaselineTarget,
    IncreaseByTarget,
    NumberTarget,
    RangeTarget,
    ReduceByTarget,
    TargetChange,
    Unit,
)
from .plan_model import JudgedCriterion
from .report_model import (
    ActivityInput,
    Cell,
    ChartSeries,
    ChartSpec,
    CriterionRow,
    EffortAreaInput,
    GoalInput,
    IndicatorSeries,
    Section,
    Table,
    flag_label,
)
from .text_da import (
    format_commentary_period,
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
    """The expected result in words: "mindst 80", "24-40", "højst 10 %",
    "reduceres med 10,0 %", "fastholdes på baseline"."""
    target, unit, label, kind = spec.target, spec.unit, spec.unit_label, spec.kind

    def value(number: Decimal) -> str:
        return format_value(number, unit, label)

    match target:
        case NumberTarget(number):
            return _describe_number(kind, number, value)
        case RangeTarget(minimum, maximum):
            return f"{format_number(minimum)}-{value(maximum)}"
        case ReduceByTarget() | IncreaseByTarget():
            return _describe_change(target, value)
        case HoldBaselineTarget(tolerance, relative_tolerance):
            if tolerance is not None:
                shown = value(tolerance)
            elif relative_tolerance is not None:
                shown = format_value(relative_tolerance * 100, Unit.PERCENT, decimals=1)
            else:
                return _("fastholdes på baseline")
            return _("fastholdes på baseline (±{tolerance})").format(tolerance=shown)
        case EveryPeriodTarget(op, number):
            if op == "at_least":
                return _("mindst {value} i hver periode").format(value=value(number))
            return _("højst {value} i hver periode").format(value=value(number))
    if kind == CriterionKind.BELOW_BASELINE:
        return _("under baseline")
    if kind == CriterionKind.ABOVE_BASELINE:
        return _("over baseline")
    return _("kvalitativt")


def _describe_number(
    kind: CriterionKind, number: Decimal, value: Callable[[Decimal], str]
) -> str:
    """A number target: "mindst 80", "højst 10", "mindst 43 %" (a share),
    "reduceres til 8", "øges til 60"."""
    if kind == CriterionKind.AT_MOST:
        return _("højst {value}").format(value=value(number))
    if kind == CriterionKind.SHARE_AT_LEAST:
        return _("mindst {value}").format(value=format_value(number, Unit.PERCENT))
    if kind == CriterionKind.REDUCE_TO:
        return _("reduceres til {value}").format(value=value(number))
    if kind == CriterionKind.INCREASE_TO:
        return _("øges til {value}").format(value=value(number))
    return _("mindst {value}").format(value=value(number))


def _describe_change(
    target: ReduceByTarget | IncreaseByTarget, value: Callable[[Decimal], str]
) -> str:
    """A change of the baseline: "reduceres med 10,0 %", "øges med 3",
    with the printed threshold when there is one: "(til 1,46)"."""
    reduce = isinstance(target, ReduceByTarget)
    amount = None
    if target.relative is not None:
        amount = format_value(target.relative * 100, Unit.PERCENT, decimals=1)
    elif isinstance(target, IncreaseByTarget) and target.absolute is not None:
        amount = value(target.absolute)
    if amount is None:
        text = _("reduceres") if reduce else _("øges")
    elif reduce:
        text = _("reduceres med {amount}").format(amount=amount)
    else:
        text = _("øges med {amount}").format(amount=amount)
    if target.threshold is not None:
        text = _("{target} (til {threshold})").format(
            target=text, threshold=value(target.threshold)
        )
    return text


def describe_target_change(spec: CriterionSpec, change: TargetChange) -> str:
    """One revision of the target as a sentence: "Målet blev ændret fra 48
    til 40 familier den 1. marts 2020: <reason>". Two number targets are
    told as their numbers, the unit once, after the new one; any other
    target as its description (``describe_target``)."""
    if isinstance(change.previous, NumberTarget) and isinstance(
        change.target, NumberTarget
    ):
        unit = Unit.PERCENT if spec.kind == CriterionKind.SHARE_AT_LEAST else spec.unit
        before = format_value(change.previous.number, unit)
        if unit is not Unit.PERCENT:
            before = format_number(change.previous.number)
        after = format_value(change.target.number, unit, spec.unit_label)
    else:
        before = describe_target(replace(spec, target=change.previous))
        after = describe_target(replace(spec, target=change.target))
    return _("Målet blev ændret fra {before} til {after} den {day}: {reason}").format(
        before=before,
        after=after,
        day=format_date(change.in_force_from),
        reason=change.reason.strip(),
    )


def point_text(point: DataPoint, unit: Unit, label: str = "") -> str:
    """One value as a report prints it: ``8,2 %``; a count hidden by
    statistical discretion as ``<5``; a value without a number as its
    flag's label (``mangler``); a marked value (derived, contradictory,
    method changed) with ``*``."""
    if Flag.SUPPRESSED in point.flags and point.note.startswith("<"):
        return point.note  # "<5": hidden by statistical discretion
    if point.value is None or point.flags & NO_VALUE_FLAGS:
        flags = sorted(f.value for f in point.flags & NO_VALUE_FLAGS)
        return flag_label(Flag(flags[0])) if flags else _("mangler")
    text = format_value(point.value, unit, label)
    if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
        text += "*"
    return text


def change_since(item: JudgedCriterion, previous: JudgedCriterion | None) -> str:
    """What changed since the previous judgement: the judged value's move
    and a changed verdict ("Fra 40 til 70; vurderingen er ændret fra bagud
    til i rute.")."""
    if previous is None:
        return ""
    spec = item.criterion.spec
    now, before = item.verdict, previous.verdict
    parts = []
    if now.judged_value is not None and before.judged_value is not None:
        if now.judged_value != before.judged_value:
            parts.append(
                _("Fra {before} til {after}").format(
                    before=format_value(
                        before.judged_value, spec.unit, spec.unit_label
                    ),
                    after=format_value(now.judged_value, spec.unit, spec.unit_label),
                )
            )
        else:
            parts.append(_("Uændret værdi"))
    elif now.judged_value is not None:
        parts.append(_("Første måling"))
    old = (before.pace and pace_label(before.pace)) or outcome_label(before.outcome)
    new = (now.pace and pace_label(now.pace)) or outcome_label(now.outcome)
    if old != new:
        parts.append(
            _("vurderingen er ændret fra {old} til {new}").format(old=old, new=new)
        )
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
        baseline = point_text(spec.baseline, spec.unit, spec.unit_label)
        if spec.baseline.period.code:
            baseline += f" ({format_period(spec.baseline.period)})"
    if spec.kind == CriterionKind.QUALITATIVE:
        achieved = spec.evidence
    elif verdict.judged_value is not None:
        achieved = format_value(verdict.judged_value, spec.unit, spec.unit_label)
    elif criterion.series and Flag.SUPPRESSED in criterion.series[-1].flags:
        achieved = point_text(criterion.series[-1], spec.unit)  # "<5"
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
    forecast = item.statistics.forecast
    outlook = forecast.outlook if forecast is not None else None
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
            (format_period(p.period), point_text(p, spec.unit, spec.unit_label))
            for p in criterion.series
        )
        if len(criterion.series) > 1
        else (),
        pace=pace_label(verdict.pace) if verdict.pace else "",
        change=change_since(item, previous),
        within_chance=verdict.within_chance,
        thin_data=item.statistics.thin_text,
        outlook=outlook.value if outlook else "",
        outlook_label=outlook_label(outlook) if outlook else "",
        target_changes=tuple(
            describe_target_change(spec, change) for change in criterion.target_changes
        ),
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
        return Cell(f"{sign}{format_number(diff, 1)} {points_unit()}", diff)
    if previous.value == 0:
        return Cell("–")
    change = (latest.value - previous.value) / previous.value * 100
    sign = "+" if change > 0 else ""
    return Cell(
        sign + format_value(change, Unit.PERCENT, decimals=1), change, Unit.PERCENT
    )


def _joined_note(note: str, extra: str) -> str:
    """A cell's own note followed by what the statistics add, the note
    ended with a full stop so the two read as sentences."""
    if not note or not extra:
        return note or extra
    ended = note.rstrip()
    if not ended.endswith((".", "!", "?")):
        ended += "."
    return f"{ended} {extra}"


def points_unit() -> str:
    """The abbreviation after a change in percentage points: ``pct.-point``
    (English ``pp``); the spreadsheet renderer looks for it."""
    return _("pct.-point")


def indicator_table(
    series: IndicatorSeries,
    *,
    cell_notes: Mapping[tuple[str, str], str] | None = None,
    notes: Sequence[str] = (),
) -> Table:
    """One indicator by population and period, with the change from the
    previous period to the latest. ``cell_notes`` adds a note to a cell,
    keyed by (population, period code): its interval or thin-data mark;
    ``notes`` are added under the table after the indicator's own."""
    periods: dict[str, DataPoint] = {}
    for _name, points in series.populations:
        for point in points:
            periods.setdefault(point.period.code, point)
    ordered = sorted(periods.values(), key=lambda p: (p.period.end, p.period.start))
    codes = [p.period.code for p in ordered]
    last_two = codes[-2:] if len(codes) >= 2 else []
    change_header = (
        _("Ændring fra {first} til {last}").format(
            first=format_period(ordered[-2].period),
            last=format_period(ordered[-1].period),
        )
        if last_two
        else _("Ændring")
    )
    rows = []
    table_notes: list[str] = list(series.notes)
    for name, points in series.populations:
        by_code = {p.period.code: p for p in points}
        cells = [Cell(name)]
        for code in codes:
            found = by_code.get(code)
            if found is None:
                cells.append(Cell("–"))
                continue
            point = found
            extra = (cell_notes or {}).get((name, code), "")
            cells.append(
                Cell(
                    point_text(point, series.unit),
                    point.value,
                    series.unit,
                    point.flags,
                    _joined_note(point.note, extra),
                )
            )
            if point.note and Flag.SUPPRESSED not in point.flags:
                table_notes.append(
                    f"{name}, {format_period(point.period)}: {point.note}"
                )
        if last_two:
            cells.append(
                _change_cell(
                    by_code.get(last_two[0]), by_code.get(last_two[1]), series.unit
                )
            )
        rows.append(tuple(cells))
    unit_text = series_unit_text(series)
    source = series.source + (f" {series.measured}" if series.measured else "")
    columns = (unit_text, *[format_period(p.period) for p in ordered])
    if last_two:
        columns = (*columns, change_header)
    if any(
        cell.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}
        for row in rows
        for cell in row
    ):
        table_notes.append(_("* Tallet er markeret: se noten."))
    table_notes.extend(notes)
    return Table(
        caption=series.name,
        columns=columns,
        rows=tuple(rows),
        source=source.strip(),
        notes=tuple(dict.fromkeys(table_notes)),
    )


# Message ids, translated where used.
AXIS_LABELS = {
    Unit.PERCENT: gettext_noop("Andel i %"),
    Unit.PER_1000: gettext_noop("Personer pr. 1.000 beboere"),
    Unit.COUNT: gettext_noop("Antal"),
    Unit.MEAN: gettext_noop("Gennemsnit"),
}


def axis_label(unit: Unit, unit_label: str = "") -> str:
    """The axis title naming the real unit; a count or mean names what it
    counts ("Antal personer", "Gennemsnit, fraværsdage")."""
    if unit_label and unit == Unit.PERCENT:
        return _("{label} i %").format(label=unit_label.capitalize())
    if unit_label and unit == Unit.COUNT:
        return _("Antal {label}").format(label=unit_label)
    if unit_label and unit == Unit.MEAN:
        return _("Gennemsnit, {label}").format(label=unit_label)
    return _(AXIS_LABELS[unit])


def series_unit_text(series: IndicatorSeries) -> str:
    """What an indicator's values are, as its table's first column header:
    "Andel i %", "Personer pr. 1.000 beboere", "Antal personer"."""
    if series.unit in (Unit.COUNT, Unit.MEAN):
        return axis_label(series.unit, series.unit_label)
    return _(AXIS_LABELS[series.unit])


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
    if kind == "grouped_bars":
        described = _("Søjlediagram: {title}, {period}, for {populations}.")
    else:
        described = _("Linjediagram: {title}, {period}, for {populations}.")
    alt_text = (
        described.format(
            title=series.name, period=period_text, populations=", ".join(names)
        )
        + " "
        + _("Enhed: {unit}.").format(unit=unit_text.lower())
        + " "
        + " ".join(indicator_sentences(series))
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


# Sentences on an indicator's direction, by what the unit measures and
# which way the value moved: (subject, direction) -> message id.
_AREA_SENTENCES = {
    ("share", "up"): gettext_noop(
        "Andelen i {area} er steget fra {first} i {first_period} til {last} i "
        "{last_period}"
    ),
    ("share", "down"): gettext_noop(
        "Andelen i {area} er faldet fra {first} i {first_period} til {last} i "
        "{last_period}"
    ),
    ("share", "same"): gettext_noop(
        "Andelen i {area} er uændret på {last} fra {first_period} til {last_period}"
    ),
    ("number", "up"): gettext_noop(
        "Antallet i {area} er steget fra {first} i {first_period} til {last} i "
        "{last_period}"
    ),
    ("number", "down"): gettext_noop(
        "Antallet i {area} er faldet fra {first} i {first_period} til {last} i "
        "{last_period}"
    ),
    ("number", "same"): gettext_noop(
        "Antallet i {area} er uændret på {last} fra {first_period} til {last_period}"
    ),
    ("mean", "up"): gettext_noop(
        "Gennemsnittet i {area} er steget fra {first} i {first_period} til "
        "{last} i {last_period}"
    ),
    ("mean", "down"): gettext_noop(
        "Gennemsnittet i {area} er faldet fra {first} i {first_period} til "
        "{last} i {last_period}"
    ),
    ("mean", "same"): gettext_noop(
        "Gennemsnittet i {area} er uændret på {last} fra {first_period} til "
        "{last_period}"
    ),
}
# The comparison population, in the same sentence as the first area.
_COMPARISON_CLAUSES = {
    "up": gettext_noop(
        "i {area} er det steget fra {first} i {first_period} til {last} i {last_period}"
    ),
    "down": gettext_noop(
        "i {area} er det faldet fra {first} i {first_period} til {last} i {last_period}"
    ),
    "same": gettext_noop(
        "i {area} er det uændret på {last} fra {first_period} til {last_period}"
    ),
}


def _subject(unit: Unit) -> str:
    if unit == Unit.PERCENT:
        return "share"
    if unit == Unit.MEAN:
        return "mean"
    return "number"


def _flagged_value(point: DataPoint, unit: Unit, label: str) -> str:
    assert point.value is not None
    text = format_value(point.value, unit, label)
    if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
        text += "*"
    return text


def _movement(
    template: Mapping[str, str],
    area: str,
    first: DataPoint,
    last: DataPoint,
    unit: Unit,
    label: str,
) -> str:
    """``template`` (by direction) filled in: "... er steget fra 58,3 % i
    2017 til 63,1 % i 2021"; a value the source marks (derived,
    contradictory, method changed) carries a "*" as in the tables."""
    assert first.value is not None and last.value is not None
    if last.value > first.value:
        direction = "up"
    elif last.value < first.value:
        direction = "down"
    else:
        direction = "same"
    return _(template[direction]).format(
        area=area,
        first=_flagged_value(first, unit, label),
        first_period=format_period(first.period),
        last=_flagged_value(last, unit, label),
        last_period=format_period(last.period),
    )


def indicator_sentences(series: IndicatorSeries) -> tuple[str, ...]:
    """One sentence per area with the numbers and the direction, and the
    comparison population in the same sentence as the first area:
    "Andelen i Glarbjergvej-området er steget fra 58,3 % i 2017 til 63,1 %
    i 2021; i Randers Kommune er det steget fra 81,1 % i 2017 til 83,6 % i
    2021."."""
    subject = _subject(series.unit)
    area_templates = {
        direction: template
        for (kind, direction), template in _AREA_SENTENCES.items()
        if kind == subject
    }
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
            comparison_text = _movement(
                _COMPARISON_CLAUSES,
                name,
                points[0],
                points[-1],
                series.unit,
                series.unit_label,
            )
            break
    sentences: list[str] = []
    for name in areas:
        points = usable[name]
        if len(points) < 2:
            continue
        text = _movement(
            area_templates,
            name,
            points[0],
            points[-1],
            series.unit,
            series.unit_label,
        )
        if not sentences and comparison_text:
            text += "; " + comparison_text
        sentences.append(text + ".")
    return tuple(sentences)


def slug_of(text: str) -> str:
    """An HTML anchor from a heading: lower-case letters, digits, hyphens."""
    keep = [c.lower() if c.isalnum() else "-" for c in text]
    return "-".join(filter(None, "".join(keep).split("-")))


# Labels of the figures a progress report counts per activity (translated
# where they are shown).
PERIOD_FIGURE_LABELS = (
    gettext_noop("Mødegange"),
    gettext_noop("Deltagere"),
    gettext_noop("Nye deltagere"),
    gettext_noop("Fremmødte uden navn"),
    gettext_noop("Kontakter"),
    gettext_noop("Brobygninger"),
)


def commentary_shown(
    commentary: Iterable[tuple[str, str]],
    periods: Callable[[str], bool] | None = None,
) -> tuple[tuple[str, str], ...]:
    """The team's commentary as a report prints it: (period in words, text)
    for each (period code, text) that ``periods`` selects (all when None),
    in the order given."""
    return tuple(
        (format_commentary_period(code), text)
        for code, text in commentary
        if periods is None or periods(code)
    )


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
            _("Aktiviteten er forlænget til {date}.").format(
                date=format_date(activity.extended_to)
            )
        )
    texts += [
        _("Beslutning: {decision}").format(decision=d) for d in activity.decisions
    ]
    commentary = commentary_shown(activity.commentary, commentary_periods)
    tables: tuple[Table, ...] = ()
    if activity.period_figures:
        period = activity.period_figures[0][1].period
        tables = (
            Table(
                caption=_("Registreret i perioden {period}").format(
                    period=format_period(period)
                ),
                columns=(_("Registreret"), _("Antal")),
                rows=tuple(
                    (
                        Cell(_(label)),
                        Cell(
                            point_text(point, Unit.COUNT),
                            point.value,
                            Unit.COUNT,
                            point.flags,
                        ),
                    )
                    for label, point in activity.period_figures
                ),
                source=_("Aktivitetens registreringer i fremdrift"),
            ),
        )
    return Section(
        title=activity.name,
        anchor=slug_of(activity.name),
        key=activity.slug,
        paragraphs=tuple(texts),
        tables=tables,
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


def effort_area_section(
    effort_area: EffortAreaInput,
    *,
    previous: Mapping[str, JudgedCriterion] | None = None,
    commentary_periods: Callable[[str], bool] | None = None,
) -> Section:
    """An effort area's own criteria and the team's commentary on it
    (``commentary_periods`` selects which; all when None)."""
    return Section(
        title=effort_area.name,
        anchor="indsats-" + slug_of(effort_area.name),
        criteria=tuple(
            criterion_row(c, previous.get(c.criterion.ident) if previous else None)
            for c in effort_area.criteria
        ),
        commentary=commentary_shown(effort_area.commentary, commentary_periods),
    )


def all_criteria(
    goals: Sequence[GoalInput], effort_areas: Sequence[EffortAreaInput]
) -> list[JudgedCriterion]:
    """Every judged criterion of the goals, the effort areas and their
    activities at any depth, in report order."""
    found: list[JudgedCriterion] = [c for goal in goals for c in goal.criteria]

    def walk(activity: ActivityInput) -> None:
        found.extend(activity.criteria)
        for sub in activity.sub_activities:
            walk(sub)

    for effort_area in effort_areas:
        found.extend(effort_area.criteria)
        for activity in effort_area.activities:
            walk(activity)
    return found

"""Indicators in a report with how sure their numbers are: each value's
interval and thin-data mark, whether each area's change between its last
two periods is beyond chance, the gap to the comparison population and the
change of that gap (a table and a chart), the goal sections built from
them, the plan's other key figures, and the method note listing the
statistical methods the report used.

The statistics are in ``stats``, ``change``, ``gaps`` and ``stat_methods``;
the sentences in ``change_text`` and ``uncertainty``. docs/statistics.md
("In verdicts and reports").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .change import Change, change_between, point_number
from .change_text import rounded
from .derivation import derived_note
from .forecast import Forecast
from .gaps import GapChange, gap_change_between, gap_change_sentence
from .i18n import _, gettext_noop
from .model import NO_VALUE_FLAGS, DataPoint, Period, Unit
from .periods import period_sort_key
from .plan_model import JudgedCriterion
from .report_blocks import (
    all_criteria,
    criterion_row,
    indicator_chart,
    indicator_sentences,
    indicator_table,
    paragraphs,
    points_unit,
    slug_of,
)
from .report_model import (
    Cell,
    ChartSeries,
    ChartSpec,
    EffortAreaInput,
    GoalInput,
    IndicatorSeries,
    ReferenceLine,
    Section,
    Table,
)
from .stat_methods import method_note, methods_used
from .stats import Interval, interval_text, level_text, rate_interval, wilson_interval
from .text_da import format_number, format_period, format_value
from .uncertainty import (
    TEAM_SETTINGS,
    UncertaintySettings,
    change_text,
    counted,
    persons_behind,
    reveals_small_counts,
    thin_text,
)

# What a report's statistics produced, for its method note.
Result = Interval | Change | GapChange | Forecast

# Two periods are compared only when they are alike (a year with a year, a
# school year with a school year): their lengths in days may differ by a
# leap day and a day either end.
_SAME_LENGTH_DAYS = 2

GAP_AXIS_LABELS = {
    # The axis must name its unit (report_checks.axis_matches_unit): a
    # translation keeps "pct" (shares) or the "1.000" (rates).
    Unit.PERCENT: gettext_noop("Forskel i pct.-point"),
    Unit.PER_1000: gettext_noop("Forskel i personer pr. 1.000 beboere"),
    Unit.MEAN: gettext_noop("Forskel i gennemsnit"),
}
GAP_UNIT_NOTES = {
    Unit.PERCENT: gettext_noop(
        "Forskellen er området minus {comparison}, i procentpoint."
    ),
    Unit.PER_1000: gettext_noop(
        "Forskellen er området minus {comparison}, i personer pr. 1.000 beboere."
    ),
    Unit.MEAN: gettext_noop("Forskellen er området minus {comparison}."),
}


@dataclass(frozen=True, slots=True)
class IndicatorStatistics:
    """What the statistics add to one indicator in a report.

    ``cell_notes``: a note per (population, period code): the value's
    interval and its thin-data mark; ``notes``: sentences under the table
    (thin data, each area's change between its last two periods);
    ``gap_table``/``gap_chart``: the gap to the comparison population and
    its change, None without a comparison to hold the areas against;
    ``results``: every interval, change and gap computed, for the method
    note.
    """

    cell_notes: Mapping[tuple[str, str], str]
    notes: tuple[str, ...]
    gap_table: Table | None = None
    gap_chart: ChartSpec | None = None
    results: tuple[Result, ...] = ()


def _usable(points: Iterable[DataPoint]) -> list[DataPoint]:
    return sorted(
        (p for p in points if point_number(p) is not None),
        key=lambda p: period_sort_key(p.period),
    )


def _length(period: Period) -> int:
    return (period.end - period.start).days


def comparable(earlier: Period, later: Period) -> bool:
    """Whether a change from ``earlier`` to ``later`` compares like with
    like: ``earlier`` ends before ``later`` starts (a mean over 2017-2021
    is not set against 2021) and the two are about as long (a year against
    a year, not a month against a year)."""
    return (
        earlier.end < later.start
        and abs(_length(earlier) - _length(later)) <= _SAME_LENGTH_DAYS
    )


def last_two(points: Iterable[DataPoint]) -> tuple[DataPoint, DataPoint] | None:
    """The latest point with a value and the latest earlier one comparable
    with it (``comparable``); None when there is no such pair."""
    usable = _usable(points)
    if len(usable) < 2:
        return None
    last = usable[-1]
    earlier = [p for p in usable[:-1] if comparable(p.period, last.period)]
    return (earlier[-1], last) if earlier else None


def _interval(
    point: DataPoint, unit: Unit, settings: UncertaintySettings
) -> Interval | None:
    """The interval of one value: Wilson for a share with its count, exact
    Poisson for a rate with its population; None when it cannot be
    computed or would give a hidden count back."""
    if unit not in (Unit.PERCENT, Unit.PER_1000):
        return None
    if reveals_small_counts((point,), unit, settings.discretion):
        return None
    found = counted(point, unit)
    if found is None or found.count is None or found.denominator is None:
        return None
    try:
        if unit is Unit.PERCENT:
            interval = wilson_interval(
                found.count, found.denominator, level=settings.level,
                derived=found.derived,
            )  # fmt: skip
        else:
            interval = rate_interval(
                found.count, found.denominator, level=settings.level,
                derived=found.derived,
            )  # fmt: skip
    except ValueError:
        return None
    return interval if interval.computable else None


def _percent_sign() -> str:
    """The sign after a share in the current language: `` %`` or ``%``."""
    return format_value(Decimal(0), Unit.PERCENT).removeprefix("0")


def _cell_statistics(
    series: IndicatorSeries, settings: UncertaintySettings
) -> tuple[dict[tuple[str, str], str], list[str], list[Result]]:
    cell_notes: dict[tuple[str, str], str] = {}
    notes: list[str] = []
    results: list[Result] = []
    for name, points in series.populations:
        for point in points:
            texts = []
            interval = _interval(point, series.unit, settings)
            if interval is not None:
                results.append(interval)
                if series.unit is Unit.PERCENT:
                    texts.append(
                        interval_text(interval, factor=100, unit_text=_percent_sign())
                    )
                else:
                    texts.append(interval_text(interval))
                note = derived_note(interval.derived)
                if note:
                    texts.append(note)
            persons = persons_behind(point, series.unit)
            if persons is not None and persons < settings.thin_threshold:
                mark = thin_text(persons, settings)
                texts.append(mark[:1].upper() + mark[1:] + ".")
                notes.append(
                    _("{population}, {period}: {note}").format(
                        population=name, period=format_period(point.period), note=mark
                    )
                )
            if texts:
                cell_notes[(name, point.period.code)] = " ".join(texts)
    return cell_notes, notes, results


def _change_notes(
    series: IndicatorSeries, settings: UncertaintySettings
) -> tuple[list[str], list[Result]]:
    """Each area's change between its last two periods (``last_two``), as
    sentences under the table; one sentence for all areas when each of
    them says the same (the uncertainty cannot be computed, for the same
    reason and periods). A count is left out unless its population is
    known: a count of persons in a register is not an estimate."""
    entries: list[tuple[str, Period, Period, str]] = []
    results: list[Result] = []
    population = series.unit_label if series.unit is Unit.PER_1000 else ""
    for name, points in series.populations:
        if name in series.comparison_names:
            continue
        pair = last_two(points)
        if pair is None:
            continue
        if series.unit is Unit.COUNT and any(p.denominator is None for p in pair):
            continue
        try:
            change = change_between(pair[0], pair[1], series.unit, level=settings.level)
        except ValueError:
            continue
        results.append(change)
        text = change_text(change, pair, population=population, settings=settings)
        entries.append((name, pair[0].period, pair[1].period, text))
    if not entries:
        return [], results
    alike = {(first.code, last.code, text) for _n, first, last, text in entries}
    if len(entries) > 1 and len(alike) == 1:
        _name, first, last, text = entries[0]
        return [
            _("Ændringen fra {first} til {last}: {sentence}").format(
                first=format_period(first), last=format_period(last), sentence=text
            )
        ], results
    return [
        _("{area}, ændringen fra {first} til {last}: {sentence}").format(
            area=name,
            first=format_period(first),
            last=format_period(last),
            sentence=text,
        )
        for name, first, last, text in entries
    ], results


# ---------------------------------------------------------------- gaps


def comparison_for(series: IndicatorSeries) -> str | None:
    """The comparison population to hold the areas against: one that leaves
    the areas out when the indicator has it, else the first in the
    indicator's order, with at least two values; None without one."""
    candidates = [
        (name not in series.excluding_comparison_names, index, name)
        for index, (name, points) in enumerate(series.populations)
        if name in series.comparison_names and len(_usable(points)) >= 2
    ]
    return min(candidates)[2] if candidates else None


def _gap_periods(
    comparison: Mapping[str, DataPoint], areas: Mapping[str, Mapping[str, DataPoint]]
) -> tuple[Period, Period] | None:
    """The two periods the gap table compares: the latest in which the
    comparison and at least one area have a value, and the earliest period
    comparable with it in which the comparison and every area that has the
    latest have a value (else any area)."""
    common = [
        p.period
        for code, p in comparison.items()
        if any(code in values for values in areas.values())
    ]
    if not common:
        return None
    last = max(common, key=period_sort_key)
    with_last = [values for values in areas.values() if last.code in values]
    earlier = sorted((p for p in common if comparable(p, last)), key=period_sort_key)
    for period in earlier:
        if all(period.code in values for values in with_last):
            return period, last
    return (earlier[0], last) if earlier else None


def _signed(number: Decimal) -> str:
    shown = rounded(number)
    text = format_number(shown, 1)
    return f"+{text}" if shown > 0 else text


def _gap_cell(number: Decimal | None, unit: Unit) -> Cell:
    if number is None:
        return Cell("–")
    if unit is Unit.PERCENT:
        # The spreadsheet renderer reads percentage points by their suffix.
        return Cell(f"{_signed(number)} {points_unit()}", number)
    return Cell(_signed(number), number, unit)


def _beyond_cell(gap: GapChange | None) -> Cell:
    if gap is None:
        return Cell("–")
    if gap.beyond_chance is None:
        return Cell(_("kan ikke beregnes"))
    return Cell(_("ja") if gap.beyond_chance else _("nej"))


def _gap_statistics(
    series: IndicatorSeries, settings: UncertaintySettings
) -> tuple[Table | None, ChartSpec | None, list[Result]]:
    """The gap of each area to the comparison population in the two periods
    ``_gap_periods`` picks, and the change of that gap (difference in
    differences), as a table with one sentence per area; and the gap in
    every period as a line chart. Counts are left out: an area's count and
    the municipality's are not on one scale."""
    if series.unit is Unit.COUNT:
        return None, None, []
    name = comparison_for(series)
    if name is None:
        return None, None, []
    by_name = {
        n: {p.period.code: p for p in _usable(ps)} for n, ps in series.populations
    }
    comparison = by_name[name]
    areas = {
        n: values
        for n, values in by_name.items()
        if n not in series.comparison_names and values
    }
    periods = _gap_periods(comparison, areas)
    if not areas or periods is None:
        return None, None, []
    first, last = periods
    rows = []
    notes = [_(GAP_UNIT_NOTES[series.unit]).format(comparison=name)]
    results: list[Result] = []
    for area, values in areas.items():
        row, gap, sentence = _area_gap_row(
            area, values, comparison, periods, name, series, settings
        )
        if gap is not None:
            results.append(gap)
            notes.append(sentence)
        rows.append(row)
    caption = _("Forskel til {comparison}: {indicator}").format(
        comparison=name, indicator=series.name
    )
    table = Table(
        caption=caption,
        columns=(
            _("Område"),
            _("Forskel {period}").format(period=format_period(first)),
            _("Forskel {period}").format(period=format_period(last)),
            _("Ændring af forskellen"),
            _("Større end den statistiske usikkerhed"),
        ),
        rows=tuple(rows),
        source=series.source,
        notes=tuple(notes),
    )
    return table, _gap_chart(series, name, comparison, areas, caption, notes), results


def _area_gap_row(
    area: str,
    values: Mapping[str, DataPoint],
    comparison: Mapping[str, DataPoint],
    periods: tuple[Period, Period],
    comparison_name: str,
    series: IndicatorSeries,
    settings: UncertaintySettings,
) -> tuple[tuple[Cell, ...], GapChange | None, str]:
    """One area's row of the gap table, the change of its gap, and the
    sentence under the table that explains that change ("" when there is no
    change to explain: a period without a value on either side, or figures
    the change cannot be computed from)."""
    first, last = periods
    gaps = [
        None
        if period.code not in values or period.code not in comparison
        else _number(values[period.code]) - _number(comparison[period.code])
        for period in (first, last)
    ]
    gap = None
    sentence = ""
    if gaps[0] is not None and gaps[1] is not None:
        pair = (values[first.code], values[last.code])
        against = (comparison[first.code], comparison[last.code])
        try:
            gap = gap_change_between(pair, against, series.unit, level=settings.level)
        except ValueError:
            # Printed figures no test can use (a count that is not whole, a
            # count larger than its group): the gaps are still shown, with
            # no change.
            gap = None
        if gap is not None:
            sentence = _gap_sentence(
                area, gap, (*pair, *against), comparison_name, series, settings
            )
    row = (
        Cell(area),
        _gap_cell(gaps[0], series.unit),
        _gap_cell(gaps[1], series.unit),
        _gap_cell(None if gap is None else gap.change, series.unit),
        _beyond_cell(gap),
    )
    return row, gap, sentence


def _gap_sentence(
    area: str,
    gap: GapChange,
    points: tuple[DataPoint, ...],
    comparison_name: str,
    series: IndicatorSeries,
    settings: UncertaintySettings,
) -> str:
    """The note on one area's change of gap, with how its denominators were
    derived unless saying so could give away a count discretion hides."""
    population = series.unit_label if series.unit is Unit.PER_1000 else ""
    sentence = gap_change_sentence(
        gap, comparison=comparison_name, population=population
    )
    note = derived_note(gap.interval.derived)
    if note and not reveals_small_counts(points, series.unit, settings.discretion):
        sentence = f"{sentence} {note}"
    return _("{area}: {sentence}").format(area=area, sentence=sentence)


def _number(point: DataPoint) -> Decimal:
    value = point_number(point)
    assert value is not None
    return value


def _gap_chart(
    series: IndicatorSeries,
    name: str,
    comparison: Mapping[str, DataPoint],
    areas: Mapping[str, Mapping[str, DataPoint]],
    caption: str,
    notes: Sequence[str],
) -> ChartSpec | None:
    """The gap of each area to the comparison in every period both have a
    value, as lines (one per area); None with fewer than two periods."""
    periods = sorted(
        (
            p.period
            for code, p in comparison.items()
            if any(code in values for values in areas.values())
        ),
        key=period_sort_key,
    )
    if len(periods) < 2:
        return None
    labels = tuple(format_period(p) for p in periods)
    lines = tuple(
        ChartSeries(
            name=area,
            values=tuple(
                _number(values[p.code]) - _number(comparison[p.code])
                if p.code in values
                else None
                for p in periods
            ),
        )
        for area, values in areas.items()
    )
    axis = _(GAP_AXIS_LABELS[series.unit])
    alt_text = " ".join(
        (
            _(
                "Linjediagram: forskellen mellem {areas} og {comparison}, {period}."
            ).format(
                areas=", ".join(areas),
                comparison=name,
                period=f"{labels[0]}-{labels[-1]}",
            ),
            _("Enhed: {unit}.").format(unit=axis.lower()),
            *notes[1:],
        )
    )
    return ChartSpec(
        key=f"{series.slug}-forskel",
        kind="line",
        title=caption,
        unit=series.unit,
        axis_label=axis,
        x_labels=labels,
        series=lines,
        caption=caption,
        alt_text=alt_text,
        source=series.source,
    )


def indicator_statistics(
    series: IndicatorSeries, settings: UncertaintySettings = TEAM_SETTINGS
) -> IndicatorStatistics:
    """Everything the statistics add to one indicator (see
    ``IndicatorStatistics``)."""
    cell_notes, thin_notes, cell_results = _cell_statistics(series, settings)
    change_notes, change_results = _change_notes(series, settings)
    gap_table, gap_chart, gap_results = _gap_statistics(series, settings)
    return IndicatorStatistics(
        cell_notes=cell_notes,
        notes=(*thin_notes, *change_notes),
        gap_table=gap_table,
        gap_chart=gap_chart,
        results=(*cell_results, *change_results, *gap_results),
    )


@dataclass(frozen=True, slots=True)
class IndicatorBlocks:
    """An indicator's sentences, tables and charts in a report, and the
    results behind their uncertainty."""

    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...]
    charts: tuple[ChartSpec, ...]
    results: tuple[Result, ...]


def indicator_blocks(
    indicators: Sequence[IndicatorSeries],
    settings: UncertaintySettings = TEAM_SETTINGS,
    *,
    with_charts: bool = True,
) -> IndicatorBlocks:
    """For each indicator: its sentences, its table with the statistics'
    notes and its gap table, its chart and its gap chart (``with_charts``)."""
    texts: list[str] = []
    tables: list[Table] = []
    charts: list[ChartSpec] = []
    results: list[Result] = []
    for series in indicators:
        statistics = indicator_statistics(series, settings)
        texts.extend(indicator_sentences(series))
        tables.append(
            indicator_table(
                series, cell_notes=statistics.cell_notes, notes=statistics.notes
            )
        )
        if statistics.gap_table is not None:
            tables.append(statistics.gap_table)
        if with_charts:
            chart = indicator_chart(series)
            if chart is not None:
                charts.append(chart)
            if statistics.gap_chart is not None:
                charts.append(statistics.gap_chart)
        results.extend(statistics.results)
    return IndicatorBlocks(tuple(texts), tuple(tables), tuple(charts), tuple(results))


def reference_lines(
    series: IndicatorSeries,
    criteria: Sequence[JudgedCriterion],
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> tuple[ReferenceLine, ...]:
    """The targets and baselines of the criteria judged on ``series``, as
    lines on its chart: a criterion's threshold (the number its verdict
    was held against) and its baseline, in the indicator's unit. A
    criterion in another unit draws none; a line that could give a reader
    outside the team a hidden count (``reveals_small_counts``: the
    baseline, and a threshold computed from it) is left out."""
    lines: list[ReferenceLine] = []
    for item in criteria:
        criterion, spec = item.criterion, item.criterion.spec
        if criterion.indicator != series.slug or spec.unit != series.unit:
            continue
        baseline = spec.baseline
        hidden = baseline is not None and reveals_small_counts(
            (baseline,), spec.unit, settings.discretion
        )
        population = criterion.population
        threshold = item.verdict.threshold
        if threshold is not None and not hidden:
            value = format_value(threshold, series.unit, series.unit_label)
            label = (
                _("Mål for {population}: {value}") if population else _("Mål: {value}")
            ).format(population=population, value=value)
            lines.append(ReferenceLine("target", threshold, label, population))
        if (
            baseline is not None
            and baseline.value is not None
            and not baseline.flags & NO_VALUE_FLAGS
            and not hidden
            # below_baseline and the like: the baseline is the target.
            and baseline.value != threshold
        ):
            value = format_value(baseline.value, series.unit, series.unit_label)
            label = (
                _("Baseline for {population}: {value}")
                if population
                else _("Baseline: {value}")
            ).format(population=population, value=value)
            lines.append(ReferenceLine("baseline", baseline.value, label, population))
    return tuple(lines)


def goal_section(
    goal: GoalInput,
    *,
    with_description: bool = True,
    previous: Mapping[str, JudgedCriterion] | None = None,
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> Section:
    """An overall goal: its text, a sentence, a table and a chart per
    indicator with their uncertainty and the gap to the comparison
    population, and its criteria (with what changed since ``previous``)."""
    texts = paragraphs(goal.description) if with_description else ()
    blocks = indicator_blocks(goal.indicators, settings)
    by_slug = {series.slug: series for series in goal.indicators}
    charts = tuple(
        replace(
            chart,
            reference_lines=reference_lines(
                by_slug[chart.key], goal.criteria, settings
            ),
        )
        if chart.key in by_slug
        else chart
        for chart in blocks.charts
    )
    return Section(
        title=goal.name,
        anchor="maal-" + slug_of(goal.name),
        paragraphs=(*texts, *blocks.paragraphs),
        tables=blocks.tables,
        charts=charts,
        criteria=tuple(
            criterion_row(c, previous.get(c.criterion.ident) if previous else None)
            for c in goal.criteria
        ),
    )


def other_indicators_section(
    indicators: Sequence[IndicatorSeries],
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> Section | None:
    """The plan's key figures that no overall goal follows (the share of
    10-17-year-olds charged, children with language difficulties, ...): a
    table per indicator with its uncertainty, without charts. None when
    every indicator follows a goal."""
    if not indicators:
        return None
    blocks = indicator_blocks(indicators, settings, with_charts=False)
    return Section(
        title=_("Andre nøgletal"),
        anchor="andre-noegletal",
        paragraphs=(
            _(
                "Nøgletal, som helhedsplanen har registreret, men som ikke "
                "følges af et af de overordnede mål."
            ),
            *blocks.paragraphs,
        ),
        tables=blocks.tables,
    )


# ---------------------------------------------------------------- methods


def report_results(
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    other_indicators: Sequence[IndicatorSeries] = (),
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> list[Result]:
    """Every interval, change, gap and forecast a report shows: its
    criteria's and its indicators'."""
    found: list[Result] = []
    for item in all_criteria(goals, effort_areas):
        if item.statistics.change is not None:
            found.append(item.statistics.change)
        if item.statistics.forecast is not None:
            found.append(item.statistics.forecast)
    indicators = [s for goal in goals for s in goal.indicators]
    for series in (*indicators, *other_indicators):
        found.extend(indicator_statistics(series, settings).results)
    return found


def method_paragraphs(
    results: Iterable[Result], settings: UncertaintySettings = TEAM_SETTINGS
) -> tuple[str, ...]:
    """The method note on the statistics: what the report says about
    uncertainty, then one sentence with references per method it used
    (``stat_methods.methods_used``, ``method_note``). Empty when no
    statistic could be computed."""
    methods = methods_used(results)
    if not methods:
        return ()
    return (
        _(
            "Statistisk usikkerhed: Hvor antal og nævnere (eller "
            "befolkningstal) er kendt, oplyser rapporten usikkerheden som et "
            "{level} %-konfidensinterval, og om en ændring er større end "
            "usikkerheden. Nævnere og antal, der er udledt af trykte tal, er "
            "markeret som udledt. Tal, der bygger på færre end {threshold} "
            "personer, er markeret »spinkelt datagrundlag«. Metoderne er:"
        ).format(
            level=level_text(settings.level),
            threshold=format_number(settings.thin_threshold),
        ),
        *(method_note(method) for method in methods),
    )

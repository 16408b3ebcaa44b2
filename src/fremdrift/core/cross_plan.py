"""The cross-plan overview (tværgående oversigt), for a reader who follows
several plans (a municipality, the funder): each plan's criteria counted by
verdict, and one indicator side by side for areas of several plans.

Statistical discretion is applied before these functions see a value: each
plan's indicator series is suppressed as a whole for a reader outside that
plan's team (``discretion.suppress_series``, primary and secondary), exactly
as that plan's reports are. Picking columns out of the suppressed series
afterwards can hide more, never less: a count hidden because the plan's
total would give it back stays hidden when the total is not shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .i18n import _
from .model import Flag, Period
from .plan_model import JudgedCriterion, count_outcomes
from .report_blocks import point_text, series_unit_text
from .report_model import OUTCOME_ORDER, Cell, IndicatorSeries, Table
from .text_da import format_period


def outcome_counts(judged: Sequence[JudgedCriterion]) -> tuple[int, ...]:
    """How many of ``judged`` reached each outcome, in ``OUTCOME_ORDER``
    (opnået, delvist opnået, ikke opnået, i gang, kan ikke måles); every
    criterion is counted once, so the counts add up to ``len(judged)``."""
    counts = count_outcomes(judged)
    return tuple(counts.get(outcome, 0) for outcome in OUTCOME_ORDER)


@dataclass(frozen=True, slots=True)
class ComparisonColumn:
    """One column of the side-by-side table: population ``population`` of
    ``series`` (one plan's indicator, discretion already applied for the
    reader), of the plan named ``plan``; ``comparison`` for the
    municipality the plan's areas are held against."""

    plan: str
    population: str
    series: IndicatorSeries
    comparison: bool = False

    @property
    def label(self) -> str:
        return _("{population} ({plan})").format(
            population=self.population, plan=self.plan
        )


def _in_years(period: Period, first: int | None, last: int | None) -> bool:
    year = period.end.year
    return (first is None or year >= first) and (last is None or year <= last)


def comparison_table(
    columns: Sequence[ComparisonColumn],
    *,
    first_year: int | None = None,
    last_year: int | None = None,
    notes: Sequence[str] = (),
) -> Table:
    """One indicator for several populations, possibly of several plans,
    side by side: a column per population, a row per period in time order.

    A period is shown when the year it ends in lies from ``first_year`` to
    ``last_year`` (either open when None), so a school year 2020/21 counts
    as 2021 and a span 2017-2021 as 2021. Each value is printed as the
    reports print it (``report_blocks.point_text``): a count hidden by
    discretion as ``<5``, a value without a number as its flag's label, a
    marked value with ``*``; a population without a value for the period
    gets ``–``. The first column is headed by the unit when every column
    has the same one; otherwise each column names its own. Under the
    table: the indicators' own notes (the discretion note among them when
    a series was suppressed), each shown value's note, and ``notes``.
    """
    units = {series_unit_text(c.series) for c in columns}
    common_unit = units.pop() if len(units) == 1 else None
    ordered = _shown_periods(columns, first_year, last_year)

    # Notes in the order a reader meets them: the indicators' own, then each
    # shown value's in row order, then the mark's, then the caller's.
    table_notes: list[str] = []
    for column in columns:
        table_notes.extend(column.series.notes)
    rows, value_notes, flagged = _comparison_rows(columns, ordered)
    table_notes.extend(value_notes)
    if flagged:
        table_notes.append(_("* Tallet er markeret: se noten."))
    table_notes.extend(notes)

    headers = [
        column.label
        if common_unit is not None
        else _("{column}: {unit}").format(
            column=column.label, unit=series_unit_text(column.series)
        )
        for column in columns
    ]
    # One source per distinct text, in column order: several plans usually
    # share the same statistics source.
    sources = dict.fromkeys(
        (
            c.series.source + (f" {c.series.measured}" if c.series.measured else "")
        ).strip()
        for c in columns
    )
    return Table(
        caption=columns[0].series.name if columns else "",
        columns=(common_unit or _("Periode"), *headers),
        rows=tuple(rows),
        source="; ".join(s for s in sources if s),
        notes=tuple(dict.fromkeys(table_notes)),
    )


def _shown_periods(
    columns: Sequence[ComparisonColumn], first_year: int | None, last_year: int | None
) -> list[Period]:
    """Every period any column has a value for within the years, once, in
    time order: by end, then by start."""
    periods: dict[str, Period] = {}
    for column in columns:
        for name, points in column.series.populations:
            if name != column.population:
                continue
            for point in points:
                if _in_years(point.period, first_year, last_year):
                    periods.setdefault(point.period.code, point.period)
    return sorted(periods.values(), key=lambda p: (p.end, p.start))


def _comparison_rows(
    columns: Sequence[ComparisonColumn], ordered: Sequence[Period]
) -> tuple[list[tuple[Cell, ...]], list[str], bool]:
    """The table's rows, one per period, with the notes of the values shown
    and whether any shown value is marked (``*``)."""
    by_column = [
        {
            point.period.code: point
            for name, points in column.series.populations
            if name == column.population
            for point in points
        }
        for column in columns
    ]
    rows = []
    value_notes: list[str] = []
    flagged = False
    for period in ordered:
        cells = [Cell(format_period(period))]
        for column, values in zip(columns, by_column, strict=True):
            found = values.get(period.code)
            if found is None:
                cells.append(Cell("–"))
                continue
            point = found
            unit = column.series.unit
            cells.append(
                Cell(
                    point_text(point, unit), point.value, unit, point.flags, point.note
                )
            )
            # A suppressed value's note is the discretion mark (<5) its cell
            # already shows.
            if point.note and Flag.SUPPRESSED not in point.flags:
                value_notes.append(
                    f"{column.label}, {format_period(point.period)}: {point.note}"
                )
            if point.flags & {Flag.DERIVED, Flag.CONTRADICTORY, Flag.METHOD_CHANGED}:
                flagged = True
        rows.append(tuple(cells))
    return rows, value_notes, flagged

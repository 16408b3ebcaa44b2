"""The format-agnostic content of a report.

One assembly step builds a ``ReportDocument`` from plain values; each
format (HTML now; PDF, DOCX, XLSX later) only renders it. Every number in a
report comes from here, formatted in the report's language, with its raw value
kept beside the text so a spreadsheet renderer can store numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from .i18n import gettext, gettext_noop
from .model import (
    DataPoint,
    Flag,
    Outcome,
    Unit,
)
from .plan_model import JudgedCriterion

# Message ids: print them through ``flag_label`` (or ``i18n.gettext``).
FLAG_LABELS_DA = {
    Flag.METHOD_CHANGED: gettext_noop("opgørelsesmetoden er ændret"),
    Flag.MISSING: gettext_noop("mangler"),
    Flag.UNREADABLE: gettext_noop("ulæseligt i kilden"),
    Flag.DERIVED: gettext_noop("beregnet ud fra andre trykte tal"),
    Flag.SUPPRESSED: gettext_noop("skjult af diskretionshensyn"),
    Flag.CONTRADICTORY: gettext_noop("kilden modsiger sig selv"),
}


def flag_label(flag: Flag) -> str:
    """What a flag means, lower case, in the current language."""
    return gettext(FLAG_LABELS_DA[flag])


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
    # The team's commentary on the plan as a whole: (period code, text); ""
    # is the whole plan period.
    commentary: tuple[tuple[str, str], ...] = ()


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
    # Names of the populations the areas are held against (the municipality).
    comparison_names: frozenset[str] = frozenset()
    better: str = "none"
    counts_persons: bool = False
    additive: bool = False
    # (total population, its parts) for additive indicators.
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The indicator the denominators were taken from, when not printed with
    # the values (the residents behind a rate per 1000).
    denominator_name: str = ""
    # The comparison populations that leave the plan's areas out
    # (municipality excluding the plan): preferred for the gap to the
    # comparison, since they are not correlated with the areas.
    excluding_comparison_names: frozenset[str] = frozenset()


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
    # The team's commentary: (period code, text); "" is the whole plan.
    commentary: tuple[tuple[str, str], ...] = ()
    # What was done in the report's period, counted from the registrations:
    # (label, value) such as ("Mødegange", 14); a progress report shows it.
    period_figures: tuple[tuple[str, DataPoint], ...] = ()


@dataclass(frozen=True, slots=True)
class EffortAreaInput:
    name: str
    description: str
    criteria: tuple[JudgedCriterion, ...]
    activities: tuple[ActivityInput, ...]
    # The team's commentary on the effort area: (period code, text).
    commentary: tuple[tuple[str, str], ...] = ()


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
    # The columns (by index) that hold words rather than numbers: printed
    # left-aligned and wrapping; every other column after the row label is
    # a number column, right-aligned on one line.
    text_columns: tuple[int, ...] = ()


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
    pace: str = ""  # "i rute" / "bagud" while the plan runs
    change: str = ""  # what changed since the previous report (annual)
    # The statistics behind the verdict (their sentences are in
    # ``remarks``): True when chance explains the change the verdict is
    # judged on; the thin-data mark ("spinkelt datagrundlag (n = 12)"); a
    # running count's outlook ("on_track") and its label ("i rute").
    within_chance: bool | None = None
    thin_data: str = ""
    outlook: str = ""
    outlook_label: str = ""
    # One sentence per revision of the target in force ("Målet blev
    # ændret fra 48 til 40 familier den 1. marts 2020: ..."), oldest first.
    target_changes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One series of a chart: a legend name and one value per x label
    (None where there is no value: missing, suppressed, not yet measured)."""

    name: str
    values: tuple[Decimal | None, ...]
    is_comparison: bool = False  # the comparison population (municipality)
    # "pace": a reference series (the linear pace to the target), drawn
    # thin and dashed without markers, so it never passes for data.
    # "threshold": the law's threshold over the years, a dashed step line.
    role: str = ""


@dataclass(frozen=True, slots=True)
class ReferenceLine:
    """A horizontal line a chart draws across its values: a criterion's
    target or threshold (``kind`` "target") or its baseline ("baseline").
    ``label`` is printed beside it ("Mål: 25 %"); ``x_label``, when set,
    is the one x label (population) the line belongs to in grouped bars,
    drawn across that group only."""

    kind: str
    value: Decimal
    label: str
    x_label: str = ""


@dataclass(frozen=True, slots=True)
class ChartBand:
    """A shaded interval per x label (None where it has no width): the
    forecast interval of a running count from the day of judgement to the
    period's end."""

    name: str
    low: tuple[Decimal | None, ...]
    high: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What a chart shows, independent of how it is drawn.

    ``kind`` "grouped_bars": x labels are populations, one series per period
    (as the seed's charts: bars per year, grouped by area). "line": x labels
    are periods, one series per population. ``axis_label`` names the real
    unit ("Personer pr. 1.000 beboere", "Andel i %", "Antal personer");
    ``unit`` is what the values are, so a drawing can refuse a mismatch.
    ``alt_text`` describes the chart for a screen reader; ``caption`` and
    ``source`` are printed under it. "cumulative" is a line chart of a
    running count: x labels are months, the series the registrations so
    far and the pace line (``role`` "pace"), with the forecast as a band.
    """

    key: str
    kind: str
    title: str
    unit: Unit
    axis_label: str
    x_labels: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    caption: str
    alt_text: str
    source: str
    # Grouped bars: the x labels that are comparison populations (drawn
    # hatched, so the municipality never passes for an area).
    comparison_labels: tuple[str, ...] = ()
    # Targets, thresholds and baselines drawn as horizontal lines.
    reference_lines: tuple[ReferenceLine, ...] = ()
    # Line charts: shaded intervals (a forecast's).
    bands: tuple[ChartBand, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading with its text, tables and criteria. ``key`` is the slug of
    the activity the section describes, when it describes one."""

    title: str
    anchor: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    criteria: tuple[CriterionRow, ...] = ()
    # The team's own words: (period shown, text).
    commentary: tuple[tuple[str, str], ...] = ()
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
    # A running plan's criteria by pace: (outlook value, label, count) for
    # on track, at risk, behind; empty when none has a pace.
    pace_counts: tuple[tuple[str, str, int], ...] = ()
    lang: str = "da"
    audience: str = "internal"  # internal | board | public
    # Printed on every page when set ("Fortroligt – indeholder små tal").
    marking: str = ""


def figures_in_order(section: Section) -> tuple[Table | ChartSpec, ...]:
    """A section's tables and charts in the order a reader meets them: a
    chart right before the table with the same numbers (both carry the
    indicator's name as caption), so the two share a page; any other chart
    after the tables. Every format lays figures out in this order."""
    charts = list(section.charts)
    ordered: list[Table | ChartSpec] = []
    for table in section.tables:
        for chart in [c for c in charts if c.caption == table.caption]:
            charts.remove(chart)
            ordered.append(chart)
        ordered.append(table)
    return (*ordered, *charts)


def section_is_empty(section: Section) -> bool:
    """True when a section has nothing to show beneath its heading, in
    itself or in any subsection: no text, table, chart, criterion or
    commentary. An activity's section (``key`` set) is never empty: the
    activity is part of the plan, and its page shows the section."""
    if section.key:
        return False
    return not (
        section.paragraphs
        or section.tables
        or section.charts
        or section.criteria
        or section.commentary
    ) and all(section_is_empty(sub) for sub in section.subsections)


def without_empty(sections: Iterable[Section]) -> tuple[Section, ...]:
    """``sections`` with every empty section (``section_is_empty``) left
    out, at any depth: a heading with nothing under it would stand alone
    on its page (a plan without an introduction, an effort area without
    criteria of its own)."""
    return tuple(
        replace(section, subsections=without_empty(section.subsections))
        for section in sections
        if not section_is_empty(section)
    )


def walk_sections(sections: Iterable[Section]) -> Iterator[Section]:
    """Every section and its subsections, depth first, in document order."""
    for section in sections:
        yield section
        yield from walk_sections(section.subsections)

"""Assembly: the database's rows -> the core's report model.

This is the one place a report reads the database; renderers receive the
finished ``ReportDocument`` and never see a model.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial

from django.db.models import Prefetch
from django.utils import timezone

from fremdrift.areastatus.models import LawFigure
from fremdrift.areastatus.selectors import plan_area_statuses, plan_derived_figures
from fremdrift.base.freshness import data_key, stored
from fremdrift.core.discretion import DEFAULT_THRESHOLD, INTERNAL_MARKING, Audience
from fremdrift.core.i18n import (
    DEFAULT_LANGUAGE,
    gettext,
    normalise_language,
    use_language,
)
from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import DataPoint, Flag, Period, Unit
from fremdrift.core.periods import parse_period
from fremdrift.core.plan_model import JudgedCriterion
from fremdrift.core.report_area_status import AreaStatusInput, LawStatusInput
from fremdrift.core.report_blocks import PERIOD_FIGURE_LABELS
from fremdrift.core.report_checks import (
    check_chart_axes,
    check_no_duplicate_series,
    check_totals,
)
from fremdrift.core.report_final import build_final_report
from fremdrift.core.report_model import (
    ActivityInput,
    ChartSpec,
    EffortAreaInput,
    GoalInput,
    IndicatorSeries,
    PlanFacts,
    ReportDocument,
    Section,
    walk_sections,
)
from fremdrift.core.report_periodic import build_annual_report, build_progress_report
from fremdrift.core.stats import THIN_DATA_THRESHOLD
from fremdrift.core.text_da import working_note_text
from fremdrift.evaluation.discretion import (
    figures_for_audience,
    judged_for_audience,
    series_for_audience,
    uncertainty_settings,
)
from fremdrift.plans.models import Activity, Plan, Population
from fremdrift.registrations.measures import HEADCOUNT, period_counts
from fremdrift.registrations.models import Contact, Session
from fremdrift.statistics.models import Indicator, Observation

REPORT_KINDS = ("final", "annual", "progress")


def _plan_facts(plan: Plan) -> PlanFacts:
    size = plan.sizes.filter(area__isnull=True).first()
    extensions = tuple(
        (a.name, a.extended_to)
        for a in plan.activities.filter(extended_to__isnull=False).order_by("order")
        if a.extended_to is not None
    )
    return PlanFacts(
        name=plan.name,
        slug=plan.slug,
        start=plan.start,
        end=plan.end,
        vision=plan.vision,
        organisation=plan.organisation.name,
        municipality=plan.municipality,
        successor=plan.successor,
        predecessor=plan.predecessor,
        introduction=plan.introduction,
        method=plan.method,
        summary=plan.summary,
        other_activities=plan.other_activities,
        area_names=tuple(plan.areas.values_list("name", flat=True)),
        size_as_of=size.as_of if size else None,
        size_source=size.source if size else "",
        housing_organisations=size.housing_organisations if size else None,
        department_boards=size.department_boards if size else None,
        leases=size.leases if size else None,
        residents=size.residents if size else None,
        funding_total_dkk=plan.funding_total_dkk,
        funding_note=plan.funding_note,
        funding_projects=tuple(plan.funding_projects.values_list("name", flat=True)),
        extensions=extensions,
        commentary=tuple(
            plan.commentaries.filter(effort_area=None, activity=None)
            .order_by("period")
            .values_list("period", "text")
        ),
    )


def indicator_series(
    plan: Plan, as_of: datetime.date | None = None, *, working_notes: bool = False
) -> dict[int, IndicatorSeries]:
    """Every indicator of ``plan`` with its observations (those whose
    period ended by ``as_of``, when given), with every number as recorded
    (discretion is the caller's: ``evaluation.discretion``). The
    observations are read in one query. ``working_notes`` adds the team's
    working notes after each indicator's notes (the internal version)."""
    comparison_names, excluding = _comparison_names(plan)
    by_indicator, populations = _observed_points(plan, as_of)
    totals = tuple(
        (population.name, tuple(part.name for part in population.parts.all()))
        for population in Population.objects.filter(plan=plan).prefetch_related("parts")
        if population.parts.all()
    )
    indicators = list(Indicator.objects.filter(plan=plan))
    names = {indicator.pk: indicator.name for indicator in indicators}
    result = {}
    for indicator in indicators:
        per_population = by_indicator.get(indicator.pk, {})
        if indicator.denominator_indicator_id is not None:
            per_population = _with_denominators(
                per_population, by_indicator.get(indicator.denominator_indicator_id, {})
            )
        ordered = sorted(
            per_population.items(), key=lambda item: populations[item[0]][0]
        )
        result[indicator.pk] = IndicatorSeries(
            slug=indicator.slug,
            name=indicator.name,
            unit=Unit(indicator.unit),
            unit_label=indicator.unit_label,
            source=indicator.source,
            measured=indicator.measured,
            notes=_notes(indicator, working_notes),
            populations=tuple(
                (populations[pop_id][1], tuple(points)) for pop_id, points in ordered
            ),
            comparison_names=comparison_names,
            better=indicator.better,
            counts_persons=indicator.counts_persons,
            additive=indicator.additive,
            totals=totals,
            denominator_name=names.get(indicator.denominator_indicator_id or 0, ""),
            excluding_comparison_names=excluding,
        )
    return result


def _comparison_names(plan: Plan) -> tuple[frozenset[str], frozenset[str]]:
    """The names of ``plan``'s municipality comparisons, and of those among
    them that exclude the plan's areas."""
    comparisons = list(
        Population.objects.filter(
            plan=plan,
            kind__in={
                Population.Kind.MUNICIPALITY,
                Population.Kind.MUNICIPALITY_EXCL_PLAN,
            },
        ).values_list("name", "kind")
    )
    return (
        frozenset(name for name, _kind in comparisons),
        frozenset(
            name
            for name, kind in comparisons
            if kind == Population.Kind.MUNICIPALITY_EXCL_PLAN
        ),
    )


def _observed_points(
    plan: Plan, as_of: datetime.date | None
) -> tuple[dict[int, dict[int, list[DataPoint]]], dict[int, tuple[int, str]]]:
    """``plan``'s observations (those whose period ended by ``as_of``, when
    given) as points by indicator id and population id, in period order;
    and each population seen, by id, as (order, name)."""
    by_indicator: dict[int, dict[int, list[DataPoint]]] = defaultdict(dict)
    populations: dict[int, tuple[int, str]] = {}
    observations = Observation.objects.filter(indicator__plan=plan)
    if as_of is not None:
        observations = observations.filter(period_end__lte=as_of)
    for o in observations.select_related("population").order_by(
        "period_end", "period_start"
    ):
        populations[o.population_id] = (o.population.order, o.population.name)
        by_indicator[o.indicator_id].setdefault(o.population_id, []).append(
            DataPoint(
                period=Period(o.period, o.period_start, o.period_end),
                value=o.value,
                numerator=o.numerator,
                denominator=o.denominator,
                note=o.note,
                flags=frozenset(Flag(f) for f in o.flags),
            )
        )
    return by_indicator, populations


def _with_denominators(
    points: dict[int, list[DataPoint]], counts: dict[int, list[DataPoint]]
) -> dict[int, list[DataPoint]]:
    """``points`` with each missing denominator taken from the count
    indicator's value for the same population and period (the residents
    behind a rate per 1000)."""
    result: dict[int, list[DataPoint]] = {}
    for population_id, series in points.items():
        by_period = {
            p.period.code: p.value
            for p in counts.get(population_id, [])
            if p.value is not None
        }
        result[population_id] = [
            replace(point, denominator=by_period[point.period.code])
            if point.denominator is None and point.period.code in by_period
            else point
            for point in series
        ]
    return result


def report_inputs(
    plan: Plan,
    as_of: datetime.date,
    audience: Audience = Audience.INTERNAL,
    threshold: int = DEFAULT_THRESHOLD,
    figures_period: Period | None = None,
) -> tuple[list[GoalInput], list[EffortAreaInput]]:
    """The plan's goals and effort areas with every criterion judged as of
    ``as_of``; the self-checks run on the raw numbers, then discretion is
    applied for readers outside the team. With ``figures_period``, each
    activity also carries what was registered in that period (sessions,
    participants, new participants), when the plan has registrations."""
    goals, effort_areas, _others = _report_inputs(
        plan, as_of, audience, threshold, figures_period
    )
    return goals, effort_areas


def _report_inputs(
    plan: Plan,
    as_of: datetime.date,
    audience: Audience = Audience.INTERNAL,
    threshold: int = DEFAULT_THRESHOLD,
    figures_period: Period | None = None,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> tuple[list[GoalInput], list[EffortAreaInput], list[IndicatorSeries]]:
    """``report_inputs``, and the plan's indicators that no goal follows
    and that are no other indicator's denominators (its other key
    figures)."""
    judged = judged_for_audience(
        plan=plan,
        as_of=as_of,
        audience=audience,
        threshold=threshold,
        thin_threshold=thin_threshold,
    )
    owned = _owned_criteria(plan, judged, working_notes=audience == Audience.INTERNAL)
    series = _checked_series(plan, as_of, audience, threshold)
    goals = [
        GoalInput(
            name=goal.name,
            description=goal.description,
            indicators=tuple(series[i.pk] for i in goal.indicators.all()),
            criteria=tuple(owned[("goal", goal.pk)]),
        )
        for goal in plan.goals.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
        )
    ]
    others = _other_indicators(plan, series)
    effort_areas = _effort_area_inputs(
        plan, owned, _Figures(figures_period, audience, threshold)
    )
    return goals, effort_areas, others


# A criterion's owner: ("goal" | "effort_area" | "activity", its id).
_Owner = tuple[str, int]


def _notes(row: Activity | Indicator, working_notes: bool) -> tuple[str, ...]:
    """A row's notes for every reader, and with ``working_notes`` (the team's
    internal version) its working notes after them, marked as such."""
    notes = tuple(row.notes)
    if working_notes:
        notes += tuple(working_note_text(note) for note in row.working_notes)
    return notes


def _owned_criteria(
    plan: Plan, judged: list[JudgedCriterion], *, working_notes: bool = False
) -> dict[_Owner, list[JudgedCriterion]]:
    """``judged`` by the goal, effort area or activity each criterion
    belongs to, in plan order; ``working_notes`` adds each criterion's
    working notes to its notes (the team's internal version)."""
    by_ident: dict[str, JudgedCriterion] = {j.criterion.ident: j for j in judged}
    owned: dict[_Owner, list[JudgedCriterion]] = defaultdict(list)
    # plan_id too: the related manager sets each row's plan from it, and a
    # deferred plan_id would be loaded with a query per criterion.
    for criterion in plan.criteria.order_by("order").only(
        "plan_id",
        "ident",
        "goal_id",
        "effort_area_id",
        "activity_id",
        "working_notes",
    ):
        if criterion.goal_id:
            key = ("goal", criterion.goal_id)
        elif criterion.effort_area_id:
            key = ("effort_area", criterion.effort_area_id)
        else:
            key = ("activity", criterion.activity_id or 0)
        item = by_ident[criterion.ident]
        if working_notes and criterion.working_notes:
            # The judged criterion's notes are the file's (for every
            # reader, cached with its inputs); the team's are added here.
            item = replace(
                item,
                criterion=replace(
                    item.criterion,
                    notes=item.criterion.notes
                    + tuple(working_note_text(n) for n in criterion.working_notes),
                ),
            )
        owned[key].append(item)
    return owned


def _checked_series(
    plan: Plan, as_of: datetime.date, audience: Audience, threshold: int
) -> dict[int, IndicatorSeries]:
    """``indicator_series`` as of ``as_of``: the self-checks run on the
    recorded numbers, then ``audience``'s discretion is applied."""
    series = indicator_series(plan, as_of, working_notes=audience == Audience.INTERNAL)
    check_no_duplicate_series(list(series.values()))
    check_totals(list(series.values()))
    return {
        pk: series_for_audience(s, audience=audience, threshold=threshold)
        for pk, s in series.items()
    }


def _other_indicators(
    plan: Plan, series: dict[int, IndicatorSeries]
) -> list[IndicatorSeries]:
    """The series of ``plan``'s indicators that no goal follows and that
    are no other indicator's denominator."""
    followed = set(
        plan.goals.filter(indicators__isnull=False).values_list("indicators", flat=True)
    )
    indicators = list(Indicator.objects.filter(plan=plan))
    denominators = {i.denominator_indicator_id for i in indicators}
    # The figures of the law's criteria belong to the area's status under
    # the law (docs/area-status.md), not among the other indicators.
    law = set(
        LawFigure.objects.filter(plan=plan).values_list("indicator_id", flat=True)
    )
    return [
        series[i.pk]
        for i in indicators
        if i.pk not in followed | law and i.pk not in denominators and i.pk in series
    ]


@dataclass(frozen=True, slots=True)
class _Figures:
    """Which registration figures each activity carries: those of
    ``period`` (none without one), as ``audience`` may see them."""

    period: Period | None
    audience: Audience
    threshold: int


# The figures of an activity's period, in the order of
# PERIOD_FIGURE_LABELS: sessions and participants, then what open sessions
# and outreach register instead (head counts, contacts, bridge-buildings).
_FIGURE_KINDS: tuple[str, ...] = (
    MeasureKind.SESSIONS_HELD,
    MeasureKind.UNIQUE_PARTICIPANTS,
    MeasureKind.NEW_PARTICIPANTS,
    HEADCOUNT,
    MeasureKind.CONTACTS,
    MeasureKind.BRIDGE_BUILDINGS,
)
_SESSION_FIGURES = frozenset(_FIGURE_KINDS[:3])
# Discretion sees a head count as the contacts measure does its anonymous
# head counts: a count of persons, hidden when small.
_DISCRETION_KINDS: dict[str, MeasureKind] = {
    **{kind: MeasureKind(kind) for kind in _FIGURE_KINDS if kind != HEADCOUNT},
    HEADCOUNT: MeasureKind.CONTACTS,
}


def _figures_shown(counts: dict[str, DataPoint]) -> list[str]:
    """Which of ``_FIGURE_KINDS`` an activity's period summary shows: head
    counts, contacts and bridge-buildings when there are any; sessions,
    participants and new participants unless they are 0 while the
    activity registered its work in one of those other ways (an outreach
    activity holds no sessions; an open session counts heads, not names),
    so that a summary never reads 0 for work that was done. An activity
    that registered nothing shows its sessions and participants as 0."""
    other = [
        kind
        for kind in _FIGURE_KINDS
        if kind not in _SESSION_FIGURES and counts[kind].value
    ]
    if not other:
        return list(_FIGURE_KINDS[:3])
    sessions = [kind for kind in _FIGURE_KINDS[:3] if counts[kind].value]
    return [kind for kind in _FIGURE_KINDS if kind in sessions or kind in other]


# Participants and new participants are printed side by side, and a
# period's participants are its new ones and those who came before: the
# returning ones, never printed, follow by subtraction, so the two are
# hidden together, as a total and its part (suppress_sums).
_PARTICIPANT_FIGURES = (MeasureKind.UNIQUE_PARTICIPANTS, MeasureKind.NEW_PARTICIPANTS)


def _participant_figures(
    activities: list[Activity],
    counts: dict[int, dict[str, DataPoint]],
    sums: list[tuple[int, list[int]]],
    wanted: _Figures,
) -> dict[str, dict[int, DataPoint]]:
    """The participants and new participants of each activity as
    ``wanted.audience`` may see them, by kind and activity id."""
    unique, new = _PARTICIPANT_FIGURES
    points = {
        (kind, a.pk): counts[a.pk][kind]
        for kind in _PARTICIPANT_FIGURES
        for a in activities
    }
    joint_sums = [
        ((kind, total), [(kind, part) for part in parts])
        for kind in _PARTICIPANT_FIGURES
        for total, parts in sums
    ] + [((unique, a.pk), [(new, a.pk)]) for a in activities]
    hidden = figures_for_audience(
        points, unique, joint_sums, audience=wanted.audience, threshold=wanted.threshold
    )
    return {
        kind: {a.pk: hidden[(kind, a.pk)] for a in activities}
        for kind in _PARTICIPANT_FIGURES
    }


def _period_figures(
    plan: Plan,
    activities: list[Activity],
    children: dict[int | None, list[Activity]],
    wanted: _Figures,
) -> dict[int, tuple[tuple[str, DataPoint], ...]]:
    """Each activity's figures for ``wanted.period`` by activity id (what
    it and its sub-activities registered, as ``measure`` counts), read at
    once; nothing when there is no period or the plan has no
    registrations."""
    period = wanted.period
    if period is None or not (
        Session.objects.filter(activity__plan=plan).exists()
        or Contact.objects.filter(activity__plan=plan).exists()
    ):
        return {}
    counts = period_counts(
        {a.pk: [a.pk, *(s.pk for s in children[a.pk])] for a in activities}, period
    )
    # An activity's figure counts its sub-activities' too: printed side by
    # side, a hidden one would follow by subtraction unless another goes.
    sums = [
        (a.pk, [s.pk for s in children[a.pk]]) for a in activities if children[a.pk]
    ]
    shown = {
        kind: figures_for_audience(
            {a.pk: counts[a.pk][kind] for a in activities},
            _DISCRETION_KINDS[kind],
            sums,
            audience=wanted.audience,
            threshold=wanted.threshold,
        )
        for kind in _FIGURE_KINDS
        if kind not in _PARTICIPANT_FIGURES
    }
    shown.update(_participant_figures(activities, counts, sums, wanted))
    labels = dict(zip(_FIGURE_KINDS, PERIOD_FIGURE_LABELS, strict=True))
    return {
        a.pk: tuple(
            (labels[kind], shown[kind][a.pk]) for kind in _figures_shown(counts[a.pk])
        )
        for a in activities
    }


def _effort_area_inputs(
    plan: Plan, owned: dict[_Owner, list[JudgedCriterion]], wanted: _Figures
) -> list[EffortAreaInput]:
    """The plan's effort areas with their criteria and activities (and the
    activities' sub-activities, criteria and figures)."""
    activities = list(
        Activity.objects.filter(plan=plan)
        .prefetch_related("decisions", "commentaries")
        .order_by("order")
    )
    children: dict[int | None, list[Activity]] = defaultdict(list)
    for activity in activities:
        children[activity.parent_id].append(activity)
    figures = _period_figures(plan, activities, children, wanted)

    def activity_input(activity: Activity) -> ActivityInput:
        return ActivityInput(
            slug=activity.slug,
            name=activity.name,
            description=activity.description,
            decisions=tuple(d.text for d in activity.decisions.all()),
            notes=_notes(activity, wanted.audience == Audience.INTERNAL),
            criteria=tuple(owned[("activity", activity.pk)]),
            sub_activities=tuple(activity_input(s) for s in children[activity.pk]),
            extended_to=activity.extended_to,
            commentary=tuple((c.period, c.text) for c in activity.commentaries.all()),
            period_figures=figures.get(activity.pk, ()),
        )

    return [
        EffortAreaInput(
            name=ea.name,
            description=ea.description,
            criteria=tuple(owned[("effort_area", ea.pk)]),
            activities=tuple(
                activity_input(a) for a in children[None] if a.effort_area_id == ea.pk
            ),
            commentary=tuple((c.period, c.text) for c in ea.commentaries.all()),
        )
        for ea in plan.effort_areas.prefetch_related("commentaries")
    ]


class ReportRequestError(ValueError):
    """A report asked for with arguments that do not fit the plan."""


def plan_years(plan: Plan) -> range:
    """The calendar years the plan (or one of its extensions) runs in."""
    last = max(
        [
            plan.end,
            *plan.activities.exclude(extended_to=None).values_list(
                "extended_to", flat=True
            ),
        ]
    )
    return range(plan.start.year, last.year + 1)


def report_as_of(
    *,
    plan: Plan,
    kind: str,
    year: int | None,
    tertial: int | None,
    as_of: datetime.date | None = None,
) -> datetime.date:
    """The day a report's numbers are judged as of: the final report's
    ``as_of`` (default today), the end of an annual report's year, the end
    of a progress report's tertial."""
    if kind == "annual" and year is not None:
        return datetime.date(year, 12, 31)
    if kind == "progress" and year is not None and tertial in (1, 2, 3):
        return parse_period(f"{year}T{tertial}").end
    return as_of or timezone.localdate()


def report_build(
    *,
    plan: Plan,
    kind: str,
    year: int | None = None,
    tertial: int | None = None,
    as_of: datetime.date | None = None,
    audience: Audience | str = Audience.INTERNAL,
    threshold: int = DEFAULT_THRESHOLD,
    lang: str = DEFAULT_LANGUAGE,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> ReportDocument:
    """Assemble the report ``kind`` for ``plan``.

    final: judged as of ``as_of`` (default today); annual: as of the end of
    ``year``, with the previous year's judgements for comparison; progress:
    as of the end of tertial ``tertial`` of ``year``. The system's own words
    and the number and date formats are in ``lang`` ("da" or "en"); the
    plan's own texts are printed as entered. Numbers resting on fewer than
    ``thin_threshold`` persons are marked as thin data.
    """
    try:
        lang = normalise_language(lang)
    except ValueError as error:
        raise ReportRequestError(str(error)) from None
    if kind not in REPORT_KINDS:
        raise ReportRequestError(
            f"unknown report kind {kind!r} (known: {', '.join(REPORT_KINDS)})"
        )
    try:
        audience = Audience(audience)
    except ValueError:
        known = ", ".join(a.value for a in Audience)
        raise ReportRequestError(
            f"unknown audience {audience!r} (known: {known})"
        ) from None
    with use_language(lang):
        document = _build(
            plan, kind, year, tertial, as_of, audience, threshold, thin_threshold
        )
        check_chart_axes(_charts(document.sections))
        marking = gettext(INTERNAL_MARKING) if audience == Audience.INTERNAL else ""
    return replace(document, audience=audience.value, marking=marking, lang=lang)


def stored_report_build(
    *,
    plan: Plan,
    kind: str,
    year: int | None = None,
    tertial: int | None = None,
    audience: Audience | str = Audience.INTERNAL,
    lang: str = DEFAULT_LANGUAGE,
) -> ReportDocument:
    """``report_build`` as of today, kept in the cache until the plan's data
    change (base/freshness.py): the plan page shows the whole final report,
    and is read far more often than the plan's data change."""
    day = timezone.localdate()
    key = data_key(
        plan.pk, "report", kind, year, tertial, day.isoformat(), audience, lang
    )
    return stored(
        key,
        lambda: report_build(
            plan=plan,
            kind=kind,
            year=year,
            tertial=tertial,
            as_of=day,
            audience=audience,
            lang=lang,
        ),
    )


def _law_status(plan: Plan, last_year: int | None = None) -> LawStatusInput:
    """Each area's status under the law, for the report's section; with
    ``last_year`` only the figures of that year and before."""
    areas = plan_area_statuses(plan=plan, last_year=last_year)
    return LawStatusInput(
        areas=tuple(
            AreaStatusInput(area.population.name, area.history, area.outlook)
            for area in areas
        ),
        derived=tuple(plan_derived_figures(plan=plan)) if areas else (),
    )


def _charts(sections: tuple[Section, ...]) -> list[ChartSpec]:
    return [chart for section in walk_sections(sections) for chart in section.charts]


def _build(
    plan: Plan,
    kind: str,
    year: int | None,
    tertial: int | None,
    as_of: datetime.date | None,
    audience: Audience,
    threshold: int,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> ReportDocument:
    facts = _plan_facts(plan)
    today = timezone.localdate()
    settings = uncertainty_settings(audience, threshold, thin_threshold)
    inputs = partial(
        _report_inputs,
        plan,
        audience=audience,
        threshold=threshold,
        thin_threshold=thin_threshold,
    )
    if kind == "final":
        day = as_of or today
        goals, effort_areas, others = inputs(day)
        return build_final_report(
            facts=facts,
            goals=goals,
            effort_areas=effort_areas,
            generated_on=day,
            other_indicators=others,
            settings=settings,
            law_status=_law_status(plan, day.year),
        )
    year = _report_year(plan, kind, year)
    if kind == "annual":
        goals, effort_areas, _others = inputs(datetime.date(year, 12, 31))
        return build_annual_report(
            facts=facts,
            year=year,
            goals=goals,
            effort_areas=effort_areas,
            previous=_previous_year(plan, year, audience, threshold, thin_threshold),
            generated_on=today,
            settings=settings,
            law_status=_law_status(plan, year),
        )
    if tertial not in (1, 2, 3):
        raise ReportRequestError("a progress report needs a tertial: 1, 2 or 3")
    tertial_period = parse_period(f"{year}T{tertial}")
    _goals, effort_areas, _others = inputs(
        tertial_period.end, figures_period=tertial_period
    )
    return build_progress_report(
        facts=facts,
        year=year,
        tertial=tertial,
        effort_areas=effort_areas,
        generated_on=today,
        settings=settings,
    )


def _report_year(plan: Plan, kind: str, year: int | None) -> int:
    """``year``, when the plan (or an extension) runs in it; else the
    request does not fit the plan."""
    years = plan_years(plan)
    if year is None:
        raise ReportRequestError(f"a {kind} report needs a year")
    if year not in years:
        raise ReportRequestError(
            f"the plan runs {years[0]}-{years[-1]}; "
            f"there is no {kind} report for {year}"
        )
    return year


def _previous_year(
    plan: Plan, year: int, audience: Audience, threshold: int, thin_threshold: int
) -> dict[str, JudgedCriterion]:
    """Every criterion as judged at the end of the year before ``year``, by
    ident, as ``audience`` may see it: what an annual report compares
    with."""
    judged = judged_for_audience(
        plan=plan,
        as_of=datetime.date(year - 1, 12, 31),
        audience=audience,
        threshold=threshold,
        thin_threshold=thin_threshold,
    )
    return {j.criterion.ident: j for j in judged}

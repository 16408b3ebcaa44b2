"""The reports a running plan sends during its life: the annual report
(årsrapport) and the progress report per tertial (fremdriftsrapport)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from .forecast import FLAT_SEASON, SCHOOL_YEAR_SEASON, Forecast
from .i18n import _, gettext_noop
from .model import Period, Unit
from .periods import parse_period
from .plan_model import JudgedCriterion
from .report_area_status import LawStatusInput, area_status_section
from .report_blocks import (
    activity_section,
    all_criteria,
    commentary_shown,
    effort_area_section,
    paragraphs,
    slug_of,
)
from .report_final import count_table, pace_table, plan_fact_rows
from .report_indicators import goal_section
from .report_model import (
    ActivityInput,
    ChartBand,
    ChartSeries,
    ChartSpec,
    EffortAreaInput,
    GoalInput,
    PlanFacts,
    ReferenceLine,
    ReportDocument,
    Section,
    without_empty,
)
from .stat_methods import pace_paragraph
from .text_da import (
    _month,
    format_date,
    format_date_range,
    format_number,
    format_period,
    format_value,
)
from .uncertainty import TEAM_SETTINGS, UncertaintySettings

# Message ids, translated where used.
TERTIAL_NAMES = {
    1: gettext_noop("januar-april"),
    2: gettext_noop("maj-august"),
    3: gettext_noop("september-december"),
}


def _within(code: str, period: Period) -> bool:
    """Whether a commentary's period lies inside ``period``; the whole-plan
    commentary ("") never does."""
    if not code:
        return False
    own = parse_period(code)
    return own.start >= period.start and own.end <= period.end


def build_annual_report(
    *,
    facts: PlanFacts,
    year: int,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    previous: Mapping[str, JudgedCriterion],
    generated_on: date,
    settings: UncertaintySettings = TEAM_SETTINGS,
    law_status: LawStatusInput | None = None,
) -> ReportDocument:
    """The annual report for ``year``: the three levels judged as of the
    year's end (observations and values whose period ended by then), each
    running criterion with its pace and forecast, the indicators with their
    uncertainty and gap to the comparison population, and what changed
    since the previous year's report (``previous``: the criteria judged as
    of the previous year's end). ``settings``: as for the final report.
    ``law_status``: each area's status under the law on the lists up
    to the year's, and the next list's outlook."""
    period = parse_period(str(year))
    goal_sections = tuple(
        goal_section(goal, with_description=False, previous=previous, settings=settings)
        for goal in goals
    )
    effort_sections = tuple(
        effort_area_section(
            ea, previous=previous, commentary_periods=lambda c: _within(c, period)
        )
        for ea in effort_areas
    )
    activity_sections = _annual_activity_sections(effort_areas, period, previous)
    judged = all_criteria(goals, effort_areas)
    table, counts = count_table(_("Succeskriterier fordelt på vurdering"), judged)
    paces, pace_counts = pace_table(
        _("Igangværende succeskriterier fordelt på fremdrift"), judged
    )
    law = area_status_section(law_status, settings)
    intro = replace(
        _annual_intro(facts, year, period, judged),
        commentary=commentary_shown(facts.commentary, lambda c: _within(c, period)),
    )
    return ReportDocument(
        kind="annual",
        title=_("Årsrapport {year}").format(year=year),
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=format_date_range(facts.start, facts.end),
        generated_on=format_date(generated_on),
        facts=plan_fact_rows(facts),
        sections=without_empty(
            (
                intro,
                Section(
                    title=_("Resultater på de overordnede mål"),
                    anchor="overordnede-maal",
                    subsections=goal_sections,
                ),
                *((law,) if law is not None else ()),
                Section(
                    title=_("Resultater på indsatsområderne"),
                    anchor="indsatsomraader",
                    subsections=effort_sections,
                ),
                Section(
                    title=_("Resultater på aktivitetsniveau"),
                    anchor="aktiviteter",
                    subsections=activity_sections,
                ),
                Section(
                    title=_("Opsummering"),
                    anchor="opsummering",
                    tables=(table, *((paces,) if paces is not None else ())),
                ),
            )
        ),
        outcome_counts=counts,
        pace_counts=pace_counts,
    )


def _annual_activity_sections(
    effort_areas: Sequence[EffortAreaInput],
    period: Period,
    previous: Mapping[str, JudgedCriterion],
) -> tuple[Section, ...]:
    """One section per effort area with its activities, each showing only
    the commentary written for a period inside the year."""
    return tuple(
        Section(
            title=ea.name,
            anchor="aktiviteter-" + slug_of(ea.name),
            subsections=tuple(
                activity_section(
                    a,
                    commentary_periods=lambda code: _within(code, period),
                    previous=previous,
                )
                for a in ea.activities
            ),
        )
        for ea in effort_areas
    )


def _annual_intro(
    facts: PlanFacts, year: int, period: Period, judged: Sequence[JudgedCriterion]
) -> Section:
    """The annual report's introduction: what it shows as of the year's
    end, how a running criterion's pace is decided (``_pace_texts``), then
    the plan's vision."""
    return Section(
        title=_("Indledning"),
        anchor="indledning",
        paragraphs=(
            _(
                "Årsrapporten for {year} viser helhedsplanens resultater pr. "
                "{date}: de overordnede mål, indsatsområdernes succeskriterier "
                "og aktiviteternes succeskriterier. Et kriterie, der endnu ikke "
                "kan afgøres, vises som i gang. Kolonnen »Siden sidst« viser "
                "ændringen siden årsrapporten for {previous_year}."
            ).format(year=year, date=format_date(period.end), previous_year=year - 1),
            *_pace_texts(judged),
            *paragraphs(facts.vision),
        ),
    )


def _pace_texts(judged: Sequence[JudgedCriterion]) -> tuple[str, ...]:
    """The paragraph on how the report's running criteria got their pace,
    naming only the methods used (``stat_methods.pace_paragraph``); none
    when no criterion has a pace."""
    text = pace_paragraph(
        item.statistics.pace_method for item in judged if item.verdict.pace
    )
    return (text,) if text else ()


def _month_ends(start: date, end: date) -> list[date]:
    """The last day of every calendar month from ``start``'s to ``end``'s,
    the last one cut to ``end``."""
    ends = []
    year, month = start.year, start.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        ends.append(min(following - timedelta(days=1), end))
        if following > end:
            return ends
        year, month = following.year, following.month


def _month_label(day: date) -> str:
    return f"{_month(day.month)[:3]} {day.year}"


def _cumulative_value(
    count: int, item: JudgedCriterion, settings: UncertaintySettings
) -> Decimal | None:
    """A cumulative count as the chart may show it: None for a count of
    persons from 1 below the discretion threshold when the reader is
    outside the team (the same rule as a table's cell)."""
    threshold = settings.discretion
    if (
        threshold is not None
        and item.criterion.counts_persons
        and 0 < count < threshold
    ):
        return None
    return Decimal(count)


def cumulative_chart(
    item: JudgedCriterion, settings: UncertaintySettings = TEAM_SETTINGS
) -> ChartSpec | None:
    """A running count criterion as a chart: the registrations counted up
    month by month to the day of judgement, the linear pace from zero at
    the window's start to the target at its end, and the forecast interval
    from the day of judgement to the end (the rate's interval carried
    forward, ``forecast.forecast_count``). None for a criterion without a
    forecast (not a running count measured from registrations)."""
    forecast: Forecast | None = item.statistics.forecast
    registrations = item.criterion.registrations
    if (
        forecast is None
        or registrations is None
        or forecast.rate.low is None
        or forecast.rate.high is None
        or forecast.rate.estimate is None
    ):
        return None
    ends = _month_ends(forecast.start, forecast.end)
    registered, pace, low, high = _cumulative_series(
        item,
        forecast,
        registrations,
        ends,
        settings,
        (forecast.rate.low, forecast.rate.high),
    )
    if all(v is None for v in registered):
        return None
    series = [ChartSeries(_("Registreret"), tuple(registered))]
    if forecast.target is not None:
        series.append(
            ChartSeries(_("Lineær fremdrift mod målet"), tuple(pace), role="pace")
        )
    end, as_of = forecast.end, forecast.as_of
    criterion = item.criterion
    label = criterion.spec.unit_label
    alt_text = _(
        "Kurvediagram: {criterion}. Registreret i alt {observed} pr. {date}; "
        "målet er {target} pr. {end}; prognosen for {end} er {low} til {high}."
    ).format(
        criterion=criterion.text,
        observed=format_number(forecast.observed),
        date=format_date(as_of),
        target=format_number(forecast.target) if forecast.target is not None else "–",
        end=format_date(end),
        low=format_number(_rounded(forecast.projected.low or 0)),
        high=format_number(_rounded(forecast.projected.high or 0)),
    )
    return ChartSpec(
        key=f"kumuleret-{criterion.ident}",
        kind="cumulative",
        title=criterion.text,
        unit=Unit.COUNT,
        axis_label=_("Antal {label}").format(label=label) if label else _("Antal"),
        x_labels=tuple(_month_label(d) for d in ends),
        series=tuple(series),
        caption=_("Fremdrift: {criterion}").format(criterion=criterion.text),
        alt_text=alt_text,
        source=_("Aktivitetens registreringer i fremdrift"),
        bands=(ChartBand(_("Prognose (interval)"), tuple(low), tuple(high)),),
        reference_lines=(
            ReferenceLine(
                "target",
                forecast.target,
                _("Mål: {value}").format(
                    value=format_value(forecast.target, Unit.COUNT, label)
                ),
            ),
        )
        if forecast.target is not None
        else (),
    )


def _cumulative_series(
    item: JudgedCriterion,
    forecast: Forecast,
    registrations: Sequence[date],
    ends: list[date],
    settings: UncertaintySettings,
    rates: tuple[float, float],
) -> tuple[list[Decimal | None], ...]:
    """A cumulative chart's four lines, one value per month end: the count
    registered so far (up to the day of judgement), the linear pace to the
    target, and the low and high ends of the forecast from the day of
    judgement on (``rates``: the low and high ends of the rate's
    interval)."""
    start, end, as_of = forecast.start, forecast.end, forecast.as_of
    days = sorted(d for d in registrations if start <= d <= min(as_of, end))
    profile = SCHOOL_YEAR_SEASON if forecast.seasonal else FLAT_SEASON
    total_days = (end - start).days + 1
    registered: list[Decimal | None] = []
    pace: list[Decimal | None] = []
    low: list[Decimal | None] = []
    high: list[Decimal | None] = []
    for month_end in ends:
        if month_end <= as_of or month_end == ends[0]:
            shown = min(month_end, as_of)
            count = sum(1 for d in days if d <= shown)
            registered.append(_cumulative_value(count, item, settings))
        else:
            registered.append(None)
        if forecast.target is not None:
            passed = (month_end - start).days + 1
            pace.append(
                (forecast.target * passed / total_days).quantize(Decimal("0.1"))
            )
        if month_end < as_of:
            low.append(None)
            high.append(None)
        else:
            to_come = profile.exposure(as_of + timedelta(days=1), month_end)
            low.append(_rounded(forecast.observed + rates[0] * to_come))
            high.append(_rounded(forecast.observed + rates[1] * to_come))
    return registered, pace, low, high


def _rounded(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def _with_cumulative_charts(
    section: Section, activity: ActivityInput, settings: UncertaintySettings
) -> Section:
    """An activity's progress section with a cumulative chart per running
    count criterion, right before its criteria; sub-activities alike."""
    charts = tuple(
        chart
        for chart in (cumulative_chart(item, settings) for item in activity.criteria)
        if chart is not None
    )
    return replace(
        section,
        charts=(*section.charts, *charts),
        subsections=tuple(
            _with_cumulative_charts(sub_section, sub, settings)
            for sub_section, sub in zip(
                section.subsections, activity.sub_activities, strict=True
            )
        ),
    )


def build_progress_report(
    *,
    facts: PlanFacts,
    year: int,
    tertial: int,
    effort_areas: Sequence[EffortAreaInput],
    generated_on: date,
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> ReportDocument:
    """The progress report for one tertial (T1 January-April, T2 May-August,
    T3 September-December): activity level only, each criterion judged as of
    the tertial's last day with its pace, the values registered in the
    tertial, the team's commentary for the tertial, and a cumulative chart
    per running count criterion (``cumulative_chart``; ``settings``: the
    discretion a reader outside the team gets)."""
    period = parse_period(f"{year}T{tertial}")
    sections = _progress_sections(effort_areas, period, settings)
    judged = all_criteria((), effort_areas)
    table, counts = count_table(
        _("Aktiviteternes succeskriterier fordelt på vurdering"), judged
    )
    paces, pace_counts = pace_table(
        _("Igangværende succeskriterier fordelt på fremdrift"), judged
    )
    intro = replace(
        _progress_intro(year, tertial, period, judged),
        commentary=commentary_shown(facts.commentary, lambda c: _within(c, period)),
    )
    return ReportDocument(
        kind="progress",
        title=_("Fremdriftsrapport {tertial}. tertial {year}").format(
            tertial=tertial, year=year
        ),
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=format_date_range(period.start, period.end),
        generated_on=format_date(generated_on),
        facts=plan_fact_rows(facts),
        sections=without_empty(
            (
                intro,
                *sections,
                Section(
                    title=_("Opsummering"),
                    anchor="opsummering",
                    tables=(table, *((paces,) if paces is not None else ())),
                ),
            )
        ),
        outcome_counts=counts,
        pace_counts=pace_counts,
    )


def _progress_sections(
    effort_areas: Sequence[EffortAreaInput],
    period: Period,
    settings: UncertaintySettings,
) -> tuple[Section, ...]:
    """An effort area's activities, each with the commentary for the
    tertial and a cumulative chart per running count criterion, after the
    team's commentary on the effort area for the tertial."""
    return tuple(
        Section(
            title=ea.name,
            anchor="aktiviteter-" + slug_of(ea.name),
            commentary=commentary_shown(
                ea.commentary, lambda code: _within(code, period)
            ),
            subsections=tuple(
                _with_cumulative_charts(
                    activity_section(
                        a, commentary_periods=lambda code: _within(code, period)
                    ),
                    a,
                    settings,
                )
                for a in ea.activities
            ),
        )
        for ea in effort_areas
    )


def _progress_intro(
    year: int, tertial: int, period: Period, judged: Sequence[JudgedCriterion]
) -> Section:
    return Section(
        title=_("Indledning"),
        anchor="indledning",
        paragraphs=(
            _(
                "Fremdriftsrapporten dækker {tertial}. tertial {year} "
                "({months}, {period}). Den viser aktiviteternes "
                "succeskriterier bedømt pr. {date}, med hvert kriteries "
                "fremdrift, og teamets kommentarer til tertialet."
            ).format(
                tertial=tertial,
                year=year,
                months=_(TERTIAL_NAMES[tertial]),
                period=format_period(period),
                date=format_date(period.end),
            ),
            *_pace_texts(judged),
        ),
    )

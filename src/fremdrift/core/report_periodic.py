"""The reports a running plan sends during its life: the annual report
(årsrapport) and the progress report per tertial (fremdriftsrapport)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .i18n import _, gettext_noop
from .model import Period
from .periods import parse_period
from .plan_model import JudgedCriterion
from .report_blocks import (
    activity_section,
    all_criteria,
    effort_area_section,
    paragraphs,
    slug_of,
)
from .report_final import count_table, plan_fact_rows
from .report_indicators import goal_section
from .report_model import (
    EffortAreaInput,
    GoalInput,
    PlanFacts,
    ReportDocument,
    Section,
)
from .text_da import format_date, format_date_range, format_period
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
) -> ReportDocument:
    """The annual report for ``year``: the three levels judged as of the
    year's end (observations and values whose period ended by then), each
    running criterion with its pace and forecast, the indicators with their
    uncertainty and gap to the comparison population, and what changed
    since the previous year's report (``previous``: the criteria judged as
    of the previous year's end). ``settings``: as for the final report."""
    period = parse_period(str(year))
    goal_sections = tuple(
        goal_section(goal, with_description=False, previous=previous, settings=settings)
        for goal in goals
    )
    effort_sections = tuple(
        effort_area_section(ea, previous=previous) for ea in effort_areas
    )
    activity_sections = _annual_activity_sections(effort_areas, period, previous)
    judged = all_criteria(goals, effort_areas)
    table, counts = count_table(_("Succeskriterier fordelt på vurdering"), judged)
    intro = _annual_intro(facts, year, period)
    return ReportDocument(
        kind="annual",
        title=_("Årsrapport {year}").format(year=year),
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=format_date_range(facts.start, facts.end),
        generated_on=format_date(generated_on),
        facts=plan_fact_rows(facts),
        sections=(
            intro,
            Section(
                title=_("Resultater på de overordnede mål"),
                anchor="overordnede-maal",
                subsections=goal_sections,
            ),
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
            Section(title=_("Opsummering"), anchor="opsummering", tables=(table,)),
        ),
        outcome_counts=counts,
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


def _annual_intro(facts: PlanFacts, year: int, period: Period) -> Section:
    """The annual report's introduction: what it shows as of the year's
    end, then the plan's vision."""
    return Section(
        title=_("Indledning"),
        anchor="indledning",
        paragraphs=(
            _(
                "Årsrapporten for {year} viser helhedsplanens resultater pr. "
                "{date}: de overordnede mål, indsatsområdernes succeskriterier "
                "og aktiviteternes succeskriterier. Et kriterie, der endnu ikke "
                "kan afgøres, vises som i gang, med om det følger en lineær "
                "fremdrift fra planens start (i rute) eller ej (bagud). "
                "Kolonnen »Siden sidst« viser ændringen siden årsrapporten for "
                "{previous_year}."
            ).format(year=year, date=format_date(period.end), previous_year=year - 1),
            *paragraphs(facts.vision),
        ),
    )


def build_progress_report(
    *,
    facts: PlanFacts,
    year: int,
    tertial: int,
    effort_areas: Sequence[EffortAreaInput],
    generated_on: date,
) -> ReportDocument:
    """The progress report for one tertial (T1 January-April, T2 May-August,
    T3 September-December): activity level only, each criterion judged as of
    the tertial's last day with its pace, the values registered in the
    tertial, and the team's commentary for the tertial."""
    period = parse_period(f"{year}T{tertial}")
    sections = tuple(
        Section(
            title=ea.name,
            anchor="aktiviteter-" + slug_of(ea.name),
            subsections=tuple(
                activity_section(
                    a, commentary_periods=lambda code: _within(code, period)
                )
                for a in ea.activities
            ),
        )
        for ea in effort_areas
    )
    judged = all_criteria((), effort_areas)
    table, counts = count_table(
        _("Aktiviteternes succeskriterier fordelt på vurdering"), judged
    )
    intro = Section(
        title=_("Indledning"),
        anchor="indledning",
        paragraphs=(
            _(
                "Fremdriftsrapporten dækker {tertial}. tertial {year} "
                "({months}, {period}). Den viser aktiviteternes "
                "succeskriterier bedømt pr. {date}, med om hvert kriterie "
                "følger en lineær fremdrift fra aktivitetens start, og teamets "
                "kommentarer til tertialet."
            ).format(
                tertial=tertial,
                year=year,
                months=_(TERTIAL_NAMES[tertial]),
                period=format_period(period),
                date=format_date(period.end),
            ),
        ),
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
        sections=(
            intro,
            *sections,
            Section(title=_("Opsummering"), anchor="opsummering", tables=(table,)),
        ),
        outcome_counts=counts,
    )

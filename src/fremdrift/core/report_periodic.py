"""The reports a running plan sends during its life: the annual report
(årsrapport) and the progress report per tertial (fremdriftsrapport)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .model import Period
from .periods import parse_period
from .plan_model import JudgedCriterion
from .report_blocks import (
    activity_section,
    criterion_row,
    indicator_chart,
    indicator_sentences,
    indicator_table,
    paragraphs,
    slug_of,
)
from .report_final import count_table, plan_fact_rows
from .report_model import (
    EffortAreaInput,
    GoalInput,
    PlanFacts,
    ReportDocument,
    Section,
)
from .text_da import format_date, format_period

TERTIAL_NAMES = {1: "januar-april", 2: "maj-august", 3: "september-december"}


def _within(code: str, period: Period) -> bool:
    """Whether a commentary's period lies inside ``period``; the whole-plan
    commentary ("") never does."""
    if not code:
        return False
    own = parse_period(code)
    return own.start >= period.start and own.end <= period.end


def _criteria(
    effort_areas: Sequence[EffortAreaInput], goals: Sequence[GoalInput] = ()
) -> list[JudgedCriterion]:
    found: list[JudgedCriterion] = [c for g in goals for c in g.criteria]

    def walk(activity_criteria: Sequence[JudgedCriterion], subs: Sequence) -> None:  # type: ignore[type-arg]
        found.extend(activity_criteria)
        for sub in subs:
            walk(sub.criteria, sub.sub_activities)

    for effort_area in effort_areas:
        found.extend(effort_area.criteria)
        for activity in effort_area.activities:
            walk(activity.criteria, activity.sub_activities)
    return found


def build_annual_report(
    *,
    facts: PlanFacts,
    year: int,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    previous: Mapping[str, JudgedCriterion],
    generated_on: date,
) -> ReportDocument:
    """The annual report for ``year``: the three levels judged as of the
    year's end (observations and values whose period ended by then), each
    running criterion with its pace, and what changed since the previous
    year's report (``previous``: the criteria judged as of the previous
    year's end)."""
    period = parse_period(str(year))
    goal_sections = tuple(
        Section(
            title=goal.name,
            anchor="maal-" + slug_of(goal.name),
            paragraphs=tuple(
                text for s in goal.indicators for text in indicator_sentences(s)
            ),
            tables=tuple(indicator_table(s) for s in goal.indicators),
            charts=tuple(
                c for s in goal.indicators if (c := indicator_chart(s)) is not None
            ),
            criteria=tuple(
                criterion_row(c, previous.get(c.criterion.ident)) for c in goal.criteria
            ),
        )
        for goal in goals
    )
    effort_sections = tuple(
        Section(
            title=ea.name,
            anchor="indsats-" + slug_of(ea.name),
            criteria=tuple(
                criterion_row(c, previous.get(c.criterion.ident)) for c in ea.criteria
            ),
        )
        for ea in effort_areas
    )
    activity_sections = tuple(
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
    judged = _criteria(effort_areas, goals)
    table, counts = count_table("Succeskriterier fordelt på vurdering", judged)
    intro = Section(
        title="Indledning",
        anchor="indledning",
        paragraphs=(
            f"Årsrapporten for {year} viser helhedsplanens resultater pr. "
            f"{format_date(period.end)}: de overordnede mål, "
            "indsatsområdernes succeskriterier og aktiviteternes "
            "succeskriterier. Et kriterie, der endnu ikke kan afgøres, vises "
            "som i gang, med om det følger en lineær fremdrift fra planens "
            "start (i rute) eller ej (bagud). Kolonnen »Siden sidst« viser "
            f"ændringen siden årsrapporten for {year - 1}.",
            *paragraphs(facts.vision),
        ),
    )
    return ReportDocument(
        kind="annual",
        title=f"Årsrapport {year}",
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=f"{format_date(facts.start)} - {format_date(facts.end)}",
        generated_on=format_date(generated_on),
        facts=plan_fact_rows(facts),
        sections=(
            intro,
            Section(
                title="Resultater på de overordnede mål",
                anchor="overordnede-maal",
                subsections=goal_sections,
            ),
            Section(
                title="Resultater på indsatsområderne",
                anchor="indsatsomraader",
                subsections=effort_sections,
            ),
            Section(
                title="Resultater på aktivitetsniveau",
                anchor="aktiviteter",
                subsections=activity_sections,
            ),
            Section(title="Opsummering", anchor="opsummering", tables=(table,)),
        ),
        outcome_counts=counts,
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
    judged = _criteria(effort_areas)
    table, counts = count_table(
        "Aktiviteternes succeskriterier fordelt på vurdering", judged
    )
    intro = Section(
        title="Indledning",
        anchor="indledning",
        paragraphs=(
            f"Fremdriftsrapporten dækker {tertial}. tertial {year} "
            f"({TERTIAL_NAMES[tertial]}, {format_period(period)}). Den viser "
            "aktiviteternes succeskriterier bedømt pr. "
            f"{format_date(period.end)}, med om hvert kriterie følger en "
            "lineær fremdrift fra aktivitetens start, og teamets kommentarer "
            "til tertialet.",
        ),
    )
    return ReportDocument(
        kind="progress",
        title=f"Fremdriftsrapport {tertial}. tertial {year}",
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=f"{format_date(period.start)} - {format_date(period.end)}",
        generated_on=format_date(generated_on),
        facts=plan_fact_rows(facts),
        sections=(
            intro,
            *sections,
            Section(title="Opsummering", anchor="opsummering", tables=(table,)),
        ),
        outcome_counts=counts,
    )

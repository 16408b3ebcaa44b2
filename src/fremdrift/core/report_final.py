"""The final evaluation (resultatevaluering)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .model import (
    Outcome,
    Unit,
)
from .plan_model import JudgedCriterion, count_outcomes
from .report_blocks import (
    activity_section,
    criterion_row,
    indicator_chart,
    indicator_sentences,
    indicator_table,
    paragraphs,
    slug_of,
)
from .report_model import (
    OUTCOME_ORDER,
    ActivityInput,
    Cell,
    EffortAreaInput,
    GoalInput,
    PlanFacts,
    ReportDocument,
    Section,
    Table,
)
from .text_da import (
    format_date,
    format_number,
    outcome_label,
)


def _all_criteria(
    goals: Sequence[GoalInput], effort_areas: Sequence[EffortAreaInput]
) -> list[JudgedCriterion]:
    found: list[JudgedCriterion] = []
    for goal in goals:
        found.extend(goal.criteria)

    def walk(activity: ActivityInput) -> None:
        found.extend(activity.criteria)
        for sub in activity.sub_activities:
            walk(sub)

    for effort_area in effort_areas:
        found.extend(effort_area.criteria)
        for activity in effort_area.activities:
            walk(activity)
    return found


def count_table(
    caption: str, judged: Sequence[JudgedCriterion]
) -> tuple[Table, tuple[tuple[str, str, int], ...]]:
    counts = count_outcomes(judged)
    summary = tuple(
        (o.value, outcome_label(o), counts.get(o, 0)) for o in OUTCOME_ORDER
    )
    rows = tuple(
        (Cell(label.capitalize()), Cell(format_number(n), Decimal(n), Unit.COUNT))
        for _value, label, n in summary
        if n
    )
    rows += (
        (
            Cell("I alt"),
            Cell(format_number(len(judged)), Decimal(len(judged)), Unit.COUNT),
        ),
    )
    return Table(
        caption=caption, columns=("Vurdering", "Antal succeskriterier"), rows=rows
    ), summary


def _disagreement_text(item: JudgedCriterion) -> str:
    reported = item.criterion.reported_outcome
    printed = outcome_label(reported) if reported else "-"
    computed = outcome_label(item.verdict.outcome)
    return f"{item.criterion.ident} (rapporten: {printed}, beregnet: {computed})"


def plan_fact_rows(facts: PlanFacts) -> tuple[tuple[str, str], ...]:
    """The plan's facts as (label, value) rows for a title page."""
    fact_rows: list[tuple[str, str]] = [
        ("Periode", f"{format_date(facts.start)} - {format_date(facts.end)}"),
        ("Vision", facts.vision),
        ("Sekretariat", facts.organisation),
    ]
    if facts.area_names:
        fact_rows.append(("Boligområder", ", ".join(facts.area_names)))
    size_parts = []
    for label, number in (
        ("boligorganisationer", facts.housing_organisations),
        ("afdelingsbestyrelser", facts.department_boards),
        ("lejemål", facts.leases),
        ("beboere", facts.residents),
    ):
        if number is not None:
            size_parts.append(f"{format_number(number)} {label}")
    if size_parts:
        when = f" pr. {format_date(facts.size_as_of)}" if facts.size_as_of else ""
        source = f" (kilde: {facts.size_source})" if facts.size_source else ""
        fact_rows.append(("Omfang", ", ".join(size_parts) + when + source))
    for name, extended in facts.extensions:
        fact_rows.append(("Forlænget", f"{name} til {format_date(extended)}"))
    if facts.successor:
        fact_rows.append(("Efterfølges af", facts.successor))

    return tuple(fact_rows)


def build_final_report(
    *,
    facts: PlanFacts,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    generated_on: date,
) -> ReportDocument:
    """The final evaluation (resultatevaluering): introduction, method,
    overall goals with their statistics, effort-area criteria, activity
    criteria per effort area, other activities and funding, summary."""
    fact_rows = plan_fact_rows(facts)
    intro = Section(
        title="Indledning",
        anchor="indledning",
        paragraphs=paragraphs(facts.introduction),
    )
    method = Section(
        title="Evalueringsmetode og datagrundlag",
        anchor="metode",
        paragraphs=paragraphs(facts.method),
    )
    goal_sections = tuple(
        Section(
            title=goal.name,
            anchor="maal-" + slug_of(goal.name),
            paragraphs=(
                *paragraphs(goal.description),
                *(text for s in goal.indicators for text in indicator_sentences(s)),
            ),
            tables=tuple(indicator_table(s) for s in goal.indicators),
            charts=tuple(
                chart
                for s in goal.indicators
                if (chart := indicator_chart(s)) is not None
            ),
            criteria=tuple(criterion_row(c) for c in goal.criteria),
        )
        for goal in goals
    )
    goals_section = Section(
        title="Resultater på de overordnede mål",
        anchor="overordnede-maal",
        subsections=goal_sections,
    )
    effort_section = Section(
        title="Resultater på indsatsområderne",
        anchor="indsatsomraader",
        subsections=tuple(
            Section(
                title=ea.name,
                anchor="indsats-" + slug_of(ea.name),
                criteria=tuple(criterion_row(c) for c in ea.criteria),
            )
            for ea in effort_areas
        ),
    )
    activities_section = Section(
        title="Resultater på aktivitetsniveau",
        anchor="aktiviteter",
        subsections=tuple(
            Section(
                title=ea.name,
                anchor="aktiviteter-" + slug_of(ea.name),
                paragraphs=paragraphs(ea.description),
                subsections=tuple(activity_section(a) for a in ea.activities),
            )
            for ea in effort_areas
        ),
    )
    other_paragraphs = list(paragraphs(facts.other_activities))
    if facts.funding_total_dkk is not None:
        other_paragraphs.append(
            f"Supplerende midler i alt: {format_number(facts.funding_total_dkk)} kr."
            + (f" ({facts.funding_note})" if facts.funding_note else "")
        )
    if facts.funding_projects:
        other_paragraphs.append("Projekter: " + ", ".join(facts.funding_projects) + ".")
    other = Section(
        title="Andre aktiviteter og supplerende midler",
        anchor="andre-aktiviteter",
        paragraphs=tuple(other_paragraphs),
    )
    judged = _all_criteria(goals, effort_areas)
    counts_table, summary_counts = count_table(
        "Succeskriterier fordelt på vurdering", judged
    )
    level_tables = []
    for caption, level in (
        ("Overordnede mål", "goal"),
        ("Indsatsområder", "effort_area"),
        ("Aktiviteter", "activity"),
    ):
        subset = [j for j in judged if j.criterion.level == level]
        if subset:
            level_tables.append(
                count_table(f"Succeskriterier: {caption.lower()}", subset)[0]
            )
    disagreements = [j for j in judged if j.agrees_with_report is False]
    summary_paragraphs = list(paragraphs(facts.summary))
    achieved = sum(1 for j in judged if j.verdict.outcome == Outcome.ACHIEVED)
    summary_paragraphs.insert(
        0,
        f"Af helhedsplanens {format_number(len(judged))} succeskriterier er "
        f"{format_number(achieved)} opnået. Alle vurderinger er beregnet af "
        "fremdrift ud fra de registrerede tal.",
    )
    if disagreements:
        summary_paragraphs.insert(
            1,
            f"{format_number(len(disagreements))} vurdering(er) afviger fra den "
            "vurdering, den trykte rapport angiver: "
            + "; ".join(_disagreement_text(j) for j in disagreements)
            + ".",
        )
    summary = Section(
        title="Opsummering",
        anchor="opsummering",
        paragraphs=tuple(summary_paragraphs),
        tables=(counts_table, *level_tables),
    )
    return ReportDocument(
        kind="final",
        title="Resultatevaluering",
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=f"{format_date(facts.start)} - {format_date(facts.end)}",
        generated_on=format_date(generated_on),
        facts=fact_rows,
        sections=(
            intro,
            method,
            goals_section,
            effort_section,
            activities_section,
            other,
            summary,
        ),
        outcome_counts=summary_counts,
    )

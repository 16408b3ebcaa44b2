"""The final evaluation (resultatevaluering)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from .forecast import Outlook, outlook_label
from .i18n import _, ngettext
from .model import (
    Outcome,
    Unit,
)
from .plan_model import JudgedCriterion, count_outcomes
from .report_area_status import LawStatusInput, area_status_section
from .report_blocks import (
    activity_section,
    all_criteria,
    commentary_shown,
    effort_area_section,
    paragraphs,
    slug_of,
)
from .report_indicators import (
    goal_section,
    method_paragraphs,
    other_indicators_section,
    report_results,
)
from .report_model import (
    OUTCOME_ORDER,
    Cell,
    EffortAreaInput,
    GoalInput,
    IndicatorSeries,
    PlanFacts,
    ReportDocument,
    Section,
    Table,
    without_empty,
)
from .text_da import (
    format_date,
    format_date_range,
    format_number,
    outcome_label,
)
from .uncertainty import TEAM_SETTINGS, UncertaintySettings


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
            Cell(_("I alt")),
            Cell(format_number(len(judged)), Decimal(len(judged)), Unit.COUNT),
        ),
    )
    return Table(
        caption=caption,
        columns=(_("Vurdering"), _("Antal succeskriterier")),
        rows=rows,
    ), summary


PACE_ORDER = (Outlook.ON_TRACK, Outlook.AT_RISK, Outlook.OFF_TRACK)


def pace_of(item: JudgedCriterion) -> Outlook | None:
    """Where a running criterion is heading: its verdict's pace, the one
    value its badge, sentence and table show (the forecast's outlook where
    it has one: ``uncertainty``); None for a decided criterion."""
    return item.verdict.pace


def pace_table(
    caption: str, judged: Sequence[JudgedCriterion]
) -> tuple[Table | None, tuple[tuple[str, str, int], ...]]:
    """The running criteria counted by pace (``pace_of``): on track, at
    risk, behind, and in all; (None, ()) when no criterion has a pace."""
    paces = Counter(p for p in map(pace_of, judged) if p is not None)
    if not paces:
        return None, ()
    summary = tuple((o.value, outlook_label(o), paces.get(o, 0)) for o in PACE_ORDER)
    total = sum(paces.values())
    rows = (
        *(
            (Cell(label.capitalize()), Cell(format_number(n), Decimal(n), Unit.COUNT))
            for _value, label, n in summary
        ),
        (Cell(_("I alt")), Cell(format_number(total), Decimal(total), Unit.COUNT)),
    )
    return Table(
        caption=caption,
        columns=(_("Fremdrift"), _("Antal succeskriterier")),
        rows=rows,
    ), summary


def _disagreement_text(item: JudgedCriterion) -> str:
    reported = item.criterion.reported_outcome
    printed = outcome_label(reported) if reported else "-"
    computed = outcome_label(item.verdict.outcome)
    return _("»{criterion}« (rapporten: {reported}, beregnet: {computed})").format(
        criterion=item.criterion.text, reported=printed, computed=computed
    )


def plan_fact_rows(facts: PlanFacts) -> tuple[tuple[str, str], ...]:
    """The plan's facts as (label, value) rows for a title page."""
    fact_rows: list[tuple[str, str]] = [
        (_("Periode"), format_date_range(facts.start, facts.end)),
        (_("Vision"), facts.vision),
        (_("Sekretariat"), facts.organisation),
    ]
    if facts.area_names:
        fact_rows.append((_("Boligområder"), ", ".join(facts.area_names)))
    # Translators: Danish prints the plural for every count here; the
    # English singular is for a count of one.
    size_parts = [
        text.format(count=format_number(number))
        for text, number in (
            (
                ngettext(
                    "{count} boligorganisationer",
                    "{count} boligorganisationer",
                    facts.housing_organisations or 0,
                ),
                facts.housing_organisations,
            ),
            (
                ngettext(
                    "{count} afdelingsbestyrelser",
                    "{count} afdelingsbestyrelser",
                    facts.department_boards or 0,
                ),
                facts.department_boards,
            ),
            (
                ngettext("{count} lejemål", "{count} lejemål", facts.leases or 0),
                facts.leases,
            ),
            (
                ngettext("{count} beboere", "{count} beboere", facts.residents or 0),
                facts.residents,
            ),
        )
        if number is not None
    ]
    if size_parts:
        size = ", ".join(size_parts)
        if facts.size_as_of:
            size = _("{size} pr. {date}").format(
                size=size, date=format_date(facts.size_as_of)
            )
        if facts.size_source:
            size = _("{size} (kilde: {source})").format(
                size=size, source=facts.size_source
            )
        fact_rows.append((_("Omfang"), size))
    for name, extended in facts.extensions:
        fact_rows.append(
            (
                _("Forlænget"),
                _("{activity} til {date}").format(
                    activity=name, date=format_date(extended)
                ),
            )
        )
    if facts.successor:
        fact_rows.append((_("Efterfølges af"), facts.successor))

    return tuple(fact_rows)


def build_final_report(
    *,
    facts: PlanFacts,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    generated_on: date,
    other_indicators: Sequence[IndicatorSeries] = (),
    settings: UncertaintySettings = TEAM_SETTINGS,
    law_status: LawStatusInput | None = None,
) -> ReportDocument:
    """The final evaluation (resultatevaluering): introduction, method (with
    the statistical methods used and their references), overall goals with
    their statistics and uncertainty, the plan's other key figures
    (``other_indicators``: those no goal follows), effort-area criteria,
    activity criteria per effort area, other activities and funding,
    summary. ``settings``: the thin-data threshold, the level, and the
    discretion a reader outside the team gets. ``law_status``: each
    area's status under the law, printed after the overall goals."""
    fact_rows = plan_fact_rows(facts)
    intro = Section(
        title=_("Indledning"),
        anchor="indledning",
        paragraphs=paragraphs(facts.introduction),
        commentary=commentary_shown(facts.commentary),
    )
    method = _method_section(facts, goals, effort_areas, other_indicators, settings)
    goal_sections = tuple(goal_section(goal, settings=settings) for goal in goals)
    goals_section = Section(
        title=_("Resultater på de overordnede mål"),
        anchor="overordnede-maal",
        subsections=goal_sections,
    )
    others = other_indicators_section(other_indicators, settings)
    law = area_status_section(law_status, settings)
    effort_section = Section(
        title=_("Resultater på indsatsområderne"),
        anchor="indsatsomraader",
        subsections=tuple(effort_area_section(ea) for ea in effort_areas),
    )
    activities_section = _activities_section(effort_areas)
    other = _other_activities_section(facts)
    judged = all_criteria(goals, effort_areas)
    summary, summary_counts = _summary_section(facts, judged)
    _pace, pace_counts = pace_table("", judged)
    return ReportDocument(
        kind="final",
        title=_("Resultatevaluering"),
        subtitle=facts.name,
        plan_name=facts.name,
        period_text=format_date_range(facts.start, facts.end),
        generated_on=format_date(generated_on),
        facts=fact_rows,
        sections=without_empty(
            (
                intro,
                method,
                goals_section,
                *((law,) if law is not None else ()),
                *((others,) if others is not None else ()),
                effort_section,
                activities_section,
                other,
                summary,
            )
        ),
        outcome_counts=summary_counts,
        pace_counts=pace_counts,
    )


def _method_section(
    facts: PlanFacts,
    goals: Sequence[GoalInput],
    effort_areas: Sequence[EffortAreaInput],
    other_indicators: Sequence[IndicatorSeries],
    settings: UncertaintySettings,
) -> Section:
    """The team's own method text, then the statistical methods the
    report's results actually used, with their references."""
    return Section(
        title=_("Evalueringsmetode og datagrundlag"),
        anchor="metode",
        paragraphs=(
            *paragraphs(facts.method),
            *method_paragraphs(
                report_results(goals, effort_areas, other_indicators, settings),
                settings,
            ),
        ),
    )


def _activities_section(effort_areas: Sequence[EffortAreaInput]) -> Section:
    """The activity criteria, grouped under their effort area with its
    description."""
    return Section(
        title=_("Resultater på aktivitetsniveau"),
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


def _other_activities_section(facts: PlanFacts) -> Section:
    """The team's text on other activities, then the supplementary funding:
    the total (with its note) and the projects it paid for."""
    other_paragraphs = list(paragraphs(facts.other_activities))
    if facts.funding_total_dkk is not None:
        amount = format_number(facts.funding_total_dkk)
        # Two whole sentences rather than an optional suffix, so a
        # translator sees each as it is printed.
        if facts.funding_note:
            funding = _("Supplerende midler i alt: {amount} kr. ({note})").format(
                amount=amount, note=facts.funding_note
            )
        else:
            funding = _("Supplerende midler i alt: {amount} kr.").format(amount=amount)
        other_paragraphs.append(funding)
    if facts.funding_projects:
        other_paragraphs.append(
            _("Projekter: {projects}.").format(
                projects=", ".join(facts.funding_projects)
            )
        )
    return Section(
        title=_("Andre aktiviteter og supplerende midler"),
        anchor="andre-aktiviteter",
        paragraphs=tuple(other_paragraphs),
    )


def _level_tables(judged: Sequence[JudgedCriterion]) -> list[Table]:
    """One count table per level (goals, effort areas, activities) that has
    criteria; a level with none gets no empty table."""
    level_tables = []
    for caption, level in (
        (_("Succeskriterier: overordnede mål"), "goal"),
        (_("Succeskriterier: indsatsområder"), "effort_area"),
        (_("Succeskriterier: aktiviteter"), "activity"),
    ):
        subset = [j for j in judged if j.criterion.level == level]
        if subset:
            level_tables.append(count_table(caption, subset)[0])
    return level_tables


def _summary_section(
    facts: PlanFacts, judged: Sequence[JudgedCriterion]
) -> tuple[Section, tuple[tuple[str, str, int], ...]]:
    """The summary section and the outcome counts the document carries.

    The computed sentences come before the team's own summary: first how
    many criteria were achieved, then (when any) which computed verdicts
    differ from the printed report's.
    """
    counts_table, summary_counts = count_table(
        _("Succeskriterier fordelt på vurdering"), judged
    )
    level_tables = _level_tables(judged)
    paces, _counts = pace_table(
        _("Igangværende succeskriterier fordelt på fremdrift"), judged
    )
    if paces is not None:
        level_tables.insert(0, paces)
    disagreements = [j for j in judged if j.agrees_with_report is False]
    summary_paragraphs = list(paragraphs(facts.summary))
    achieved = sum(1 for j in judged if j.verdict.outcome == Outcome.ACHIEVED)
    summary_paragraphs.insert(
        0,
        _(
            "Af helhedsplanens {total} succeskriterier er {achieved} opnået. "
            "Alle vurderinger er beregnet af fremdrift ud fra de registrerede "
            "tal."
        ).format(total=format_number(len(judged)), achieved=format_number(achieved)),
    )
    if disagreements:
        summary_paragraphs.insert(
            1,
            _(
                "{count} vurdering(er) afviger fra den vurdering, den trykte "
                "rapport angiver: {criteria}."
            ).format(
                count=format_number(len(disagreements)),
                criteria="; ".join(_disagreement_text(j) for j in disagreements),
            ),
        )
    summary = Section(
        title=_("Opsummering"),
        anchor="opsummering",
        paragraphs=tuple(summary_paragraphs),
        tables=(counts_table, *level_tables),
    )
    return summary, summary_counts

"""Rendered parts of pages kept in the cache until the plan's data change.

The plan page shows the whole goal tree of the final report with every
verdict: rendering it from the stored report (thousands of objects
unpickled, then a template walking them) costs far more than the rest of
the page. The rendered HTML depends only on the plan's data, the day, the
reader's audience and the language, so it is stored under a data key
(base/freshness.py) holding exactly those: any write to the plan gives it
a new token, and the next reader renders it afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from fremdrift.base.freshness import data_key, stored
from fremdrift.core.discretion import Audience
from fremdrift.core.report_model import ReportDocument
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import stored_report_build

from .selectors import TeamNotes, revisable_criteria, team_notes

PLAN_PARTS = ("head", "verdicts", "lawstatus")


@dataclass(frozen=True, slots=True)
class PlanPageParts:
    """The plan page's data-dependent parts, as rendered HTML."""

    head: SafeString
    verdicts: SafeString
    # Each area's status under the law (empty when the plan follows none).
    lawstatus: SafeString


def plan_page_parts(
    *,
    plan: Plan,
    audience: Audience,
    lang: str,
    may_edit: bool = False,
    history: bool = False,
) -> PlanPageParts:
    """The plan page's period, facts, verdict counts and goal tree; for the
    team (``audience`` internal) with its working notes; for a reader who
    may edit the plan (``may_edit``) with a link to revise each target; for
    a reader of the change history (``history``) with a link to each
    criterion's."""
    day = timezone.localdate()
    key = data_key(
        plan.pk, "plan-page", day.isoformat(), audience, lang, may_edit, history
    )
    # Plain strings in the cache: marked safe again only here, where they
    # are known to be this module's own rendering.
    parts = stored(
        key,
        lambda: plan_page_render(
            plan=plan,
            document=stored_report_build(
                plan=plan, kind="final", lang=lang, audience=audience
            ),
            notes=team_notes(plan=plan, audience=audience),
            target_links=revisable_criteria(plan=plan) if may_edit else frozenset(),
            history=history,
        ),
    )
    return PlanPageParts(
        head=mark_safe(parts["head"]),
        verdicts=mark_safe(parts["verdicts"]),
        lawstatus=mark_safe(parts["lawstatus"]),
    )


def plan_page_render(
    *,
    plan: Plan,
    document: ReportDocument,
    notes: TeamNotes | None = None,
    target_links: frozenset[str] = frozenset(),
    history: bool = False,
) -> dict[str, str]:
    """The plan page's parts rendered from the final report ``document``,
    with the team's working ``notes`` (``team_notes``: none for a reader
    outside the team), a link to revise the target of each criterion in
    ``target_links`` (by ident) and, with ``history``, a link to each
    criterion's change history."""
    context = {
        "plan": plan,
        "doc": document,
        "team_notes": notes or TeamNotes(),
        "target_links": target_links,
        "history_links": history,
    }
    return {
        part: str(render_to_string(f"web/_plan_{part}.html", context))
        for part in PLAN_PARTS
    }

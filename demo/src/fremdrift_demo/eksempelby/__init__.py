"""Made-up registrations for a fictional demo plan.

``registrations_generate`` replaces the registrations of a plan marked
"(fiktiv)" with plausible generated ones, so that the registration screens,
the measures and the progress and annual reports have something to show.
Everything is drawn from one ``random.Random(seed)``: the same seed gives
the same people, codes, courses and attendance every time.

The whole plan period is generated first and then cut at ``until``, so a
later ``until`` shows the same history with more of it, as a running plan
would: courses under way have no outcomes yet, follow-ups not yet due are
open, and nothing is dated after ``until``.

The activities are recognised by their slugs in
``examples/eksempelby-2025-29/plan.yaml`` (``ACTIVITY_SLUGS``); a plan
without one of them simply gets nothing for it. See docs/demo.md.

The package: ``calendar`` (school holidays, terms, weekly dates),
``people`` (households and residents, and picking among them),
``offers`` (each activity's questionnaire, session themes and course
offer), ``activities`` (the per-activity generators) and ``writer``
(deleting and bulk-writing the registrations, counting the rows); this
module holds the entry point, ``registrations_generate``.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fremdrift.base.freshness import plan_data_changed
from fremdrift.plans.models import Activity, Area, Plan

from .activities import _Generator
from .calendar import _terms, school_holiday
from .offers import OFFERS
from .writer import _delete_registrations, _Writer

__all__ = [
    "DEFAULT_SEED",
    "FICTIONAL_MARK",
    "DemoPlanError",
    "GenerationSummary",
    "registrations_generate",
    "school_holiday",
]

DEFAULT_SEED = 2025
# Only a plan whose name carries this mark may have its registrations
# replaced: the generator deletes whatever is registered.
FICTIONAL_MARK = "(fiktiv)"

ACTIVITY_SLUGS = (
    "lektiecafe",
    "familiekursus",
    "madskole",
    "fritidsjob",
    "gadeplan",
    "foraeldrenetvaerk",
    "faellesspisning",
    "beboerambassadoerer",
)


class DemoPlanError(Exception):
    """The plan may not have its registrations replaced."""


@dataclass(frozen=True)
class GenerationSummary:
    """What one generation created (every earlier registration of the plan
    was deleted first)."""

    plan_slug: str
    seed: int
    until: datetime.date
    households: int = 0
    participants: int = 0
    courses: int = 0
    enrolments: int = 0
    sessions: int = 0
    attendance: int = 0
    contacts: int = 0
    follow_ups: int = 0
    responses: int = 0
    answers: int = 0

    def describe(self) -> str:
        return (
            f"Plan {self.plan_slug}: generated registrations up to "
            f"{self.until.isoformat()} (seed {self.seed}): "
            f"{self.participants} participants in {self.households} households, "
            f"{self.courses} courses, {self.enrolments} enrolments, "
            f"{self.sessions} sessions, {self.attendance} attendance rows, "
            f"{self.contacts} outreach contacts, {self.follow_ups} follow-ups, "
            f"{self.responses} questionnaire responses ({self.answers} answers)."
        )


def _span(
    activities: dict[str, Activity], plan: Plan, slug: str
) -> tuple[datetime.date, datetime.date] | None:
    activity = activities.get(slug)
    if activity is None:
        return None
    return activity.period_start(plan), activity.period_end(plan)


def _generate(plan: Plan, seed: int, activities: dict[str, Activity]) -> _Generator:
    """Everything for the whole plan period, in a fixed order."""
    areas = list(Area.objects.filter(plan=plan).values_list("slug", flat=True))
    generator = _Generator(random.Random(seed), areas)
    generator.residents(plan.start, plan.end)
    for slug in ACTIVITY_SLUGS:
        span = _span(activities, plan, slug)
        if span is None:
            continue
        if slug in OFFERS:
            generator.offer(OFFERS[slug], _terms(*span))
        elif slug == "familiekursus":
            generator.familiekursus(_terms(*span))
        else:
            getattr(generator, slug)(*span)
    return generator


@transaction.atomic
def registrations_generate(
    *, plan: Plan, seed: int = DEFAULT_SEED, until: datetime.date | None = None
) -> GenerationSummary:
    """Replace the registrations of a fictional plan with generated ones,
    dated up to ``until`` (default today, never after the plan's end).

    Deterministic: the same plan, seed and ``until`` give the same rows
    (codes included). Refuses a plan whose name is not marked "(fiktiv)":
    every registration of the plan is deleted first.
    """
    if FICTIONAL_MARK not in plan.name:
        raise DemoPlanError(
            f"plan {plan.slug!r} is not marked {FICTIONAL_MARK!r} in its name; "
            "demo registrations replace every registration of a plan, so only "
            "fictional plans may have them"
        )
    until = min(until or timezone.localdate(), plan.end)
    activities = {a.slug: a for a in Activity.objects.filter(plan=plan)}
    generator = _generate(plan, seed, activities)
    # Deleted and written in bulk, without signals.
    plan_data_changed(plan.pk)
    _delete_registrations(plan)
    writer = _Writer(plan, until, activities)
    writer.people(generator)
    writer.questionnaires()
    writer.courses(generator)
    writer.contacts(generator)
    return GenerationSummary(
        plan_slug=plan.slug, seed=seed, until=until, **writer.counts
    )

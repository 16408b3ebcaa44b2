"""Generating and deleting the benchmark's fictional plans.

``bench_generate`` writes ``scale.plans`` plans (slugs ``bench-NNN-...``,
names marked "(fiktiv)") with their statistics and registrations, drawn
from ``random.Random`` seeded by the run's seed: the same seed and scale
give the same rows, primary keys included when the database starts empty.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet

from fremdrift.base.freshness import plan_data_changed
from fremdrift.plans.models import Organisation, Plan
from fremdrift.registrations.models import (
    Answer,
    Attendance,
    Contact,
    Enrolment,
    FollowUp,
    Participant,
    Response,
    Session,
)
from fremdrift.statistics.models import Observation
from fremdrift_demo.eksempelby import FICTIONAL_MARK

from .catalogue import TOWN_HEADS, TOWN_TAILS
from .plans import PlanGenerator, PlanOutline, split
from .scales import UNTIL, Scale
from .writer import BulkWriter

SLUG_PREFIX = "bench-"
# Written without their secondary indexes, which are built at the end.
BIG_TABLES = (
    Attendance,
    Answer,
    Response,
    Enrolment,
    Session,
    Observation,
    Participant,
    Contact,
)
FIRST_START_YEAR = 2016
PLAN_YEARS = 4


class BenchDataError(Exception):
    """The database already holds benchmark plans, or holds none to delete."""


@dataclass(frozen=True)
class GenerationSummary:
    """What one generation wrote: rows per table, and how long it took."""

    scale: str
    seed: int
    until: datetime.date
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def describe(self) -> str:
        rows = self.rows
        return (
            f"Generated {rows.get('Plan', 0)} fictional plans (scale {self.scale}, "
            f"seed {self.seed}, registrations up to {self.until.isoformat()}) in "
            f"{self.seconds:.1f} s: {rows.get('Area', 0):,} areas, "
            f"{rows.get('Indicator', 0):,} indicators with "
            f"{rows.get('Observation', 0):,} observations, "
            f"{rows.get('Activity', 0):,} activities with "
            f"{rows.get('Criterion', 0):,} criteria, "
            f"{rows.get('Participant', 0):,} participants, "
            f"{rows.get('Session', 0):,} sessions, "
            f"{rows.get('Attendance', 0):,} attendance rows, "
            f"{rows.get('Response', 0):,} questionnaire responses "
            f"({rows.get('Answer', 0):,} answers)."
        )


def plan_outlines(
    scale: Scale, seed: int, until: datetime.date = UNTIL
) -> list[PlanOutline]:
    """Each plan's town, period and share of the areas, activities,
    participants and attendance, decided up front from the seed."""
    rng = random.Random(f"fremdrift-bench:{seed}")
    towns = [h + t.lower() for h in TOWN_HEADS for t in TOWN_TAILS]
    rng.shuffle(towns)
    last_start = until.year
    starts = [
        FIRST_START_YEAR + (n * (last_start - FIRST_START_YEAR + 1)) // scale.plans
        for n in range(scale.plans)
    ]
    rng.shuffle(starts)
    areas = [
        1 + extra
        for extra in split(
            scale.areas - scale.plans,
            [rng.uniform(0.2, 1.6) for _ in range(scale.plans)],
            rng,
        )
    ]
    periods = [
        (datetime.date(y, 1, 1), datetime.date(y + PLAN_YEARS - 1, 12, 31))
        for y in starts
    ]
    elapsed = [
        max(0.05, (min(end, until) - start).days / 365) for start, end in periods
    ]
    activities = split(scale.activities, [a + 2.0 for a in areas], rng)
    participants = split(
        scale.participants,
        [
            a * (0.4 + 0.6 * min(1.0, e / PLAN_YEARS))
            for a, e in zip(areas, elapsed, strict=True)
        ],
        rng,
    )
    attendance = split(
        scale.attendance, [a * e for a, e in zip(areas, elapsed, strict=True)], rng
    )
    return [
        PlanOutline(
            number=n + 1,
            town=towns[n % len(towns)]
            + ("" if n < len(towns) else f" {n // len(towns) + 1}"),
            start=periods[n][0],
            end=periods[n][1],
            areas=areas[n],
            activities=activities[n],
            participants=participants[n],
            attendance=attendance[n],
        )
        for n in range(scale.plans)
    ]


def bench_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(
        slug__startswith=SLUG_PREFIX, name__contains=FICTIONAL_MARK
    )


@transaction.atomic
def bench_generate(
    *,
    scale: Scale,
    seed: int,
    until: datetime.date = UNTIL,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationSummary:
    """Write ``scale.plans`` fictional plans, refusing when benchmark plans
    are there already (delete them first with ``bench_delete``)."""
    if bench_plans().exists():
        raise BenchDataError(
            "the database already holds benchmark plans; delete them first "
            "(fremdrift bench generate --replace)"
        )
    began = time.perf_counter()
    # Rows go in as raw SQL: stored measures of every plan are renewed.
    plan_data_changed(None)
    writer = BulkWriter()
    writer.drop_indexes(BIG_TABLES)
    outlines = plan_outlines(scale, seed, until)
    for n, outline in enumerate(outlines):
        PlanGenerator(
            outline,
            random.Random(f"fremdrift-bench:{seed}:{outline.number}"),
            writer,
            indicators=scale.indicators,
            years=scale.years,
            until=until,
        ).run()
        # Flushed plan by plan, so memory holds one plan's rows at a time.
        writer.flush()
        if progress is not None:
            progress(n + 1, len(outlines))
    writer.finish()
    # Raw inserts leave the planner without statistics: without them
    # PostgreSQL scans two million attendance rows for one activity's year.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return GenerationSummary(
        scale=scale.name,
        seed=seed,
        until=until,
        rows=writer.counts(),
        seconds=time.perf_counter() - began,
    )


@transaction.atomic
def bench_delete() -> int:
    """Delete every benchmark plan; returns how many. The big tables are
    emptied with one DELETE each, then the plans go through the ORM, so
    that whatever else refers to them (roles, reports) goes too."""
    plans = bench_plans()
    count = plans.count()
    if not count:
        return 0
    ids = list(plans.values_list("pk", flat=True))
    plan_data_changed(None)
    organisations = list(plans.values_list("organisation_id", flat=True))
    for queryset in (
        Answer.objects.filter(response__enrolment__participant__plan_id__in=ids),
        Response.objects.filter(enrolment__participant__plan_id__in=ids),
        FollowUp.objects.filter(enrolment__participant__plan_id__in=ids),
        Attendance.objects.filter(participant__plan_id__in=ids),
        Contact.objects.filter(activity__plan_id__in=ids),
        Enrolment.objects.filter(participant__plan_id__in=ids),
        Session.objects.filter(activity__plan_id__in=ids),
        Observation.objects.filter(indicator__plan_id__in=ids),
        Participant.objects.filter(plan_id__in=ids),
    ):
        queryset._raw_delete(queryset.db)
    Plan.objects.filter(pk__in=ids).delete()
    Organisation.objects.filter(pk__in=organisations, plans__isnull=True).delete()
    return count

"""`fremdrift bench generate` at the small scale: what it writes, that a
seed gives the same rows every time, that the generated plans are judged
like any other, and that the benchmark's SQL baseline counts what
fremdrift counts."""

from __future__ import annotations

import datetime
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import CriterionKind
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.plans.models import Activity, Area, Criterion, Plan
from fremdrift.registrations.models import (
    Attendance,
    Enrolment,
    Participant,
    Response,
    Session,
)
from fremdrift.statistics.models import Indicator, Observation
from fremdrift_demo.bench.baseline import (
    baseline_points,
    measure_windows,
    windows_compare,
)
from fremdrift_demo.bench.scales import SCALES, UNTIL
from fremdrift_demo.bench.services import bench_delete

SMALL = SCALES["small"]
SEED = 7

pytestmark = pytest.mark.django_db


def generate(seed: int = SEED, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "bench", "generate", "--scale", "small", "--seed", str(seed), *extra, stdout=out
    )
    return out.getvalue()


def fingerprint() -> str:
    """The generated rows by their content (codes, dates, slugs), not by
    primary key."""
    rows: list[tuple[object, ...]] = []
    rows += Participant.objects.values_list(
        "plan__slug", "code", "initials", "birth_year", "sex", "area__slug",
        "household__code",
    )  # fmt: skip
    rows += Session.objects.values_list(
        "activity__plan__slug", "activity__slug", "course__name", "date", "headcount"
    )
    rows += Attendance.objects.values_list(
        "session__activity__slug", "session__date", "participant__code"
    )
    rows += Enrolment.objects.values_list(
        "course__name", "participant__code", "role", "start", "end", "outcome",
        "goal_set", "goal_reached",
    )  # fmt: skip
    rows += Criterion.objects.values_list(
        "plan__slug", "ident", "kind", "target", "measure", "aggregation"
    )
    rows += Observation.objects.values_list(
        "indicator__slug", "population__slug", "period", "value"
    )
    text = "\n".join(sorted(json.dumps(r, default=str, sort_keys=True) for r in rows))
    return hashlib.sha256(text.encode()).hexdigest()


def test_small_scale_writes_the_scales_counts() -> None:
    summary = generate()

    assert "Generated 3 fictional plans" in summary
    assert Plan.objects.count() == SMALL.plans
    assert Area.objects.count() == SMALL.areas
    assert Activity.objects.count() == SMALL.activities
    assert Participant.objects.count() == SMALL.participants
    assert Indicator.objects.count() == SMALL.plans * SMALL.indicators
    populations = SMALL.areas + 3 * SMALL.plans
    assert Observation.objects.count() == SMALL.indicators * SMALL.years * populations
    # Drawn groups, drop-outs and holidays land near the aimed-at numbers.
    assert (
        0.75 * SMALL.attendance <= Attendance.objects.count() <= 1.25 * SMALL.attendance
    )
    assert 0.75 * SMALL.responses <= Response.objects.count() <= 1.25 * SMALL.responses
    assert all(
        "(fiktiv)" in name for name in Plan.objects.values_list("name", flat=True)
    )


def test_every_criterion_and_measure_kind_is_generated() -> None:
    generate()

    kinds = set(Criterion.objects.values_list("kind", flat=True))
    measures = {
        m["kind"] for m in Criterion.objects.exclude(measure={}).values_list(
            "measure", flat=True
        )
    }  # fmt: skip

    assert kinds == {kind.value for kind in CriterionKind}
    assert measures == {kind.value for kind in MeasureKind}


@pytest.mark.slow
def test_the_same_seed_gives_the_same_rows() -> None:
    generate()
    first = fingerprint()

    generate(SEED, "--replace")
    again = fingerprint()
    generate(SEED + 1, "--replace")
    other = fingerprint()

    assert again == first
    assert other != first


def test_generate_refuses_to_add_to_earlier_benchmark_plans() -> None:
    generate()

    with pytest.raises(CommandError, match="already holds benchmark plans"):
        generate()
    assert Plan.objects.count() == SMALL.plans


def test_bench_delete_removes_every_generated_row() -> None:
    generate()

    assert bench_delete() == SMALL.plans
    assert not Plan.objects.exists()
    assert not Attendance.objects.exists()
    assert not Observation.objects.exists()


def test_verdicts_command_judges_a_generated_plan() -> None:
    generate()
    plan = Plan.objects.order_by("pk").first()
    assert plan is not None
    out = io.StringIO()

    call_command(
        "verdicts", plan.slug, "--format", "json", "--as-of", UNTIL.isoformat(),
        stdout=out,
    )  # fmt: skip

    records = json.loads(out.getvalue())
    assert len(records) == Criterion.objects.filter(plan=plan).count()
    outcomes = {record["verdict"] for record in records}
    assert {"achieved", "not_achieved"} <= outcomes


def test_the_sql_baseline_counts_what_fremdrift_counts() -> None:
    generate()
    as_of = UNTIL
    judged = {
        plan.pk: plan_judged_criteria(plan=plan, as_of=as_of)
        for plan in Plan.objects.all()
    }

    windows = measure_windows(as_of=as_of)
    points = baseline_points(windows)

    assert len(windows) > 50
    assert {w.kind for w in windows} == set(MeasureKind)
    assert windows_compare(windows, points, judged) == []


def test_registrations_stop_at_the_generation_day() -> None:
    generate()

    last = Session.objects.order_by("-date").values_list("date", flat=True).first()

    assert last is not None
    assert last <= UNTIL
    assert last >= UNTIL - datetime.timedelta(days=31)

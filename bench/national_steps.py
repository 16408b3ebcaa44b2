"""The steps of bench/national.py that run inside Django, each in a process
of its own so that its peak memory (ru_maxrss) is its own. national.py
starts ``python bench/national_steps.py STEP --args JSON`` with the
throwaway database in the environment; the step prints one line
``RESULT {json}`` last."""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

STAFF = "bench-staff"
PASSWORD = "benchmark-kodeord-2026"


def peak_mb() -> float:
    """The peak resident memory of this step: its own, or that of the
    largest child it waited for (the PDF's typesetting process), whichever
    is larger."""
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(call: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _as_of() -> datetime.date:
    from fremdrift_demo.bench.scales import UNTIL

    return UNTIL


# -- generate ---------------------------------------------------------------


def step_generate(args: dict[str, Any]) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from fremdrift_demo.bench.scales import SCALES
    from fremdrift_demo.bench.services import bench_generate

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - began
    wall, cpu, summary = _timed(
        lambda: bench_generate(scale=SCALES[args["scale"]], seed=args["seed"])
    )
    # What autovacuum (PostgreSQL) or a scheduled ANALYZE (SQLite) would
    # have done by the time anyone asks.
    analyse = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "migrate_s": migrate_s,
        "seconds": wall,
        "cpu_s": cpu,
        "analyze_s": time.perf_counter() - analyse,
        "rows": summary.rows,  # type: ignore[attr-defined]
        "peak_mb": peak_mb(),
    }


# -- verdicts ------------------------------------------------------------------


def _fremdrift(
    plans: list[Any], as_of: datetime.date, *, live: bool = True
) -> dict[int, list[Any]]:
    """Every plan judged through fremdrift's own path: live (the stored
    measures emptied first, so every measure is computed from the rows) or
    from the stored measures (base/freshness.py) a previous run left."""
    from django.core.cache import cache

    from fremdrift.evaluation.selectors import plan_judged_criteria

    if live:
        cache.clear()
    return {plan.pk: plan_judged_criteria(plan=plan, as_of=as_of) for plan in plans}


def _baseline(as_of: datetime.date) -> tuple[list[Any], dict[int, Any]]:
    from fremdrift_demo.bench.baseline import baseline_points, measure_windows

    windows = measure_windows(as_of=as_of)
    return windows, baseline_points(windows)


def step_verdicts(args: dict[str, Any]) -> dict[str, Any]:
    """Alternating runs of the baseline and fremdrift's path (so that a
    busy machine slows both alike), then one instrumented run of each."""
    from fremdrift.plans.models import Plan
    from fremdrift_demo.bench.baseline import windows_compare

    as_of = _as_of()
    plans = list(Plan.objects.select_related("organisation").order_by("pk"))
    ours: list[float] = []
    ours_cpu: list[float] = []
    stored: list[float] = []
    stored_differences = 0
    theirs: list[float] = []
    theirs_peak = 0.0
    judged: dict[int, list[Any]] = {}
    windows: list[Any] = []
    points: dict[int, Any] = {}
    for _ in range(args["runs"]):
        wall, _cpu, (windows, points) = _timed(lambda: _baseline(as_of))  # type: ignore[misc]
        theirs.append(wall)
        theirs_peak = theirs_peak or peak_mb()
        wall, cpu, judged = _timed(lambda: _fremdrift(plans, as_of))  # type: ignore[assignment]
        ours.append(wall)
        ours_cpu.append(cpu)
        wall, _cpu, warm = _timed(lambda: _fremdrift(plans, as_of, live=False))
        stored.append(wall)
        stored_differences = sum(
            a != b
            for pk, items in judged.items()
            for a, b in zip(items, warm[pk], strict=True)  # type: ignore[index]
        )
    problems = windows_compare(windows, points, judged)
    counted = Counter(
        item.verdict.outcome.value for items in judged.values() for item in items
    )
    return {
        "plans": len(plans),
        "criteria": sum(len(items) for items in judged.values()),
        "windows": len(windows),
        "outcomes": dict(counted),
        "fremdrift_s": ours,
        "fremdrift_cpu_s": ours_cpu,
        "stored_s": stored,
        "stored_differences": stored_differences,
        "baseline_s": theirs,
        "baseline_peak_mb": theirs_peak,
        "peak_mb": peak_mb(),
        "differences": len(problems),
        "difference_examples": problems[:10],
        # A quarter of the plans (at least ten) is enough to see the split.
        "profile": _profile_verdicts(plans[: max(10, len(plans) // 4)], as_of)
        if args.get("profile")
        else None,
    }


def _profile_verdicts(plans: list[Any], as_of: datetime.date) -> dict[str, Any]:
    """Where fremdrift's time goes: every query timed (connection's
    execute_wrapper) and put down to the measure kind that ran it, or to
    the rest of the path; a cProfile of ten plans; and the baseline's time
    per query. Live: the stored measures are emptied first."""
    from django.core.cache import cache
    from django.db import connection

    import fremdrift.registrations.measures as measures

    cache.clear()
    from fremdrift_demo.bench import baseline

    per_kind: dict[str, dict[str, float]] = defaultdict(
        lambda: {"calls": 0, "seconds": 0.0, "queries": 0, "sql_s": 0.0}
    )
    current = ["(rest of the path)"]

    def timer(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            row = per_kind[current[0]]
            row["queries"] += 1
            row["sql_s"] += time.perf_counter() - began

    originals = dict(measures.MEASURES)

    def wrap(kind: Any, function: Callable[..., Any]) -> Callable[..., Any]:
        def measured(*a: Any) -> Any:
            current[0] = kind.value
            began = time.perf_counter()
            try:
                return function(*a)
            finally:
                row = per_kind[kind.value]
                row["calls"] += 1
                row["seconds"] += time.perf_counter() - began
                current[0] = "(rest of the path)"

        return measured

    for kind, function in originals.items():
        measures.MEASURES[kind] = wrap(kind, function)
    try:
        with connection.execute_wrapper(timer):
            began = time.perf_counter()
            _fremdrift(plans, as_of)
            total = time.perf_counter() - began
    finally:
        measures.MEASURES.update(originals)
    profile = cProfile.Profile()
    profile.enable()
    _fremdrift(plans[:5], as_of)
    profile.disable()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(30)
    query_s: dict[str, float] = {}
    windows = baseline.measure_windows(as_of=as_of)
    baseline._tables(windows)
    with connection.cursor() as cursor:
        for kind, sql in baseline.QUERIES.items():
            began = time.perf_counter()
            cursor.execute(sql, [kind.value] * sql.count("%s"))
            cursor.fetchall()
            query_s[kind.value] = time.perf_counter() - began
    return {
        "plans": len(plans),
        "total_s": total,
        "queries": sum(int(r["queries"]) for r in per_kind.values()),
        "sql_s": sum(r["sql_s"] for r in per_kind.values()),
        "by_kind": dict(per_kind),
        "baseline_query_s": query_s,
        "cprofile_5_plans": text.getvalue().splitlines()[:70],
    }


# -- reports ------------------------------------------------------------------


def largest_plan() -> Any:
    from django.db.models import Count

    from fremdrift.plans.models import Plan

    return (
        Plan.objects.select_related("organisation")
        .annotate(n=Count("participants"))
        .order_by("-n", "pk")
        .first()
    )


def step_report(args: dict[str, Any]) -> dict[str, Any]:
    from fremdrift.reports.assembly import report_build
    from fremdrift.reports.renderers import RENDERERS

    plan = largest_plan()
    fmt = args["format"]
    builds, renders, totals, sizes = [], [], [], []
    for _ in range(args["runs"]):
        began = time.perf_counter()
        document = report_build(plan=plan, kind="final", as_of=_as_of())
        built = time.perf_counter()
        data = RENDERERS[fmt](document)
        done = time.perf_counter()
        builds.append(built - began)
        renders.append(done - built)
        totals.append(done - began)
        sizes.append(len(data))
    return {
        "plan": plan.slug,
        "build_s": builds,
        "render_s": renders,
        "seconds": totals,
        "bytes": sizes[-1],
        "peak_mb": peak_mb(),
    }


# -- the web steps ------------------------------------------------------------


def step_prepare_http(args: dict[str, Any]) -> dict[str, Any]:
    """A staff user assigned to the largest plan's course activities, and
    empty sessions for the attendance posts, each with the enrolled
    participants to tick and the session's version (the hidden field the
    page would carry)."""
    import random

    from django.contrib.auth.models import User
    from django.db.models import Count

    from fremdrift.accounts.services import membership_grant
    from fremdrift.plans.models import Activity
    from fremdrift.registrations.models import Course, Enrolment, Session

    plan = largest_plan()
    activities = list(
        Activity.objects.filter(plan=plan, courses__isnull=False)
        .annotate(n=Count("courses"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .distinct()
    )
    staff = User.objects.filter(username=STAFF).first()
    if staff is None:
        staff = User.objects.create_user(username=STAFF, password=PASSWORD)
    membership_grant(user=staff, plan=plan, role="staff", activities=activities)
    courses = list(
        Course.objects.filter(activity__in=activities)
        .annotate(n=Count("enrolments"))
        .filter(n__gte=5)
        .order_by("pk")
    )
    enrolled: dict[int, list[int]] = defaultdict(list)
    for course_id, participant_id in Enrolment.objects.filter(
        course__in=courses
    ).values_list("course_id", "participant_id"):
        enrolled[course_id].append(participant_id)
    rng = random.Random(20261031)
    count = args["sessions"]
    day = _as_of()
    rows = [
        Session(
            activity_id=courses[n % len(courses)].activity_id,
            course=courses[n % len(courses)],
            date=day,
            duration_minutes=90,
            theme="Benchmark",
        )
        for n in range(count)
    ]
    created = Session.objects.bulk_create(rows, batch_size=2000)
    slugs = {a.pk: a.slug for a in activities}
    posts = []
    for session in created:
        people = enrolled[session.course_id]
        ticked = sorted(rng.sample(people, min(len(people), rng.randint(5, 10))))
        posts.append(
            [
                f"/registrering/{plan.slug}/{slugs[session.activity_id]}"
                f"/moedegange/{session.pk}/",
                session.pk,
                ticked,
                session.version,
            ]
        )
    busiest = activities[0]
    return {
        "plan": plan.slug,
        "username": STAFF,
        "password": PASSWORD,
        "dashboard": f"/planer/{plan.slug}/",
        "activity_page": f"/registrering/{plan.slug}/{busiest.slug}/",
        "posts": posts,
        "peak_mb": peak_mb(),
    }


def step_check_attendance(args: dict[str, Any]) -> dict[str, Any]:
    """The prepared sessions' attendance rows against what the 2xx
    answers said was saved."""
    from fremdrift.registrations.models import Attendance

    expected: dict[int, set[int]] = {
        int(k): set(v) for k, v in json.loads(Path(args["file"]).read_text()).items()
    }
    sessions = [int(pk) for pk in args["sessions"]]
    found: dict[int, set[int]] = defaultdict(set)
    for session_id, participant_id in Attendance.objects.filter(
        session_id__in=sessions
    ).values_list("session_id", "participant_id"):
        found[session_id].add(participant_id)
    lost = sum(len(v - found.get(k, set())) for k, v in expected.items())
    unexpected = sum(len(v - expected.get(k, set())) for k, v in found.items())
    return {
        "rows": sum(len(v) for v in found.values()),
        "expected_rows": sum(len(v) for v in expected.values()),
        "lost_rows": lost,
        "rows_without_2xx": unexpected,
        "sessions_2xx": len(expected),
        "sessions_with_rows": len(found),
    }


STEPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "generate": step_generate,
    "verdicts": step_verdicts,
    "report": step_report,
    "prepare_http": step_prepare_http,
    "check_attendance": step_check_attendance,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--args", default="{}")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fremdrift.settings")
    import django

    django.setup()
    result = STEPS[options.step](json.loads(options.args))
    print("RESULT " + json.dumps(result, default=str))


if __name__ == "__main__":
    main()

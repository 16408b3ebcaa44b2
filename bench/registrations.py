"""Benchmark: the registrations of one activity at scale (issue 4, "Speed").

Builds one activity of the fictional Eksempelby plan with 1,000 participants
in households, 60 courses with enrolments, 2,500 sessions, 50,000
attendance rows, questionnaires before and after, follow-ups and contacts
(all with bulk_create), then times

1. every measure kind over the whole plan period, with a role filter and
   without (target < 50 ms a call);
2. registering a 20-person session's attendance through the real view, as
   the phone's htmx form posts it and as a plain form post (target < 100 ms
   server time a request), with its number of SQL queries;
3. the process's peak memory (ru_maxrss).

Runs on SQLite (a temporary file) by default, and on PostgreSQL when
FREMDRIFT_DATABASE_URL is set: a throwaway database ``fremdrift_bench`` is
created next to the one named in the URL and dropped at the end, so that
database is never touched. Results are printed as a table and written as
JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "eksempelby-2025-29"
SLUG = "eksempelby-2025-29"
ACTIVITY = "lektiecafe"
BENCH_DATABASE = "fremdrift_bench"
SEED = 20250101

PARTICIPANTS = 1_000
PARENTS = 300  # one per household; the rest are children
COURSES = 60
SESSIONS = 2_500
PRESENT_PER_SESSION = 20  # 2,500 x 20 = 50,000 attendance rows
ENROLLED_PER_COURSE = 24  # 18 children and 6 parents
CONTACTS = 3_000
BENCH_ENROLLED = 40  # the course whose session is registered in step 2
BENCH_TICKED = 20

TARGET_MEASURE_MS = 50.0
TARGET_POST_MS = 100.0

sys.path.insert(0, str(ROOT / "src"))


# -- database ---------------------------------------------------------------


def _database(stack: ExitStack) -> str:
    """Point the settings at a throwaway database; return its kind."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "fremdrift.settings"
    url = os.environ.get("FREMDRIFT_DATABASE_URL", "").strip()
    if not url:
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        os.environ["FREMDRIFT_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        return "sqlite"

    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    stack.callback(drop)
    parts = urlsplit(url)
    os.environ["FREMDRIFT_DATABASE_URL"] = urlunsplit(
        parts._replace(path="/" + BENCH_DATABASE)
    )
    return "postgresql"


# -- data -------------------------------------------------------------------


def _code(prefix: str, n: int) -> str:
    from fremdrift.registrations.models import CODE_ALPHABET

    digits = []
    for _ in range(6):
        n, rest = divmod(n, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[rest])
    return prefix + "-" + "".join(reversed(digits))


def _build(activity, rng: random.Random) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The activity's registrations, written with bulk_create."""
    from django.db import transaction

    from fremdrift.registrations.models import (
        Answer,
        Attendance,
        Contact,
        Course,
        Enrolment,
        FollowUp,
        Household,
        Participant,
        Questionnaire,
        QuestionnaireItem,
        Response,
        Session,
    )

    plan = activity.plan
    areas = list(plan.areas.all())
    batch = 2_000
    with transaction.atomic():
        households = Household.objects.bulk_create(
            [
                Household(plan=plan, code=_code("H", i), area=rng.choice(areas))
                for i in range(PARENTS)
            ],
            batch_size=batch,
        )
        people = []
        for i in range(PARTICIPANTS):
            parent = i < PARENTS
            # Parents head a household each; 600 children share them (two
            # each), the last 100 children live alone.
            home = households[i % PARENTS] if i < 3 * PARENTS else None
            people.append(
                Participant(
                    plan=plan,
                    code=_code("D", i),
                    initials=f"P{i}",
                    birth_year=rng.randint(1970, 1995)
                    if parent
                    else rng.randint(2008, 2019),
                    sex=rng.choice("fmx"),
                    area=home.area if home else rng.choice(areas),
                    household=home,
                )
            )
        people = Participant.objects.bulk_create(people, batch_size=batch)
        parents, children = people[:PARENTS], people[PARENTS:]

        # 60 courses, 15 starting each year of the plan; 40 of them meet 42
        # times and 20 meet 41 times: 2,500 weekly sessions.
        courses, dates = [], []
        for c in range(COURSES):
            year = plan.start.year + c % 4
            start = date(year, 1, 6) + timedelta(days=3 * (c // 4))
            held = 42 if c < 40 else 41
            days = [start + timedelta(weeks=w) for w in range(held)]
            dates.append(days)
            courses.append(
                Course(
                    activity=activity,
                    name=f"Lektiehold {c + 1}",
                    start=start,
                    end=days[-1],
                    planned_sessions=held,
                    completion_rule=rng.choice(list(Course.CompletionRule)),
                    completion_value=25 if c % 2 else 30,
                )
            )
        bench_start = plan.start + timedelta(days=200)
        courses.append(
            Course(
                activity=activity,
                name="Åben lektiecafé",
                start=bench_start,
                end=bench_start + timedelta(days=90),
            )
        )
        courses = Course.objects.bulk_create(courses, batch_size=batch)
        bench_course = courses.pop()

        outcomes = [*Enrolment.Outcome, ""]
        weights = (70, 15, 5, 10)
        enrolments, members = [], []
        for course in courses:
            group = [(p, Enrolment.Role.CHILD) for p in rng.sample(children, 18)]
            group += [(p, Enrolment.Role.PARENT) for p in rng.sample(parents, 6)]
            members.append([p.pk for p, _role in group])
            for person, role in group:
                outcome = rng.choices(outcomes, weights)[0]
                goal_set = rng.random() < 0.6
                enrolments.append(
                    Enrolment(
                        course=course,
                        participant=person,
                        role=role,
                        start=course.start,
                        end=course.start + timedelta(days=rng.randint(20, 200))
                        if outcome == Enrolment.Outcome.DROPPED_OUT
                        else None,
                        outcome=outcome,
                        goal_set=goal_set,
                        goal_reached=rng.random() < 0.7 if goal_set else None,
                    )
                )
        bench_people = rng.sample(children, BENCH_ENROLLED)
        enrolments += [
            Enrolment(
                course=bench_course,
                participant=p,
                role=Enrolment.Role.CHILD,
                start=bench_start,
            )
            for p in bench_people
        ]
        enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=batch)

        sessions = Session.objects.bulk_create(
            [
                Session(activity=activity, course=course, date=day, duration_minutes=90)
                for course, days in zip(courses, dates, strict=True)
                for day in days
            ],
            batch_size=batch,
        )
        bench_session = Session.objects.create(
            activity=activity,
            course=bench_course,
            date=bench_start + timedelta(days=7),
        )
        ids_by_course = dict(zip((c.pk for c in courses), members, strict=True))
        attendance = [
            Attendance(session=session, participant_id=pk)
            for session in sessions
            for pk in rng.sample(ids_by_course[session.course_id], PRESENT_PER_SESSION)
        ]
        Attendance.objects.bulk_create(attendance, batch_size=batch)

        questionnaire = Questionnaire.objects.create(
            activity=activity, name="Lektier og skole"
        )
        items = QuestionnaireItem.objects.bulk_create(
            [
                QuestionnaireItem(
                    questionnaire=questionnaire,
                    text=f"Spørgsmål {n + 1}",
                    scale=scale,
                    purpose=purpose,
                    order=n,
                )
                for n, (scale, purpose) in enumerate(
                    [("likert5", "change")] * 3
                    + [("likert5", "satisfaction"), ("yes_no", "satisfaction")]
                )
            ]
        )
        change, satisfaction = items[:3], items[3:]
        course_of = {c.pk: c for c in courses}
        responses, planned = [], []
        for enrolment in enrolments[: len(courses) * ENROLLED_PER_COURSE]:
            course = course_of[enrolment.course_id]
            if rng.random() < 0.9:
                responses.append(
                    Response(
                        questionnaire=questionnaire,
                        enrolment=enrolment,
                        phase=Response.Phase.PRE,
                        date=course.start,
                    )
                )
                planned.append(change)
            if rng.random() < 0.75:
                responses.append(
                    Response(
                        questionnaire=questionnaire,
                        enrolment=enrolment,
                        phase=Response.Phase.POST,
                        date=course.end,
                    )
                )
                planned.append(change + satisfaction)
        responses = Response.objects.bulk_create(responses, batch_size=batch)
        answers = [
            Answer(
                response=response,
                item=item,
                value=rng.randint(0, 1)
                if item.scale == QuestionnaireItem.Scale.YES_NO
                else rng.randint(1, 5),
            )
            for response, asked in zip(responses, planned, strict=True)
            for item in asked
        ]
        Answer.objects.bulk_create(answers, batch_size=batch)

        follow_ups = [
            FollowUp(
                enrolment=enrolment,
                due=course_of[enrolment.course_id].end + timedelta(days=91),
                done=course_of[enrolment.course_id].end + timedelta(days=95)
                if rng.random() < 0.8
                else None,
                positive=rng.random() < 0.65,
            )
            for enrolment in enrolments
            if enrolment.outcome == Enrolment.Outcome.COMPLETED
        ]
        FollowUp.objects.bulk_create(follow_ups, batch_size=batch)

        span = (plan.end - plan.start).days
        contacts = []
        for _ in range(CONTACTS):
            named = rng.random() < 0.7
            contacts.append(
                Contact(
                    activity=activity,
                    date=plan.start + timedelta(days=rng.randint(0, span)),
                    kind=Contact.Kind.CONTACT if rng.random() < 0.8 else "bridge",
                    participant=rng.choice(people) if named else None,
                    anonymous_count=0 if named else rng.randint(1, 5),
                )
            )
        Contact.objects.bulk_create(contacts, batch_size=batch)

    return {
        "bench_session": bench_session,
        "bench_ids": [p.pk for p in bench_people],
        "counts": {
            "participants": len(people),
            "households": len(households),
            "courses": len(courses) + 1,
            "enrolments": len(enrolments),
            "sessions": len(sessions) + 1,
            "attendance": len(attendance),
            "responses": len(responses),
            "answers": len(answers),
            "follow_ups": len(follow_ups),
            "contacts": len(contacts),
        },
    }


# -- timing -----------------------------------------------------------------


def _timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[object]]:
    timings, results = [], []
    for _ in range(runs):
        start = time.perf_counter()
        results.append(call())
        timings.append(time.perf_counter() - start)
    return timings, results


def _row(step: str, timings: list[float], target_ms: float, **extra) -> dict:  # type: ignore[no-untyped-def]
    # The first run warms caches and query compilation; it is shown apart
    # from the steady state.
    steady = timings[1:] or timings
    median_ms = statistics.median(steady) * 1000
    return {
        "step": step,
        "first_ms": timings[0] * 1000,
        "median_ms": median_ms,
        "spread_ms": (max(steady) - min(steady)) * 1000 if len(steady) > 1 else 0.0,
        "timings_ms": [t * 1000 for t in timings],
        "target_ms": target_ms,
        "met": median_ms < target_ms,
        **extra,
    }


def _bench_measures(plan, activity, runs: int) -> list[dict]:  # type: ignore[no-untyped-def]
    from fremdrift.core.measures import MeasureFilter, MeasureKind
    from fremdrift.registrations.measures import measure

    rows = []
    for label, measure_filter in (
        ("", MeasureFilter()),
        (", role=child", MeasureFilter(role="child")),
    ):
        for kind in MeasureKind:
            timings, results = _timed(
                lambda kind=kind, f=measure_filter: measure(
                    kind, activity, plan.start, plan.end, f
                ),
                runs,
            )
            point = results[-1]
            rows.append(
                _row(
                    f"{kind.value}{label}",
                    timings,
                    TARGET_MEASURE_MS,
                    value=None if point.value is None else str(point.value),
                )
            )
    return rows


def _bench_post(activity, built: dict, runs: int, rng: random.Random) -> list[dict]:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fremdrift.accounts.services import membership_grant

    staff = User.objects.create_user(username="bench-staff")
    membership_grant(
        user=staff, plan=activity.plan, role="staff", activities=[activity]
    )
    client = Client()
    client.force_login(staff)
    session = built["bench_session"]
    url = reverse(
        "registrations:session",
        kwargs={"plan": SLUG, "activity": activity.slug, "session": session.pk},
    )
    enrolled: list[int] = built["bench_ids"]
    rows = []
    for step, headers, expected in (
        ("attendance POST, htmx (re-renders form)", {"HX-Request": "true"}, 200),
        ("attendance POST, plain form (redirect)", {}, 302),
    ):
        # Start from an empty session, so the first post ticks all 20.
        session.attendance.all().delete()
        present: set[int] = set()
        timings, queries, changes = [], [], []
        for _ in range(runs):
            ticked = sorted(rng.sample(enrolled, BENCH_TICKED))
            changes.append(
                {
                    "added": len(set(ticked) - present),
                    "removed": len(present - set(ticked)),
                }
            )
            # The version the page shows (its hidden field), read before the
            # clock starts: each save raises it.
            session.refresh_from_db(fields=["version"])
            form = {"present": ticked, "version": session.version}
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(url, form, headers=headers)
                timings.append(time.perf_counter() - start)
            if response.status_code != expected:
                raise SystemExit(f"{step}: status {response.status_code}")
            queries.append(len(captured.captured_queries))
            present = set(ticked)
        if set(session.attendance.values_list("participant_id", flat=True)) != present:
            raise SystemExit(f"{step}: attendance not saved")
        rows.append(
            _row(
                step,
                timings,
                TARGET_POST_MS,
                queries=max(queries),
                queries_per_run=queries,
                changes=changes,
            )
        )
    return rows


# -- main -------------------------------------------------------------------


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    runs = max(args.runs, 2)

    with ExitStack() as stack:
        database = _database(stack)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from fremdrift.planfiles.services import plan_load
        from fremdrift.plans.models import Activity, Plan

        began = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        plan_load(folder=PLAN)
        plan = Plan.objects.get(slug=SLUG)
        activity = Activity.objects.get(plan=plan, slug=ACTIVITY)
        rng = random.Random(SEED)
        built = _build(activity, rng)
        if database == "postgresql":
            # What autovacuum would have done by the time anyone asks.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        setup_s = time.perf_counter() - began

        rows = _bench_measures(plan, activity, runs)
        rows += _bench_post(activity, built, runs, rng)
        peak_mb = _peak_mb()
        machine = {
            "python": platform.python_version(),
            "django": django.get_version(),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
            "system": platform.platform(),
            "database": database,
            "database_version": connection.Database.sqlite_version
            if database == "sqlite"
            else connection.pg_version,
        }

    counts = built["counts"]
    print(
        f"Registrations of {ACTIVITY} ({counts['attendance']:,} attendance rows,"
        f" {counts['sessions']:,} sessions, {counts['participants']:,}"
        f" participants), {runs} runs, {database}; setup {setup_s:.0f} s"
    )
    header = ("step", "first ms", "median ms", "spread ms", "queries", "target")
    widths = (42, 10, 11, 11, 9, 9)
    print(
        "".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
        + "  met"
    )
    for row in rows:
        queries = row.get("queries", "")
        print(
            f"{row['step']:<42}{row['first_ms']:>10.1f}{row['median_ms']:>11.1f}"
            f"{row['spread_ms']:>11.1f}{queries:>9}{row['target_ms']:>7.0f}ms"
            f"  {'yes' if row['met'] else 'NO'}"
        )
    print(f"{'peak memory (ru_maxrss)':<42}{peak_mb:>21.0f} MB")

    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results / f"registrations-{database}-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "machine": machine,
                "runs": runs,
                "data": counts,
                "setup_s": setup_s,
                "peak_mb": peak_mb,
                "rows": rows,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

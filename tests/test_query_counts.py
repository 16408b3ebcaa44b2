"""No N+1 anywhere (issue 8, item 3): every list and detail page, every
API read and every kind of report takes a number of SQL queries that does
not grow with the data.

The same world is built at size 1 and at size 3: a fictional plan of the
benchmark generator (every kind of activity, with three times the
activities, criteria, areas, participants and attendance, and more
indicators and years of statistics), plus goals, effort areas, a homework
café with courses, sessions, enrolments, follow-ups, questionnaire
answers, commentary and evidence, issued reports, statistics imports and
access-log entries, each times the size, and as many other plans as the
size in which everyone has a role. Each page is opened once to fill
Django's caches and the stored measures (base/freshness.py), then again
with its queries counted: at size 3 they may not be more than at size 1,
and at most the page's bound in ``PAGES``, so that a change that adds
queries fails too even when it does not grow with the data. (The first
read after a change of the plan's data computes the measured criteria,
which takes a few queries per measured criterion; that is what the stored
measures are for.)

Both worlds are built and measured once, in a module fixture, each in a
transaction rolled back at the end; each page's test reads its counts.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fremdrift.accounts.services import membership_grant
from fremdrift.audit.models import AccessLogEntry, AccessLogReview
from fremdrift.audit.services import access_log
from fremdrift.core.measures import MeasureKind
from fremdrift.core.periods import parse_period
from fremdrift.core.snapshot import fingerprint
from fremdrift.evidence.models import Evidence
from fremdrift.evidence.services import evidence_attach
from fremdrift.plans.models import (
    Activity,
    Commentary,
    Criterion,
    Decision,
    EffortArea,
    Goal,
    Organisation,
    Plan,
)
from fremdrift.registrations.measures import activity_ids, measure, period_counts
from fremdrift.registrations.models import (
    Answer,
    Attendance,
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
from fremdrift.reports.models import IssuedReport
from fremdrift.reports.renderers import CONTENT_TYPES
from fremdrift.reports.services import plan_snapshot
from fremdrift.statistics.models import ImportBatch, Observation
from fremdrift.statistics.services import observations_import
from fremdrift_demo.bench.plans import PlanGenerator, PlanOutline
from fremdrift_demo.bench.scales import UNTIL
from fremdrift_demo.bench.writer import BulkWriter

from .accounts.verified import log_in_verified
from .api.world import token_for
from .areastatus.figures import bind_law_figures
from .registrations import personas

# The test databases are set up only for tests marked so; each page's test
# reads what the module fixture measured.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIZES = (1, 3)
# The clock stands still while pages are counted: a session's last activity
# is written at most once a minute (accounts/middleware.py), which would add
# queries to whichever request comes a minute after the one before.
NOW = datetime.datetime(2026, 11, 16, 11, 0, tzinfo=datetime.UTC)
PLAN_START = datetime.date(2024, 1, 1)
PLAN_END = datetime.date(2027, 12, 31)
# Annual and progress reports are of a year and a tertial with
# registrations (the generator registers up to UNTIL).
REPORT_YEAR = 2025
PROGRESS = (2026, 2)


# -------------------------------------------------------------------- world


@dataclass
class Probe:
    """The activity whose staff pages are opened, and the rows of it that
    its detail pages show."""

    activity: Activity
    course: Course
    session: Session
    participant: Participant
    enrolment: Enrolment
    evidence: Evidence
    questionnaire: Questionnaire


@dataclass
class World:
    """The rows the pages are opened on, at size ``k``, and the people who
    open them with their API tokens."""

    k: int
    plan: Plan
    probe: Probe
    issued: IssuedReport
    batch: ImportBatch
    indicator: str
    users: dict[str, User]
    tokens: dict[str, str] = field(default_factory=dict)


def _person(username: str) -> User:
    return User.objects.create(username=username)


def _generated_plan(k: int) -> Plan:
    """A plan of the benchmark generator: every archetype of activity (13
    activities include each once, the homework café with two
    sub-activities), with its criteria, indicators and registrations."""
    writer = BulkWriter()
    outline = PlanOutline(
        number=900 + k,
        town="Tælleby",
        start=PLAN_START,
        end=PLAN_END,
        areas=2 * k,
        activities=13 * k,
        participants=60 * k,
        attendance=600 * k,
    )
    PlanGenerator(
        outline,
        random.Random(f"fremdrift-queries:{k}"),
        writer,
        # Each indicator's statistics take long to compute, not many
        # queries: a few more of them, over more areas and years.
        indicators=3 + k,
        years=2 + k,
        until=UNTIL,
    ).run()
    writer.finish()
    return Plan.objects.select_related("organisation").get(slug=outline.slug)


def _goals_and_effort_areas(plan: Plan, k: int) -> list[EffortArea]:
    """``k`` more goals (each following an indicator, with a criterion) and
    ``k`` more effort areas (each with a criterion and an activity)."""
    indicators = list(plan.indicators.order_by("order"))
    for n in range(k):
        goal = Goal.objects.create(
            plan=plan, slug=f"ekstra-maal-{n}", name=f"Ekstra mål {n}", order=50 + n
        )
        goal.indicators.add(indicators[n % len(indicators)])
        Criterion.objects.create(
            plan=plan,
            goal=goal,
            ident=f"ekstra-maal-{n}",
            text="Samarbejdet er styrket",
            kind="qualitative",
            unit="count",
            recorded_verdict="achieved",
            order=500 + n,
        )
    areas = []
    for n in range(k):
        area = EffortArea.objects.create(
            plan=plan,
            slug=f"ekstra-indsats-{n}",
            name=f"Ekstra indsats {n}",
            order=50 + n,
        )
        areas.append(area)
        Criterion.objects.create(
            plan=plan,
            effort_area=area,
            ident=f"ekstra-indsats-{n}",
            text="Beboerne er inddraget",
            kind="qualitative",
            unit="count",
            recorded_verdict="partly_achieved",
            order=600 + n,
        )
        activity = Activity.objects.create(
            plan=plan,
            effort_area=area,
            slug=f"ekstra-{n}",
            name=f"Ekstra {n}",
            order=50 + n,
        )
        Decision.objects.create(activity=activity, text="Fortsætter")
        Criterion.objects.create(
            plan=plan,
            activity=activity,
            ident=f"ekstra-{n}-moedegange",
            text="Mindst 10 mødegange",
            kind="at_least",
            unit="count",
            target={"number": "10"},
            measure={"kind": "sessions_held"},
            own_defined=True,
            order=700 + n,
        )
    return areas


# The probe's criteria, counted from its registrations; the API reads the
# first one.
CRITERION = "taellecafe-boern"
MEASURES = (
    ("boern", "at_least", "count", {"number": "20"}, {"kind": "unique_participants", "role": "child"}),
    ("moedegange", "at_least", "count", {"number": "20"}, {"kind": "sessions_held"}),
    ("gennemfoert", "share_at_least", "percent", {"number": "70"}, {"kind": "completion_rate"}),
    ("forandring", "share_at_least", "percent", {"number": "60"}, {"kind": "improved_share"}),
    ("fastholdt", "share_at_least", "percent", {"number": "60"}, {"kind": "follow_up_rate"}),
)  # fmt: skip


def _probe(plan: Plan, area: EffortArea, k: int) -> Probe:
    """A homework café with ``k`` times the courses, sessions of each,
    participants, attendance, and of its first child's enrolment the
    follow-ups and questionnaire answers, commentary and evidence; a
    running course holds every child."""
    probe = Activity.objects.create(
        plan=plan, effort_area=area, slug="taellecafe", name="Tællecafé", order=40
    )
    Activity.objects.create(
        plan=plan,
        effort_area=area,
        parent=probe,
        slug="taellecafe-sommer",
        name="Tællecafé om sommeren",
    )
    for n, (key, kind, unit, target, spec) in enumerate(MEASURES):
        Criterion.objects.create(
            plan=plan,
            activity=probe,
            ident=f"taellecafe-{key}",
            text=f"Tællecafé: {key}",
            kind=kind,
            unit=unit,
            target=target,
            measure=spec,
            own_defined=True,
            order=800 + n,
        )
    area_row = plan.areas.order_by("order").first()
    households = [
        Household.objects.create(plan=plan, code=f"HT{k}{n:03d}", area=area_row)
        for n in range(3 * k)
    ]
    children = Participant.objects.bulk_create(
        [
            Participant(
                plan=plan,
                code=f"DT{k}{n:04d}",
                initials=f"T{n}",
                birth_year=2014 + n % 4,
                sex="f" if n % 2 else "m",
                area=area_row,
                household=households[n % len(households)],
            )
            for n in range(12 * k)
        ]
    )
    today = timezone.localdate()
    courses = [
        Course.objects.create(
            activity=probe,
            name=f"Tællehold {n + 1}",
            start=datetime.date(2025, 1, 6) + datetime.timedelta(weeks=10 * n),
            end=datetime.date(2025, 1, 6) + datetime.timedelta(weeks=10 * n + 9),
        )
        for n in range(2 * k)
    ]
    running = Course.objects.create(
        activity=probe,
        name="Tællehold nu",
        start=today - datetime.timedelta(days=70),
        end=today + datetime.timedelta(days=70),
    )
    courses.append(running)
    sessions: dict[int, list[Session]] = {}
    for course in courses:
        sessions[course.pk] = Session.objects.bulk_create(
            [
                Session(
                    activity=probe,
                    course=course,
                    date=course.start + datetime.timedelta(weeks=n),
                    duration_minutes=90,
                )
                for n in range(4 * k)
            ]
        )
    enrolments = []
    for course in courses:
        people = children if course is running else children[: 4 + k]
        enrolments += Enrolment.objects.bulk_create(
            [
                Enrolment(
                    course=course,
                    participant=p,
                    role="child",
                    start=course.start,
                    goal_set=True,
                    goal_reached=bool(n % 2),
                )
                for n, p in enumerate(people)
            ]
        )
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, participant=e.participant)
            for e in enrolments
            for s in sessions[e.course_id]
        ]
    )
    enrolment = next(
        e
        for e in enrolments
        if e.course_id == running.pk and e.participant == children[0]
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                enrolment=enrolment,
                due=running.start + datetime.timedelta(days=30 * (n + 1)),
                done=running.start + datetime.timedelta(days=30 * (n + 1)),
                positive=bool(n % 2),
            )
            for n in range(2 * k)
        ]
    )
    questionnaires = []
    for n in range(k):
        questionnaire = Questionnaire.objects.create(activity=probe, name=f"Skema {n}")
        questionnaires.append(questionnaire)
        items = QuestionnaireItem.objects.bulk_create(
            [
                QuestionnaireItem(
                    questionnaire=questionnaire,
                    text=f"Spørgsmål {i}",
                    scale="likert5",
                    purpose="change" if i else "satisfaction",
                    order=i,
                )
                for i in range(3)
            ]
        )
        for phase, value in (("pre", 2), ("post", 4)):
            response = Response.objects.create(
                questionnaire=questionnaire,
                enrolment=enrolment,
                phase=phase,
                date=running.start if phase == "pre" else today,
            )
            Answer.objects.bulk_create(
                [Answer(response=response, item=i, value=value) for i in items]
            )
    Commentary.objects.bulk_create(
        [
            Commentary(
                plan=probe.plan,
                activity=probe,
                period=f"{year}T{tertial}",
                text="Flere kom efter ferien.",
                author="alice",
            )
            for year in range(2024, 2024 + k)
            for tertial in (1, 2, 3)
        ]
    )
    criterion = Criterion.objects.get(plan=plan, ident=CRITERION)
    evidence = [
        evidence_attach(
            plan=plan,
            data=f"%PDF-1.4 {k} {n}".encode(),
            description=f"Plakat {n}",
            consent="document",
            uploaded_by="alice",
            activity=probe,
            session=sessions[running.pk][n % (4 * k)],
            criterion=criterion if n % 2 else None,
        )
        for n in range(2 * k)
    ]
    return Probe(
        activity=probe,
        course=running,
        session=sessions[running.pk][0],
        participant=children[0],
        enrolment=enrolment,
        evidence=evidence[0],
        questionnaire=questionnaires[0],
    )


def _other_plans(k: int, people: dict[str, User]) -> None:
    """``k`` small plans more, in each of which everyone has their role."""
    for n in range(k):
        plan = Plan.objects.create(
            organisation=Organisation.objects.create(name=f"Andetsteds {k}-{n}"),
            slug=f"andetsteds-{k}-{n}",
            name=f"Andetsteds {n} (fiktiv)",
            start=PLAN_START,
            end=PLAN_END,
        )
        area = EffortArea.objects.create(plan=plan, slug="boern", name="Børn")
        activity = Activity.objects.create(
            plan=plan, effort_area=area, slug="cafe", name="Café"
        )
        _roles(plan, people, [activity])


def _roles(plan: Plan, people: dict[str, User], activities: list[Activity]) -> None:
    membership_grant(
        user=people["alice"], plan=plan, role="staff", activities=activities
    )
    for role in ("coordinator", "plan_admin", "auditor", "board"):
        membership_grant(user=people[role], plan=plan, role=role)


def _access_log(plan: Plan, k: int, people: dict[str, User], probe: Probe) -> None:
    """``k`` x 1,500 entries about the plan's participants, ``k`` x 100 of
    them about the probe's first child, and reviews of some."""
    participants = list(plan.participants.order_by("pk"))
    alice = people["alice"]
    for n in range(15 * k):
        access_log(
            user=alice,
            plan=plan,
            action="view",
            participants=participants[(n * 100) % len(participants) :][:100],
            object_type="participant",
            purpose="activity",
        )
        access_log(
            user=alice,
            plan=plan,
            action="view",
            participants=[probe.participant] * 6,
            object_type="enrolment",
            purpose="activity",
        )
    auditor = people["auditor"]
    AccessLogReview.objects.bulk_create(
        [
            AccessLogReview(
                entry=entry,
                reviewer=auditor,
                reviewer_name=auditor.username,
                outcome="ok",
            )
            for entry in AccessLogEntry.objects.filter(plan=plan).order_by("pk")[
                : 300 * k : 3
            ]
        ]
    )


def _imports(plan: Plan, k: int, folder: Path, user: User) -> ImportBatch:
    """``k`` imports of the tidy template, each changing every value of the
    indicators that are not sums (whose totals must stay the sums of their
    parts)."""
    rows = list(
        Observation.objects.filter(
            indicator__plan=plan, indicator__additive=False, value__isnull=False
        )
        .select_related("indicator", "population")
        .order_by("pk")
    )
    first = None
    for n in range(k):
        path = folder / f"import-{k}-{n}.csv"
        lines = ["indicator,population,period,value"]
        lines += [
            f"{o.indicator.slug},{o.population.slug},{o.period},{o.value + n + 1}"
            for o in rows
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = observations_import(plan=plan, path=path, user=user)
        assert result.ok and result.batch is not None, result.problems
        first = first or result.batch
    assert first is not None
    return first


def _issued_reports(plan: Plan, k: int) -> IssuedReport:
    """``k`` issued annual reports with the snapshot of their numbers (the
    content itself is not compared, so it is not rendered)."""
    as_of = datetime.date(REPORT_YEAR, 12, 31)
    snapshot = plan_snapshot(plan=plan, as_of=as_of)
    reports = IssuedReport.objects.bulk_create(
        [
            IssuedReport(
                plan=plan,
                kind="annual",
                year=REPORT_YEAR,
                audience="board",
                as_of=as_of,
                format="html",
                title=f"Årsrapport {REPORT_YEAR}",
                recipient=f"Bestyrelsen {n}",
                issued_by="coordinator",
                filename=f"aarsrapport-{n}.html",
                content=b"<!doctype html><title>Aarsrapport</title>",
                content_sha256="0" * 64,
                data_fingerprint=fingerprint(snapshot),
                snapshot=snapshot,
            )
            for n in range(k)
        ]
    )
    return reports[0]


def _law_figures(plan: Plan, k: int) -> None:
    """The law's figures for the plan's areas and for each of the other
    plans' one area (so that the cross-plan view reads ``k`` + 1 plans'
    figures), a parallelsamfund, a forebyggelsesområde and areas without
    a status in turn."""
    kinds = [
        {"non_western": "60", "without_attachment": "45", "basic_schooling": "65"},
        {"non_western": "40", "without_attachment": "35", "convicted": "0.62"},
        {"non_western": "20", "without_attachment": "20"},
    ]

    def figures(n: int) -> dict[str, str]:
        return {
            "residents": str(1100 + 100 * n),
            "convicted": "0.1",
            "basic_schooling": "30",
            "income": "150000",
            "population_18_64": "700",
            "population_18_plus": "900",
            "population_30_59": "500",
            **kinds[n % len(kinds)],
        }

    areas = plan.populations.filter(kind="area").order_by("order", "pk")
    bind_law_figures(plan, {a.slug: figures(n) for n, a in enumerate(areas)})
    for n in range(k):
        other = Plan.objects.get(slug=f"andetsteds-{k}-{n}")
        bind_law_figures(other, {f"lovomraade-{n}": figures(n + 1)})


def world_build(k: int, folder: Path) -> World:
    plan = _generated_plan(k)
    people = {
        name: _person(name)
        for name in ("alice", "coordinator", "plan_admin", "auditor", "board")
    }
    areas = _goals_and_effort_areas(plan, k)
    probe = _probe(plan, areas[0], k)
    _roles(plan, people, list(plan.activities.filter(parent=None)))
    _other_plans(k, people)
    _law_figures(plan, k)
    _access_log(plan, k, people, probe)
    world = World(
        k=k,
        plan=plan,
        probe=probe,
        issued=_issued_reports(plan, k),
        batch=_imports(plan, k, folder, people["coordinator"]),
        indicator=plan.indicators.order_by("order").values_list("slug", flat=True)[0],
        users=people,
    )
    world.tokens = {name: token_for(user) for name, user in people.items()}
    return world


# -------------------------------------------------------------------- pages


Address = Callable[[World], str]


@dataclass(frozen=True)
class Page:
    """A page opened by ``who`` (a key of ``World.users``; None: nobody
    logged in) at ``address(world)``, in at most ``bound`` queries. It is
    first opened once at ``warm`` (default: the same address) to fill
    Django's caches and the stored measures."""

    name: str
    who: str | None
    address: Address
    bound: int
    warm: Address | None = None
    api: bool = False
    # Text the page shows at every size: the rows whose queries are counted
    # are really on it.
    shows: Callable[[World], str] | None = None


def _web(name: str, *args: Callable[[World], object], query: str = "") -> Address:
    def address(w: World) -> str:
        return reverse(name, args=[a(w) for a in args]) + query

    return address


def _plan(w: World) -> str:
    return w.plan.slug


def _staff(name: str, *args: Callable[[World], object], query: str = "") -> Address:
    def address(w: World) -> str:
        path = reverse(
            f"registrations:{name}",
            args=[w.plan.slug, w.probe.activity.slug, *[a(w) for a in args]],
        )
        return path + query

    return address


def _api(path: str) -> Address:
    def address(w: World) -> str:
        return "/api/v1" + path.format(
            plan=w.plan.slug,
            activity=w.probe.activity.slug,
            session=w.probe.session.pk,
            criterion=CRITERION,
            indicator=w.indicator,
        )

    return address


def _report_query(kind: str, fmt: str) -> str:
    """The plan page's report form, filled in."""
    query = f"kind={kind}&format={fmt}&audience=board&lang=da"
    if kind == "annual":
        query += f"&year={REPORT_YEAR}"
    if kind == "progress":
        query += f"&year={PROGRESS[0]}&tertial={PROGRESS[1]}"
    return query


def _download(kind: str, fmt: str) -> Address:
    def address(w: World) -> str:
        path = reverse("web:report-download", args=[w.plan.slug])
        return path + "?" + _report_query(kind, fmt)

    return address


def _cross_plan_indicator(w: World) -> str:
    areas = w.plan.populations.filter(kind="area").values_list("pk", flat=True)
    query = "&".join([f"indikator={w.indicator}", *(f"omraade={pk}" for pk in areas)])
    return reverse("web:cross-plan") + "?" + query


REPORT_KINDS = ("final", "annual", "progress")
# Made in the request (a small plan's DOCX and XLSX); PDFs are made by the
# task workers and their requests are counted below.
FORMATS = ("html", "docx", "xlsx")


def _code(w: World) -> str:
    return w.probe.participant.code


# Each bound is the page's count when this was written, and 2 more.
PAGES: tuple[Page, ...] = (
    # The public pages and the plan team's reports (web/urls.py).
    Page("plan-list", None, _web("web:plan-list"), 3, shows=lambda w: w.plan.name),
    Page(
        "plan-list-member",
        "coordinator",
        _web("web:plan-list"),
        7,
        shows=lambda w: "Andetsteds 0",
    ),
    # The cross-plan view's pages include the law's statuses across the
    # plans (four queries: cross-plan-area-status).
    Page(
        "cross-plan",
        "coordinator",
        _web("web:cross-plan"),
        13,
        shows=lambda w: "Andetsteds 0",
    ),
    # The law's statuses across the plans: every plan's figures in four
    # queries, whatever the number of plans and areas.
    Page(
        "cross-plan-area-status",
        "coordinator",
        _web("web:cross-plan"),
        13,
        shows=lambda w: "Lovomraade-0",
    ),
    Page(
        "cross-plan-indicator",
        "coordinator",
        _cross_plan_indicator,
        19,
        shows=lambda w: str(NOW.year - 1),
    ),
    # The plan page asks whether the reader issues reports and writes the
    # plan's commentary, and compares the issued reports with today's
    # numbers once per day they were judged as of, however many there are;
    # a board or public report under its discretion, which also reads the
    # indicators that count persons and the populations' parts (and, for a
    # snapshot stored with exact numbers, today's judged criteria). The team
    # is asked whether it may edit the plan (the plan folder), and its
    # editors whether they set what the plan asks at login.
    Page(
        "plan-detail",
        "coordinator",
        _web("web:plan-detail", _plan),
        16,
        shows=lambda w: "Ekstra 0",
    ),
    Page(
        "plan-detail-board",
        "board",
        _web("web:plan-detail", _plan),
        16,
        shows=lambda w: "Ekstra 0",
    ),
    Page(
        "plan-detail-public",
        None,
        _web("web:plan-detail", _plan),
        7,
        shows=lambda w: "Ekstra 0",
    ),
    Page(
        "activity-detail",
        "coordinator",
        _web("web:activity-detail", _plan, lambda w: w.probe.activity.slug),
        8,
        shows=lambda w: "Tællecafé om sommeren",
    ),
    Page(
        "plan-report",
        "coordinator",
        _web("web:plan-report", _plan),
        7,
        # The same stored report as the plan page: it is not rendered twice.
        warm=_web("web:plan-detail", _plan),
        shows=lambda w: "Ekstra 0",
    ),
    Page(
        "issued-report",
        "coordinator",
        _web("web:issued-report", _plan, lambda w: w.issued.pk),
        # A board report's numbers are compared under its discretion, which
        # reads the plan's totals and their parts (one query); what changed
        # is named by its criterion's, indicator's and population's names
        # (one query each).
        14,
        shows=lambda w: "Bestyrelsen 0",
    ),
    Page(
        "issued-report-file",
        "coordinator",
        _web("web:issued-report-file", _plan, lambda w: w.issued.pk),
        8,
        shows=lambda w: "Aarsrapport",
    ),
    # Each kind of report in the quickest format to render: a report costs
    # the same queries in every format
    # (test_every_format_of_a_report_takes_the_same_queries).
    # The team's commentary on the plan and on the effort areas: one query
    # each. The annual and final reports ask which of the plan's
    # indicators give the law's figures (one query; a plan with none asks
    # nothing more for its areas' status under the law); the counted plan
    # has them (_law_figures), so its areas' status is read too, in a
    # fixed number of queries whatever its areas and years.
    Page("report-final", "coordinator", _download("final", "xlsx"), 34),
    Page("report-annual", "coordinator", _download("annual", "xlsx"), 35),
    # The progress report also counts outreach contacts, bridge-buildings
    # and head counts (one grouped query), and an XLSX download asks whether
    # the plan is large enough for the task queue (one count).
    Page("report-progress", "coordinator", _download("progress", "xlsx"), 34),
    # The staff app (registrations/urls.py).
    Page(
        "staff-home",
        "alice",
        _web("registrations:home"),
        9,
        shows=lambda w: "Ekstra 0",
    ),
    Page(
        "staff-activity",
        "alice",
        _staff("activity"),
        11,
        shows=lambda w: "Tællehold nu",
    ),
    Page(
        "staff-course",
        "alice",
        _staff("course", lambda w: w.probe.course.pk),
        13,
        shows=_code,
    ),
    Page(
        "staff-session",
        "alice",
        _staff("session", lambda w: w.probe.session.pk),
        14,
        shows=_code,
    ),
    Page("staff-participants", "alice", _staff("participants"), 13, shows=_code),
    Page(
        "staff-participant-search",
        "alice",
        # Every child of the probe, and anyone else with the letters.
        _staff("participants", query="?q=DT&formaal=enrol"),
        16,
        shows=_code,
    ),
    Page(
        "staff-participant-add",
        "alice",
        _staff("participant-add"),
        9,
        shows=lambda w: "Tællehold nu",
    ),
    Page(
        "staff-participant",
        "alice",
        _staff("participant", lambda w: w.probe.participant.pk),
        17,
        shows=lambda w: "Tællehold 2",
    ),
    Page(
        "staff-enrolment",
        "alice",
        _staff("enrolment", lambda w: w.probe.enrolment.pk),
        14,
        shows=lambda w: "Skema 0",
    ),
    Page(
        "staff-response",
        "alice",
        _staff(
            "response-add",
            lambda w: w.probe.enrolment.pk,
            lambda w: w.probe.questionnaire.pk,
        ),
        13,
        shows=lambda w: "Spørgsmål 2",
    ),
    Page(
        "staff-commentary",
        "alice",
        _staff("commentary"),
        8,
        shows=lambda w: "Flere kom efter ferien.",
    ),
    Page(
        "staff-evidence",
        "alice",
        _staff("evidence"),
        10,
        shows=lambda w: "Plakat 1",
    ),
    Page(
        "staff-evidence-file",
        "alice",
        _staff("evidence-file", lambda w: w.probe.evidence.pk),
        11,
        shows=lambda w: "%PDF-1.4",
    ),
    Page("staff-open-session-add", "alice", _staff("open-session-add"), 7),
    Page(
        "staff-import-template",
        "alice",
        _web("registrations:import-template", _plan),
        9,
    ),
    # Statistics imports (statistics/urls.py).
    Page(
        "import-list",
        "coordinator",
        _web("statistics:import-list", _plan),
        9,
        shows=lambda w: f"import-{w.k}-{w.k - 1}.csv",
    ),
    Page(
        "import-detail",
        "coordinator",
        _web("statistics:import-detail", _plan, lambda w: w.batch.pk),
        10,
        shows=lambda w: "beskaeftigelse-18-64",
    ),
    # The access log (audit/urls.py).
    Page("access-log", "auditor", _web("audit:log", _plan), 14, shows=_code),
    Page(
        "access-log-filtered",
        "auditor",
        lambda w: (
            reverse("audit:log", args=[w.plan.slug]) + f"?bruger=alice&kode={_code(w)}"
        ),
        16,
        shows=_code,
    ),
    Page(
        "access-log-csv",
        "auditor",
        _web("audit:log-export", _plan),
        13,
        shows=_code,
    ),
    Page(
        "access-log-extract",
        "auditor",
        lambda w: (
            reverse("audit:extract", args=[w.plan.slug])
            + f"?kode={_code(w)}&formaal=access_request"
        ),
        15,
        shows=lambda w: "alice",
    ),
    Page(
        "access-log-extract-csv",
        "auditor",
        lambda w: (
            reverse("audit:extract", args=[w.plan.slug])
            + f"?kode={_code(w)}&formaal=access_request&format=csv"
        ),
        14,
        shows=lambda w: "Arbejdet i aktiviteten",
    ),
    Page(
        "access-log-spot-check",
        "plan_admin",
        _web("audit:spot-check", _plan, query="?antal=20&udtraek=42"),
        14,
        shows=lambda w: "auditor",
    ),
    # The API's reads (api/).
    Page(
        "api-me",
        "coordinator",
        _api("/me"),
        7,
        api=True,
        shows=lambda w: "andetsteds-",
    ),
    Page(
        "api-plans",
        "coordinator",
        _api("/plans"),
        10,
        api=True,
        shows=lambda w: "andetsteds-",
    ),
    Page(
        "api-plan",
        "coordinator",
        _api("/plans/{plan}"),
        13,
        api=True,
        shows=lambda w: "taellecafe-sommer",
    ),
    Page(
        "api-criteria",
        "coordinator",
        _api("/plans/{plan}/criteria"),
        10,
        api=True,
        shows=lambda w: "maal-01-",
    ),
    Page(
        "api-criteria-board",
        "board",
        _api("/plans/{plan}/criteria"),
        9,
        api=True,
        shows=lambda w: "maal-01-",
    ),
    Page(
        "api-criterion",
        "coordinator",
        _api("/plans/{plan}/criteria/{criterion}"),
        9,
        api=True,
        shows=lambda w: CRITERION,
    ),
    Page(
        "api-indicators",
        "coordinator",
        _api("/plans/{plan}/indicators"),
        10,
        api=True,
        shows=lambda w: w.indicator,
    ),
    Page(
        "api-indicator",
        "coordinator",
        _api("/plans/{plan}/indicators/{indicator}"),
        9,
        api=True,
        shows=lambda w: w.indicator,
    ),
    # Every area's lists and outlook from the plan's figures (four
    # queries), at the reader's audience.
    Page(
        "api-area-status",
        "coordinator",
        _api("/plans/{plan}/area-status"),
        13,
        api=True,
        shows=lambda w: "likely_status",
    ),
    Page(
        "api-area-status-board",
        "board",
        _api("/plans/{plan}/area-status"),
        12,
        api=True,
        shows=lambda w: "likely_status",
    ),
    Page(
        "api-observations",
        "coordinator",
        _api("/plans/{plan}/observations"),
        11,
        api=True,
        shows=lambda w: w.indicator,
    ),
    Page(
        "api-observations-board",
        "board",
        _api("/plans/{plan}/observations"),
        15,
        api=True,
        shows=lambda w: w.indicator,
    ),
    Page(
        "api-courses",
        "alice",
        _api("/plans/{plan}/activities/{activity}/courses"),
        11,
        api=True,
        shows=lambda w: "hold nu",
    ),
    Page(
        "api-sessions",
        "alice",
        _api("/plans/{plan}/activities/{activity}/sessions"),
        11,
        api=True,
        shows=lambda w: '"present"',
    ),
    Page(
        "api-session",
        "alice",
        _api("/plans/{plan}/activities/{activity}/sessions/{session}"),
        10,
        api=True,
        shows=lambda w: f'"id": {w.probe.session.pk}',
    ),
    Page(
        "api-attendance",
        "alice",
        _api("/plans/{plan}/activities/{activity}/sessions/{session}/attendance"),
        17,
        api=True,
        shows=_code,
    ),
)


# -------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Measured:
    """A page's queries and status, or the error it raised."""

    queries: int = -1
    status: int = 0
    error: str = ""


# Administrators and coordinators reach nothing before a one-time code.
VERIFIED = frozenset({"coordinator", "plan_admin"})


def _clients(world: World) -> dict[str | None, Client]:
    clients: dict[str | None, Client] = {None: Client()}
    for name, user in world.users.items():
        client = Client()
        if name in VERIFIED:
            log_in_verified(client, user)
        else:
            client.force_login(user)
        clients[name] = client
    return clients


def _get(client: Client, address: str, headers: dict[str, str]) -> tuple[int, str]:
    """The status and the body (read in full, also when streamed)."""
    response = client.get(address, headers=headers)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response.status_code, body.decode(errors="replace")


def _measure(page: Page, world: World, clients: dict[str | None, Client]) -> Measured:
    client = clients[page.who]
    headers = (
        {"Authorization": f"Bearer {world.tokens[page.who]}"}
        if page.api and page.who
        else {}
    )
    try:
        _get(client, (page.warm or page.address)(world), headers)
        with CaptureQueriesContext(connection) as captured:
            status, body = _get(client, page.address(world), headers)
        if page.shows is not None and page.shows(world) not in body:
            return Measured(error=f"{page.shows(world)!r} is not on the page")
    except Exception as error:  # the page's own test reports it
        return Measured(error=repr(error))
    return Measured(queries=len(captured), status=status)


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Each page's count at each size: {size: {page name: Measured}}."""
    results: dict[int, dict[str, Measured]] = {}
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        time_machine.travel(NOW, tick=False),
    ):
        for k in SIZES:
            # Each world starts without stored measures, whatever the tests
            # before left in the cache.
            cache.clear()
            with transaction.atomic():
                world = world_build(k, media)
                clients = _clients(world)
                results[k] = {
                    page.name: _measure(page, world, clients) for page in PAGES
                }
                transaction.set_rollback(True)
    return results


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_queries_do_not_grow_with_the_data(page: Page, measured) -> None:  # type: ignore[no-untyped-def]
    small, large = (measured[k][page.name] for k in SIZES)
    print(f"{page.name}: {small.queries} -> {large.queries} queries")
    for size, m in zip(SIZES, (small, large), strict=True):
        assert not m.error, f"size {size}: {m.error}"
        assert m.status == 200, f"size {size}: status {m.status}"
    assert large.queries <= small.queries, (
        f"{small.queries} queries at size {SIZES[0]}, "
        f"{large.queries} at size {SIZES[1]}: one or more per row"
    )
    assert small.queries <= page.bound, (
        f"{small.queries} queries, more than the {page.bound} allowed"
    )


# ------------------------------------------------------------------ reports


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_every_format_of_a_report_takes_the_same_queries(mini, kind) -> None:  # type: ignore[no-untyped-def]
    """The renderers get a finished document and never read the database,
    so a report's download costs the same queries in every format made in
    the request, and the
    sizes above are measured in the quickest to render. Here on the small
    fictional plan, whose reports render quickly in every format."""
    with time_machine.travel(NOW, tick=False):
        personas.keep_running(mini)
        coordinator = _person("coordinator")
        membership_grant(user=coordinator, plan=mini, role="coordinator")
        client = Client()
        log_in_verified(client, coordinator)
        path = reverse("web:report-download", args=[mini.slug])
        client.get(path + "?" + _report_query(kind, "xlsx"))
        counts = {}
        for fmt in FORMATS:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path + "?" + _report_query(kind, fmt))
            assert response.status_code == 200, fmt
            assert response["Content-Type"] == CONTENT_TYPES[fmt]
            counts[fmt] = len(captured)
    # One more for a DOCX or XLSX: is the plan large enough for the task
    # workers to make it (reports/queue.py)?
    assert counts["docx"] == counts["xlsx"] == counts["html"] + 1, counts


def test_period_figures_of_all_activities_equal_each_activitys_measures() -> None:
    """The progress report counts every activity's sessions, participants
    and newcomers of the tertial at once (``period_counts``); the numbers
    are those ``measure`` counts activity by activity."""
    plan = _generated_plan(1)
    activities = list(plan.activities.all())
    period = parse_period(f"{PROGRESS[0]}T{PROGRESS[1]}")
    groups = {a.pk: activity_ids(a) for a in activities}
    batched = period_counts(groups, period)
    for activity in activities:
        for kind in (
            MeasureKind.SESSIONS_HELD,
            MeasureKind.UNIQUE_PARTICIPANTS,
            MeasureKind.NEW_PARTICIPANTS,
        ):
            one = measure(kind, activity, period.start, period.end, period=period)
            assert batched[activity.pk][kind] == one, (activity.slug, kind)
    newcomers = [batched[a.pk][MeasureKind.NEW_PARTICIPANTS] for a in activities]
    assert any(point.value for point in newcomers), "the tertial has newcomers"
    assert any(a.parent_id for a in activities), "sub-activities count in parents"

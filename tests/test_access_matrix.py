"""The access matrix: what every persona gets at every address of the site.

Every URL pattern of the project, the admin's and the API's included, must
have an entry here, so that a new address without one fails the first
test. The entries follow the roles of docs/privacy.md: staff register for
the activities they are assigned to, coordinators and plan administrators
for the whole plan; board members read aggregates with discretion applied
and never personal data; auditors (and plan administrators) read the
access log; coordinators import area statistics; another plan's rows are
not found. A plan's pages and reports in their board version are public.

Besides the answers:

- no 200 answer shows the other plan's rows to anyone outside that plan,
  nor one of this plan's participants to anyone who does not register for
  them (markers are written into both, and looked for in every page,
  export and workbook);
- another plan's objects are not found through this plan's addresses;
- a POST without a CSRF token is refused at every address;
- no GET changes a row.

The people and the two plans are those of the API tests (tests/api
/world.py, after healthchecks' hc/test.py), with a row behind every
address.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as BrowserSession
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.accounts.models import PlanSecurity
from fremdrift.api.models import ApiToken
from fremdrift.api.site import api
from fremdrift.audit.models import AccessLogEntry, RetentionRule
from fremdrift.audit.services import access_log, review_record
from fremdrift.evidence.models import Evidence
from fremdrift.evidence.services import evidence_attach
from fremdrift.plans.models import Area, Commentary, FundingProject, Plan, SizeRecord
from fremdrift.registrations.models import (
    Contact,
    Enrolment,
    FollowUp,
    Household,
    Questionnaire,
    QuestionnaireItem,
    Response,
)
from fremdrift.reports.models import IssuedReport, IssueRequest, RenderedReport
from fremdrift.reports.queue import rendered_report_task
from fremdrift.reports.services import report_issue
from fremdrift.statistics.models import ImportBatch
from fremdrift.statistics.services import observations_import

from .accounts.verified import authenticator, log_in_verified
from .api.world import ApiClient, World, build_world, token_for

pytestmark = pytest.mark.django_db

PLAN = "eksempelby-2022-26"  # the small test plan (tests/conftest.py)

# Written into the other plan's rows and into this plan's participants'
# initials: a 200 answer shows them only to those who may see them.
OTHER_PLAN = "QXANDETSTEDS"
PERSONAL = "QXDELTAGER"

PERSONAS = (
    "anonymous",
    "bob",  # staff of another activity (the family club) in the plan
    "charlie",  # coordinator of the other plan
    "board",
    "auditor",
    "alice",  # staff of the homework café, the activity in the addresses
    "coordinator",
    "plan_admin",
    "root",  # superuser (and Django staff) who has confirmed the code
    "unverified",  # the same, but has not yet confirmed this login's code
)
# Those who must confirm a one-time code (accounts.selectors
# .two_factor_required) and have.
VERIFIED = {"charlie", "coordinator", "plan_admin", "root"}
SEES_OTHER_PLAN = {"charlie", "root", "unverified"}
SEES_PERSONAL = {"alice", "coordinator", "plan_admin", "root", "unverified"}


@dataclass(frozen=True)
class Redirect:
    """A redirect to ``to`` (the Location's path, without its query)."""

    to: str

    def __repr__(self) -> str:
        return f"302→{self.to}"


Answer = int | Redirect
Answers = tuple[Answer, ...]  # one per persona, in the order of PERSONAS

LOGIN = Redirect("/konto/log-ind/")
OTP = Redirect("/konto/engangskode/")
ENROL_APP = Redirect("/konto/engangskode/ny-app/")
HOME = Redirect("/registrering/")
IMPORTS_PAGE = Redirect(f"/planer/{PLAN}/statistik/")

# fmt: off
# Answers shared by several addresses. The columns, here and in MATRIX:
#                        anon   bob   charl board audit alice coord admin root  unverified
PUBLIC:       Answers = (200,   200,  200,  200,  200,  200,  200,  200,  200,  OTP)
TEAM_FILE:    Answers = (403,   200,  403,  403,  403,  200,  200,  200,  200,  OTP)
TEAM_ONLY:    Answers = (404,   200,  404,  404,  404,  200,  200,  200,  200,  OTP)
LOGGED_IN:    Answers = (LOGIN, 200,  200,  200,  200,  200,  200,  200,  200,  OTP)
IN_PLAN:      Answers = (LOGIN, 200,  404,  404,  404,  200,  200,  200,  200,  OTP)
REGISTERS:    Answers = (LOGIN, 404,  404,  404,  404,  200,  200,  200,  200,  OTP)
IMPORTS:      Answers = (LOGIN, 403,  404,  403,  403,  403,  200,  403,  200,  OTP)
READS_LOG:    Answers = (LOGIN, 403,  404,  403,  200,  403,  403,  200,  200,  OTP)
EDITS_PLAN:   Answers = (LOGIN, 403,  404,  403,  403,  403,  200,  200,  200,  OTP)
RUNS_PLAN:    Answers = (LOGIN, 403,  403,  403,  403,  403,  200,  200,  200,  OTP)
READS_HISTORY: Answers = (LOGIN, 403, 404,  403,  200,  403,  200,  200,  200,  OTP)
ACTIVITY_HISTORY: Answers = (LOGIN, 403, 404, 403, 200,  200,  200,  200,  200,  OTP)
# The API reads a bearer token, never the session (nor the one-time code):
# "unverified" calls it with a token of their own.
API_ANY:      Answers = (401,   200,  200,  200,  200,  200,  200,  200,  200,  200)
API_READ:     Answers = (401,   200,  200,  200,  200,  200,  200,  200,  200,  200)
API_IMPORT:   Answers = (401,   403,  404,  403,  403,  403,  200,  403,  200,  200)
API_REGISTER: Answers = (401,   403,  404,  403,  403,  200,  200,  200,  200,  200)
API_CREATE:   Answers = (401,   403,  404,  403,  403,  201,  201,  201,  201,  201)

MATRIX: dict[str, Answers] = {
    # The plans: the board's version for anyone outside the plan team, the
    # internal one (and reports issued with it) for the team only.
    "web:plan-list": PUBLIC,
    "web:cross-plan": LOGGED_IN,  # the plans the user holds a role in
    "web:plan-detail": PUBLIC,
    "web:activity-detail": PUBLIC,
    "web:plan-report": PUBLIC,
    "web:report-download": TEAM_FILE,
    "web:report-status": TEAM_FILE,  # a file made by a worker, internal here
    "web:report-file": TEAM_FILE,
    "web:issued-report": TEAM_ONLY,
    "web:issued-report-file": TEAM_ONLY,
    # Issuing reports and the team's commentary on the plan and its effort
    # areas, for coordinators and plan administrators; the preview is
    # asked for in the internal version.
    "web:issue-report": RUNS_PLAN,
    "web:issue-preview": RUNS_PLAN,
    "web:issue-status": (LOGIN, 403, 403, 403, 403, 403, 202, 202, 202, OTP),
    "web:plan-commentary": RUNS_PLAN,
    "web:effort-area-commentary": RUNS_PLAN,
    "set_language": (Redirect("/"),) * 9 + (OTP,),
    # The plan folder, for coordinators and plan administrators.
    "web:plan-folder": EDITS_PLAN,
    "web:plan-folder-download": EDITS_PLAN,
    "web:plan-folder-apply": (LOGIN, 403, 404, 403, 403, 403, 410, 410, 410, OTP),
    # The plan editor, for coordinators and plan administrators; a new plan
    # for those of any plan (charlie's organisation is his plan's). An
    # empty move names no direction.
    "editor:plan-new": (LOGIN, 403, 200, 403, 403, 403, 200, 200, 200, OTP),
    "editor:plan": EDITS_PLAN,
    "editor:plan-facts": EDITS_PLAN,
    "editor:funding": EDITS_PLAN,
    "editor:target-fields": EDITS_PLAN,
    "editor:criterion-values": EDITS_PLAN,
    "editor:part-new": EDITS_PLAN,
    "editor:part-edit": EDITS_PLAN,
    "editor:part-remove": EDITS_PLAN,
    "editor:part-move": (LOGIN, 403, 404, 403, 403, 403, 400, 400, 400, OTP),
    # Revising one criterion's target, as the plan folder.
    "web:criterion-target": EDITS_PLAN,
    # The change history: the plan's for those who run or audit it; an
    # activity's (its courses, sessions and commentary) for its staff too.
    # Participants are named by code only to the auditor.
    "web:criterion-history": READS_HISTORY,
    "web:observation-history": READS_HISTORY,
    "web:activity-history": ACTIVITY_HISTORY,
    "web:course-history": ACTIVITY_HISTORY,
    "web:session-history": ACTIVITY_HISTORY,
    "web:commentary-history": ACTIVITY_HISTORY,
    # Logging in.
    "accounts:login":       (200,   HOME,      HOME, HOME,      HOME,      HOME,      HOME, HOME, HOME, OTP),
    "accounts:otp-verify":  (LOGIN, ENROL_APP, HOME, ENROL_APP, ENROL_APP, ENROL_APP, HOME, HOME, HOME, 200),
    "accounts:otp-enrol":   (LOGIN, 200,       OTP,  200,       200,       200,       OTP,  OTP,  OTP,  OTP),
    "accounts:logout": (405,) * 10,  # a GET never logs out
    "accounts:password-change": LOGGED_IN,
    "accounts:account": LOGGED_IN,  # one's roles, the app, the password
    # What the plan asks at login, for its administrators only.
    "accounts:plan-security": (LOGIN, 403, 404, 403, 403, 403, 403, 200, 200, OTP),
    # Registration, for those who register for the café.
    "registrations:home": LOGGED_IN,
    "registrations:import-template": IN_PLAN,
    "registrations:activity": REGISTERS,
    "registrations:course": REGISTERS,
    "registrations:commentary": REGISTERS,
    "registrations:open-session-add": REGISTERS,
    "registrations:evidence": REGISTERS,
    "registrations:evidence-file": REGISTERS,
    "registrations:session": REGISTERS,
    "registrations:participants": REGISTERS,
    "registrations:participant-add": REGISTERS,
    "registrations:participant": REGISTERS,
    "registrations:enrolment": REGISTERS,
    "registrations:follow-up-add": REGISTERS,  # an empty POST: the form again
    "registrations:response-add": REGISTERS,
    "registrations:course-add": REGISTERS,
    "registrations:course-copy": REGISTERS,
    "registrations:session-series": REGISTERS,
    "registrations:session-edit": REGISTERS,
    # An empty POST (no version): the session's page again, refused.
    "registrations:session-cancel": (LOGIN, 404, 404, 404, 404, 400, 400, 400, 400, OTP),
    "registrations:session-delete": REGISTERS,
    "registrations:contacts": REGISTERS,
    "registrations:contact-edit": REGISTERS,
    "registrations:contact-delete": REGISTERS,
    # Area statistics, for coordinators.
    "statistics:import-list": IMPORTS,
    "statistics:import-detail": IMPORTS,
    "statistics:import-template": IMPORTS,
    "statistics:import-preview": (LOGIN, 403, 404, 403, 403, 403, 400,          403, 400,          OTP),
    "statistics:import-confirm": (LOGIN, 403, 404, 403, 403, 403, IMPORTS_PAGE, 403, IMPORTS_PAGE, OTP),
    "statistics:import-undo":    (LOGIN, 403, 404, 403, 403, 403, IMPORTS_PAGE, 403, IMPORTS_PAGE, OTP),
    # The access log, for auditors and plan administrators.
    "audit:log": READS_LOG,
    "audit:log-export": READS_LOG,
    "audit:extract": READS_LOG,
    "audit:spot-check": READS_LOG,
    # The API: its schema, a JSON 404 for any other address under /api/
    # (the root included), and its operations.
    "api:openapi-json": (200,) * 10,
    "api/": (404,) * 10,
    "api:api-root": (404,) * 10,
    "api:me": API_ANY,
    "api:plan_list": API_ANY,
    "api:plan_detail": API_READ,
    "api:criterion_list": API_READ,
    "api:criterion_detail": API_READ,
    "api:indicator_list": API_READ,
    "api:indicator_detail": API_READ,
    "api:observation_list": API_READ,
    "api:observation_import": API_IMPORT,
    "api:course_list": API_REGISTER,
    "api:session_list": API_REGISTER,
    "api:session_add": API_CREATE,
    "api:session_detail": API_REGISTER,
    "api:attendance_list": API_REGISTER,
    "api:attendance_set": API_REGISTER,
    "api:contact_list": API_REGISTER,
    "api:contact_add": API_CREATE,
    "api:area_status": API_READ,
}
# fmt: on

# Each API operation's URL name, and its method and path in the schema.
API_OPERATIONS = {
    "api:me": ("GET", "/api/v1/me"),
    "api:plan_list": ("GET", "/api/v1/plans"),
    "api:plan_detail": ("GET", "/api/v1/plans/{slug}"),
    "api:criterion_list": ("GET", "/api/v1/plans/{slug}/criteria"),
    "api:criterion_detail": ("GET", "/api/v1/plans/{slug}/criteria/{ident}"),
    "api:indicator_list": ("GET", "/api/v1/plans/{slug}/indicators"),
    "api:indicator_detail": ("GET", "/api/v1/plans/{slug}/indicators/{indicator}"),
    "api:observation_list": ("GET", "/api/v1/plans/{slug}/observations"),
    "api:observation_import": ("POST", "/api/v1/plans/{slug}/observations"),
    "api:course_list": ("GET", "/api/v1/plans/{slug}/activities/{activity}/courses"),
    "api:session_list": ("GET", "/api/v1/plans/{slug}/activities/{activity}/sessions"),
    "api:session_add": ("POST", "/api/v1/plans/{slug}/activities/{activity}/sessions"),
    "api:session_detail": (
        "GET",
        "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}",
    ),
    "api:attendance_list": (
        "GET",
        "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}/attendance",
    ),
    "api:attendance_set": (
        "PUT",
        "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}/attendance",
    ),
    "api:contact_list": ("GET", "/api/v1/plans/{slug}/activities/{activity}/contacts"),
    "api:contact_add": ("POST", "/api/v1/plans/{slug}/activities/{activity}/contacts"),
    "api:area_status": ("GET", "/api/v1/plans/{slug}/area-status"),
}

# The admin, some 200 generated patterns, is one group: anonymous visitors
# and every plan role are sent to the admin's login (which refuses a member
# who is logged in with 403), a superuser to the one-time code first; after
# it, the superuser gets what the first rule matching the route says.
CHANGE_PAGE = Redirect("{path}change/")
# Rows that only the application writes (the access log, issued reports,
# imports): nobody adds or deletes them by hand. Nor does anyone add login
# attempts or API tokens (fremdrift api_token makes those).
APP_WRITTEN = r"audit/accesslog\w+|reports/issuedreport|statistics/(importbatch|observationchange)|django_tasks_database/dbtaskresult"
ADMIN_RULES: list[tuple[str, Answer]] = [
    (r"^admin/autocomplete/$", 403),  # no field named in the query
    (r"^admin/otp_totp/totpdevice/<int:pk>/(config|qrcode)/$", 403),  # key hidden
    (r"^admin/r/", Redirect(f"/planer/{PLAN}/")),  # "view on site"
    (r"^admin/\(\?P<url>", 404),  # the admin's catch-all
    (r"/<path:object_id>/$", CHANGE_PAGE),
    (rf"^admin/({APP_WRITTEN}|axes/\w+|api/apitoken)/add/$", 403),
    (rf"^admin/({APP_WRITTEN})/<path:object_id>/delete/$", 403),
    (r"^admin/", 200),
]
# One check (AdminSite.has_permission) guards every admin page: the plan
# administrator, a member who has confirmed the code, stands for every plan
# role there; every persona tries the admin's index.
ADMIN_PERSONAS = ("anonymous", "plan_admin", "root", "unverified")


def admin_answers(route: str, path: str) -> dict[str, Answer]:
    # The admin's own login page sends anonymous visitors to the
    # application's (throttled, two-factor) login.
    if route == "admin/login/":
        # A verified superuser is sent on to the admin's index.
        answers: Answers = (LOGIN,) + (403,) * 7 + (Redirect("/admin/"), OTP)
    elif route == "admin/logout/":
        answers = (Redirect("/admin/"),) * 8 + (405, OTP)  # a GET never logs out
    else:
        root = next(answer for rule, answer in ADMIN_RULES if re.search(rule, route))
        if root == CHANGE_PAGE:
            root = Redirect(CHANGE_PAGE.to.format(path=path))
        answers = (Redirect("/admin/login/"),) * 8 + (root, OTP)
    return dict(zip(PERSONAS, answers, strict=True))


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    callback: Any = field(compare=False, repr=False)

    @property
    def key(self) -> str:
        """Its name in MATRIX: the namespaced URL name, else the route."""
        return self.name or self.route

    @property
    def in_admin(self) -> bool:
        return self.route.startswith("admin/")


def url_patterns() -> list[Pattern]:
    """Every pattern of the URLconf, with its full route."""

    def walk(
        resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]
    ) -> Iterator[Pattern]:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespaces + ((entry.namespace,) if entry.namespace else ())
                yield from walk(entry, route, inner)
            else:
                assert isinstance(entry, URLPattern)
                name = ":".join((*namespaces, entry.name)) if entry.name else None
                yield Pattern(route, name, entry.callback)

    return list(walk(get_resolver(), "", ()))


@dataclass(frozen=True)
class Call:
    path: str
    method: str = "GET"
    data: dict[str, Any] | None = None


@dataclass
class Scene:
    """The API tests' two plans and people, with a row behind every address
    and the markers in what outsiders must not see."""

    world: World
    enrolment: Enrolment
    questionnaire: Questionnaire
    contact: Contact
    evidence: Evidence
    issued: IssuedReport
    issue_request: IssueRequest
    rendered: RenderedReport
    batch: ImportBatch
    other: dict[str, Model]  # the other plan's rows

    @property
    def users(self) -> dict[str, User]:
        return self.world.users


@pytest.fixture
def scene(mini, settings, tmp_path) -> Scene:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world(mini)
    root = w.users["root"]
    root.is_staff = True  # the admin is for Django staff
    root.save()
    unverified = User.objects.create(
        username="unverified", is_superuser=True, is_staff=True
    )
    authenticator(unverified)
    w.users["unverified"] = unverified
    w.tokens["unverified"] = token_for(unverified)
    for child in w.children:
        child.initials = PERSONAL + child.initials
        child.save()
    child = w.children[0]
    access_log(
        user=w.users["alice"],
        plan=mini,
        action="view",
        participants=[child],
        object_type="participant",
        object_id=child.pk,
        purpose="activity",
    )
    questionnaire = Questionnaire.objects.create(activity=w.cafe, name="Trivsel")
    QuestionnaireItem.objects.create(
        questionnaire=questionnaire,
        text="Trives du?",
        scale="likert5",
        purpose="satisfaction",
    )
    tidy = tmp_path / "tal.csv"
    tidy.write_text("indicator,population,period,value\nemployment,nord,2023,43\n")
    batch = observations_import(
        plan=mini, path=tidy, user=w.users["coordinator"], display_name="tal.csv"
    ).batch
    assert batch is not None
    # What the plan asks at login, as its administrator left it: only the
    # roles that always confirm a code (the personas' answers assume so).
    PlanSecurity.objects.create(plan=mini, two_factor_required=False)
    return Scene(
        world=w,
        enrolment=Enrolment.objects.get(participant=child),
        questionnaire=questionnaire,
        contact=Contact.objects.create(
            activity=w.cafe,
            date=timezone.localdate(),
            kind="contact",
            participant=child,
        ),
        evidence=evidence_attach(
            plan=mini,
            data=b"%PDF-1.4",
            description="Plakat",
            consent="document",
            uploaded_by="alice",
            activity=w.cafe,
        ),
        issued=report_issue(
            plan=mini,
            kind="final",
            fmt="html",
            recipient="Styregruppen",
            issued_by="Koordinatoren",
            audience="internal",
        ),
        issue_request=IssueRequest.objects.create(
            plan=mini,
            kind="final",
            audience="internal",
            format="pdf",
            lang="da",
            recipient="Styregruppen",
            issued_by="Koordinatoren",
        ),
        rendered=_rendered(mini, "internal", "a"),
        batch=batch,
        other=_other_plan_rows(w),
    )


def _rendered(plan: Plan, audience: str, key: str) -> RenderedReport:
    """A report file a task worker made (reports/queue.py), and the job that
    made it (the task queue's admin pages open it)."""
    rendered = RenderedReport.objects.create(
        plan=plan,
        key=key * 64,
        kind="final",
        audience=audience,
        as_of=datetime.date(2024, 1, 1),
        format="pdf",
        lang="da",
        data_token="token",
        filename="rapport.pdf",
        status=RenderedReport.Status.READY,
        content=b"%PDF-1.4",
    )
    rendered_report_task.enqueue(rendered.pk)
    return rendered


def _other_plan_rows(w: World) -> dict[str, Model]:
    """The other plan's rows, marked; with the first plan's, every model in
    the admin has a row to open."""
    plan, activity, course = w.other_plan, w.other_activity, w.other_course
    person, session = w.other_participant, w.other_session
    activity.name = f"Café {OTHER_PLAN}"
    activity.save()
    course.name = f"Forløb {OTHER_PLAN}"
    course.save()
    person.initials = OTHER_PLAN
    person.household = Household.objects.create(plan=plan)
    person.save()
    session.theme = OTHER_PLAN
    session.save()
    today = timezone.localdate()
    enrolment = Enrolment.objects.get(participant=person)
    questionnaire = Questionnaire.objects.create(activity=activity, name=OTHER_PLAN)
    FollowUp.objects.create(enrolment=enrolment, due=today, outcome=OTHER_PLAN)
    Response.objects.create(
        questionnaire=questionnaire, enrolment=enrolment, phase="pre", date=today
    )
    contact = Contact.objects.create(
        activity=activity, date=today, kind="contact", participant=person
    )
    Commentary.objects.create(activity=activity, period="", text=OTHER_PLAN)
    FundingProject.objects.create(plan=plan, name=OTHER_PLAN)
    area = Area.objects.create(plan=plan, slug="andetsteds", name=OTHER_PLAN)
    SizeRecord.objects.create(plan=plan, area=area, as_of=datetime.date(2024, 1, 1))
    RetentionRule.objects.create(plan=plan, decided_by=OTHER_PLAN)
    (entry,) = access_log(
        user=w.users["charlie"],
        plan=plan,
        action="view",
        participants=[person],
        object_type="participant",
        object_id=person.pk,
        purpose="other",
        purpose_note=OTHER_PLAN,
    )
    review_record(entry=entry, reviewer=w.users["root"], outcome="ok")
    Group.objects.create(name="Revisorer")
    attempt = {
        "user_agent": "test",
        "ip_address": "192.0.2.1",
        "username": "mallory",
        "http_accept": "*/*",
        "path_info": "/konto/log-ind/",
        "attempt_time": timezone.now(),
    }
    AccessAttempt.objects.create(
        **attempt, get_data="", post_data="", failures_since_start=1
    )
    AccessFailureLog.objects.create(**attempt)
    return {
        "course": course,
        "session": session,
        "participant": person,
        "enrolment": enrolment,
        "questionnaire": questionnaire,
        "contact": contact,
        "entry": entry,
        "evidence": evidence_attach(
            plan=plan,
            data=b"%PDF-1.4",
            description=OTHER_PLAN,
            consent="document",
            uploaded_by="charlie",
            activity=activity,
        ),
        "rendered": _rendered(plan, "board", "b"),
        "issue_request": IssueRequest.objects.create(
            plan=plan,
            kind="final",
            audience="board",
            format="pdf",
            lang="da",
            recipient=OTHER_PLAN,
            issued_by="charlie",
        ),
        "issued": report_issue(
            plan=plan,
            kind="final",
            fmt="html",
            recipient=OTHER_PLAN,
            issued_by="charlie",
            audience="board",
        ),
        "batch": ImportBatch.objects.create(
            plan=plan,
            source="tidy",
            file_name=OTHER_PLAN,
            sha256="0" * 64,
            size_bytes=1,
            imported_by_name="charlie",
            imported_at=timezone.now(),
        ),
    }


# One row of area statistics as the API takes it, and a previewed file that
# is gone when its import is confirmed (the coordinator is sent back).
OBSERVATION = {
    "indicator": "employment",
    "population": "nord",
    "period": "2024",
    "value": 44,
}
GONE_FILE = {
    "sha256": "0" * 64,
    "suffix": ".csv",
    "file_name": "tal.csv",
    "source": "tidy",
    "mapping": "",
}

GONE_UPLOAD = {"sha256": "0" * 64, "fingerprint": "0" * 64}


def addresses(s: Scene) -> dict[str, Call]:
    """A request for every entry of MATRIX but the admin's, on the café of
    the small test plan."""
    w = s.world
    act = f"/registrering/{PLAN}/{w.cafe.slug}"
    enrolment = f"{act}/tilmeldinger/{s.enrolment.pk}"
    stats = f"/planer/{PLAN}/statistik"
    log = f"/adgangslog/{PLAN}"
    extract = {"kode": s.enrolment.participant.code, "formaal": "access_request"}
    api = f"/api/v1/plans/{PLAN}"
    api_act = f"{api}/activities/{w.cafe.slug}"
    internal = "kind=final&format=html&audience=internal"
    editor = f"/redigering/{PLAN}"
    cafe_commentary = Commentary.objects.filter(activity=w.cafe).first()
    assert cafe_commentary is not None
    return {
        "web:plan-list": Call("/"),
        "web:cross-plan": Call("/oversigt/"),
        "web:plan-detail": Call(f"/planer/{PLAN}/"),
        "web:activity-detail": Call(f"/planer/{PLAN}/aktiviteter/{w.cafe.slug}/"),
        "web:plan-report": Call(f"/planer/{PLAN}/rapport/"),
        "web:report-download": Call(f"/planer/{PLAN}/rapport/hent/?{internal}"),
        "web:report-status": Call(f"/planer/{PLAN}/rapport/filer/{s.rendered.key}/"),
        "web:report-file": Call(f"/planer/{PLAN}/rapport/filer/{s.rendered.key}/fil/"),
        "web:issued-report": Call(f"/planer/{PLAN}/udsendte/{s.issued.pk}/"),
        "web:issued-report-file": Call(f"/planer/{PLAN}/udsendte/{s.issued.pk}/fil/"),
        "web:issue-report": Call(f"/planer/{PLAN}/udsend/"),
        "web:issue-preview": Call(f"/planer/{PLAN}/udsend/vis/?{internal}"),
        "web:issue-status": Call(f"/planer/{PLAN}/udsend/{s.issue_request.pk}/"),
        "web:plan-commentary": Call(f"/planer/{PLAN}/kommentarer/"),
        "web:effort-area-commentary": Call(
            f"/planer/{PLAN}/indsatsomraader/{w.cafe.effort_area.slug}/kommentarer/"
        ),
        "set_language": Call("/i18n/setlang/"),
        "web:plan-folder": Call(f"/planer/{PLAN}/mappe/"),
        "web:plan-folder-download": Call(f"/planer/{PLAN}/mappe/hent/"),
        "web:plan-folder-apply": Call(
            f"/planer/{PLAN}/mappe/anvend/", "POST", GONE_UPLOAD
        ),
        "editor:plan-new": Call("/redigering/ny/"),
        "editor:plan": Call(f"{editor}/"),
        "editor:plan-facts": Call(f"{editor}/fakta/"),
        "editor:funding": Call(f"{editor}/finansiering/"),
        "editor:target-fields": Call(f"{editor}/maalfelter/?kind=range"),
        "editor:criterion-values": Call(
            f"{editor}/kriterier/bf-lektiecafe-boern/vaerdier/"
        ),
        "editor:part-new": Call(f"{editor}/omraader/ny/"),
        "editor:part-edit": Call(f"{editor}/aktiviteter/{w.cafe.slug}/"),
        "editor:part-remove": Call(f"{editor}/aktiviteter/{w.cafe.slug}/slet/"),
        "editor:part-move": Call(f"{editor}/aktiviteter/{w.cafe.slug}/flyt/", "POST"),
        "web:criterion-target": Call(
            f"/planer/{PLAN}/kriterier/bf-lektiecafe-boern/maal/"
        ),
        "web:criterion-history": Call(
            f"/planer/{PLAN}/historik/kriterier/bf-lektiecafe-boern/"
        ),
        "web:observation-history": Call(
            f"/planer/{PLAN}/historik/observationer/employment/nord/"
        ),
        "web:activity-history": Call(
            f"/planer/{PLAN}/historik/aktiviteter/{w.cafe.slug}/"
        ),
        "web:course-history": Call(
            f"/planer/{PLAN}/historik/aktiviteter/{w.cafe.slug}/forloeb/{w.course.pk}/"
        ),
        "web:session-history": Call(
            f"/planer/{PLAN}/historik/aktiviteter/{w.cafe.slug}"
            f"/moedegange/{w.session.pk}/"
        ),
        "web:commentary-history": Call(
            f"/planer/{PLAN}/historik/kommentarer/{cafe_commentary.pk}/"
        ),
        "accounts:login": Call("/konto/log-ind/"),
        "accounts:otp-verify": Call("/konto/engangskode/"),
        "accounts:otp-enrol": Call("/konto/engangskode/ny-app/"),
        "accounts:logout": Call("/konto/log-ud/"),
        "accounts:password-change": Call("/konto/adgangskode/"),
        "accounts:account": Call("/konto/"),
        "accounts:plan-security": Call(f"/konto/planer/{PLAN}/sikkerhed/"),
        "registrations:home": Call("/registrering/"),
        "registrations:import-template": Call(f"/registrering/{PLAN}/skabelon.xlsx"),
        "registrations:activity": Call(f"{act}/"),
        "registrations:course": Call(f"{act}/forloeb/{w.course.pk}/"),
        "registrations:commentary": Call(f"{act}/kommentar/"),
        "registrations:open-session-add": Call(f"{act}/moedegange/ny/"),
        "registrations:evidence": Call(f"{act}/dokumentation/"),
        "registrations:evidence-file": Call(f"{act}/dokumentation/{s.evidence.pk}/"),
        "registrations:session": Call(f"{act}/moedegange/{w.session.pk}/"),
        "registrations:participants": Call(f"{act}/deltagere/"),
        "registrations:participant-add": Call(f"{act}/deltagere/ny/"),
        "registrations:participant": Call(f"{act}/deltagere/{w.children[0].pk}/"),
        "registrations:enrolment": Call(f"{enrolment}/"),
        "registrations:follow-up-add": Call(f"{enrolment}/opfoelgning/", "POST"),
        "registrations:response-add": Call(
            f"{enrolment}/spoergeskema/{s.questionnaire.pk}/"
        ),
        "registrations:course-add": Call(f"{act}/forloeb/ny/"),
        "registrations:course-copy": Call(f"{act}/forloeb/{w.course.pk}/kopier/"),
        "registrations:session-series": Call(
            f"{act}/forloeb/{w.course.pk}/moedegange/plan/"
        ),
        "registrations:session-edit": Call(f"{act}/moedegange/{w.session.pk}/ret/"),
        "registrations:session-cancel": Call(
            f"{act}/moedegange/{w.session.pk}/aflys/", "POST"
        ),
        "registrations:session-delete": Call(f"{act}/moedegange/{w.session.pk}/slet/"),
        "registrations:contacts": Call(f"{act}/kontakter/"),
        "registrations:contact-edit": Call(f"{act}/kontakter/{s.contact.pk}/"),
        "registrations:contact-delete": Call(f"{act}/kontakter/{s.contact.pk}/slet/"),
        "statistics:import-list": Call(f"{stats}/"),
        "statistics:import-detail": Call(f"{stats}/{s.batch.pk}/"),
        "statistics:import-template": Call(f"{stats}/skabelon/observationer.xlsx"),
        "statistics:import-preview": Call(f"{stats}/forhaandsvis/", "POST"),
        "statistics:import-confirm": Call(f"{stats}/bekraeft/", "POST", GONE_FILE),
        "statistics:import-undo": Call(f"{stats}/{s.batch.pk}/fortryd/", "POST"),
        "audit:log": Call(f"{log}/"),
        "audit:log-export": Call(f"{log}/adgangslog.csv"),
        "audit:extract": Call(f"{log}/deltager/?{urlencode(extract)}"),
        "audit:spot-check": Call(f"{log}/stikproeve/?antal=5&udtraek=7"),
        "api:openapi-json": Call("/api/openapi.json"),
        "api/": Call("/api/v2/plans"),
        "api:api-root": Call("/api/"),
        "api:me": Call("/api/v1/me"),
        "api:plan_list": Call("/api/v1/plans"),
        "api:plan_detail": Call(api),
        "api:criterion_list": Call(f"{api}/criteria"),
        "api:criterion_detail": Call(f"{api}/criteria/bf-lektiecafe-boern"),
        "api:indicator_list": Call(f"{api}/indicators"),
        "api:indicator_detail": Call(f"{api}/indicators/employment"),
        "api:observation_list": Call(f"{api}/observations"),
        "api:observation_import": Call(
            f"{api}/observations", "POST", {"rows": [OBSERVATION]}
        ),
        "api:course_list": Call(f"{api_act}/courses"),
        "api:session_list": Call(f"{api_act}/sessions"),
        "api:session_add": Call(
            f"{api_act}/sessions",
            "POST",
            {"course": w.course.pk, "date": timezone.localdate().isoformat()},
        ),
        "api:session_detail": Call(f"{api_act}/sessions/{w.session.pk}"),
        "api:attendance_list": Call(f"{api_act}/sessions/{w.session.pk}/attendance"),
        "api:attendance_set": Call(
            f"{api_act}/sessions/{w.session.pk}/attendance",
            "PUT",
            {"present": [w.children[0].pk]},
        ),
        "api:contact_list": Call(f"{api_act}/contacts"),
        "api:contact_add": Call(
            f"{api_act}/contacts",
            "POST",
            {
                "date": timezone.localdate().isoformat(),
                "kind": "contact",
                "anonymous_count": 2,
            },
        ),
        "api:area_status": Call(f"{api}/area-status"),
    }


def admin_address(pattern: Pattern, s: Scene) -> str:
    """The admin page of ``pattern``; an object's page opens the model's
    newest row."""
    route = pattern.route
    if "(?P<app_label>" in route:
        return "/admin/plans/"
    if "(?P<url>" in route:
        return "/admin/nowhere/"
    device = TOTPDevice.objects.order_by("pk").last()
    assert device is not None
    values = {
        "<id>": s.users["root"].pk,
        "<int:pk>": device.pk,
        "<path:content_type_id>": ContentType.objects.get_for_model(s.world.plan).pk,
        "<path:object_id>": s.world.plan.pk,  # "view on site"
    }
    if hasattr(pattern.callback, "model_admin"):
        model = pattern.callback.model_admin.model
        row = model._default_manager.order_by("pk").last()
        assert row is not None, f"the scene has no {model._meta.label} to open"
        values["<path:object_id>"] = row.pk
    for placeholder, value in values.items():
        route = route.replace(placeholder, str(value))
    return "/" + route


def web_clients(s: Scene) -> dict[str, Client]:
    clients = {}
    for who in PERSONAS:
        client = Client()
        if who in VERIFIED:
            log_in_verified(client, s.users[who])
        elif who != "anonymous":
            client.force_login(s.users[who])
        clients[who] = client
    return clients


def api_clients(s: Scene) -> dict[str, ApiClient]:
    return {
        who: s.world.client(None if who == "anonymous" else who) for who in PERSONAS
    }


@dataclass(frozen=True)
class Reply:
    """A response, read to its end as a server would (a download's file is
    closed)."""

    status: int
    location: str  # a redirect's path, without its query
    content: bytes

    def __str__(self) -> str:
        return f"302→{self.location}" if self.status == 302 else str(self.status)

    @property
    def text(self) -> bytes:
        """The content; for a workbook or a document, its XML."""
        if not self.content.startswith(b"PK\x03\x04"):
            return self.content
        with zipfile.ZipFile(io.BytesIO(self.content)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist())


def send(client: Client | ApiClient, call: Call) -> Reply:
    if call.method == "GET":
        response = client.get(call.path)
    elif isinstance(client, ApiClient):
        write = client.post if call.method == "POST" else client.put
        response = write(call.path, call.data or {})
    else:
        response = client.post(call.path, call.data or {})
    return read(response)


CSRF_REFUSED = b"<h1>Formularen blev afvist</h1>"


def read(response: HttpResponseBase) -> Reply:
    if response.streaming:
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    location = response.get("Location", "")
    return Reply(response.status_code, urlsplit(location).path, content)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever a request writes is undone, so that each answer depends on
    the scene alone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def matches(expected: Answer, reply: Reply) -> bool:
    if isinstance(expected, Redirect):
        return reply.status == 302 and reply.location == expected.to
    return reply.status == expected


def leaks(who: str, reply: Reply) -> list[str]:
    """What a 200 answer shows ``who`` that they may not see."""
    if reply.status != 200:
        return []
    found = []
    if who not in SEES_OTHER_PLAN and OTHER_PLAN.encode() in reply.text:
        found.append("the other plan's rows")
    if who not in SEES_PERSONAL and PERSONAL.encode() in reply.text:
        found.append("a participant of this plan")
    return found


def answered(
    client: Client | ApiClient, call: Call, who: str, expected: Answer
) -> list[str]:
    """What is wrong with the answer ``who`` gets to ``call``: another than
    the expected one, an error, or rows they may not see."""
    label = f"{call.method} {call.path} as {who}"
    try:
        reply = send(client, call)
    except Exception as error:
        return [f"{label}: raised {error!r}"]
    problems = []
    if not matches(expected, reply):
        problems.append(f"{label}: {reply}, not {expected!r}")
    problems += [f"{label}: shows {what}" for what in leaks(who, reply)]
    return problems


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but for what a GET may write: sessions,
    login throttling (django-axes), the access log (a GET of personal data
    is logged), the throttling of one-time codes, and when an API token was
    last used."""
    skipped = {BrowserSession, AccessLogEntry}
    volatile = {
        TOTPDevice: {"throttling_failure_timestamp", "throttling_failure_count"},
        ApiToken: {"last_used_at"},
    }
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if model in skipped or meta.app_label == "axes" or meta.proxy:
            continue
        fields = [
            f.attname
            for f in meta.concrete_fields
            if f.name not in volatile.get(model, set())
        ]
        rows[meta.label] = list(
            model._default_manager.order_by("pk").values_list(*fields)
        )
    return rows


def changed_since(before: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    after = snapshot()
    return sorted(label for label in before if before[label] != after[label])


def test_every_url_pattern_has_an_entry_in_the_matrix() -> None:
    patterns = url_patterns()
    missing = sorted(
        p.route for p in patterns if not p.in_admin and p.key not in MATRIX
    )
    assert missing == [], "add these patterns to MATRIX (and to addresses())"
    stale = set(MATRIX) - {p.key for p in patterns}
    assert stale == set(), "these entries of MATRIX name no pattern"
    admin = [p for p in patterns if p.in_admin]
    assert len(admin) > 100  # the admin's patterns are enumerated too
    for p in admin:
        assert any(re.search(rule, p.route) for rule, _answer in ADMIN_RULES), p


def test_the_matrix_names_every_operation_of_the_api() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
    }
    assert set(API_OPERATIONS.values()) == operations
    names = {p.name for p in url_patterns() if p.name and p.name.startswith("api:")}
    assert set(API_OPERATIONS) <= names <= set(MATRIX)


@pytest.mark.slow
def test_every_persona_gets_the_matrix_answer_and_no_rows_it_may_not_see(
    scene: Scene,
) -> None:
    patterns = {p.key: p for p in url_patterns()}
    web, apis = web_clients(scene), api_clients(scene)
    calls = addresses(scene)
    assert set(calls) == set(MATRIX)
    problems = []
    for key, call in calls.items():
        # The address is one of the pattern's, not another's.
        assert resolve(urlsplit(call.path).path).route == patterns[key].route, key
        clients: dict[str, Any] = apis if key in API_OPERATIONS else web
        for who, expected in zip(PERSONAS, MATRIX[key], strict=True):
            with rolled_back():
                problems += answered(clients[who], call, who, expected)
    assert not problems, "\n".join(problems)


def test_only_a_superuser_who_confirmed_the_code_gets_into_the_admin(
    scene: Scene,
) -> None:
    """Every admin page, every object page opened on a row. The admin being
    most of the site's addresses, this test also checks that none of these
    GETs changes a row (test_no_get_changes_a_row does the rest)."""
    clients = web_clients(scene)
    before = snapshot()
    problems = []
    for pattern in url_patterns():
        if not pattern.in_admin:
            continue
        call = Call(admin_address(pattern, scene))
        answers = admin_answers(pattern.route, call.path)
        personas = PERSONAS if pattern.name == "admin:index" else ADMIN_PERSONAS
        for who in personas:
            problems += answered(clients[who], call, who, answers[who])
    assert not problems, "\n".join(problems)
    assert changed_since(before) == []


def test_another_plans_objects_are_not_found_through_this_plans_addresses(
    scene: Scene,
) -> None:
    """This plan's coordinator (and, for the access log, its administrator)
    at this plan's addresses with the ids of the other plan's rows."""
    other = {name: row.pk for name, row in scene.other.items()}
    act = f"/registrering/{PLAN}/{scene.world.cafe.slug}"
    own_enrolment = f"{act}/tilmeldinger/{scene.enrolment.pk}"
    their_enrolment = f"{act}/tilmeldinger/{other['enrolment']}"
    api_act = f"/api/v1/plans/{PLAN}/activities/{scene.world.cafe.slug}"
    web = web_clients(scene)
    token = api_clients(scene)["coordinator"]
    tries: list[tuple[Client | ApiClient, Call]] = [
        (web["coordinator"], call)
        for call in [
            Call(f"{act}/forloeb/{other['course']}/"),
            Call(f"{act}/moedegange/{other['session']}/"),
            Call(f"{act}/moedegange/{other['session']}/ret/"),
            Call(f"{act}/moedegange/{other['session']}/slet/"),
            Call(f"{act}/forloeb/{other['course']}/kopier/"),
            Call(f"{act}/kontakter/{other['contact']}/"),
            Call(f"{act}/kontakter/{other['contact']}/slet/", "POST"),
            Call(f"{act}/deltagere/{other['participant']}/?formaal=inquiry"),
            Call(f"{act}/dokumentation/{other['evidence']}/"),
            Call(f"{their_enrolment}/"),
            Call(f"{their_enrolment}/opfoelgning/", "POST"),
            Call(f"{their_enrolment}/spoergeskema/{scene.questionnaire.pk}/"),
            Call(f"{own_enrolment}/spoergeskema/{other['questionnaire']}/"),
            Call(f"/planer/{PLAN}/statistik/{other['batch']}/"),
            Call(f"/planer/{PLAN}/statistik/{other['batch']}/fortryd/", "POST"),
            Call(f"/planer/{PLAN}/udsendte/{other['issued']}/"),
            Call(f"/planer/{PLAN}/udsendte/{other['issued']}/fil/"),
            Call(f"/planer/{PLAN}/udsend/{other['issue_request']}/"),
            Call(f"/planer/{PLAN}/rapport/filer/{scene.other['rendered'].key}/"),
            Call(f"/planer/{PLAN}/rapport/filer/{scene.other['rendered'].key}/fil/"),
        ]
    ]
    tries.append(
        (
            web["plan_admin"],
            Call(
                f"/adgangslog/{PLAN}/stikproeve/",
                "POST",
                {"entry": other["entry"], "outcome": "ok"},
            ),
        )
    )
    tries += [
        (token, Call(f"{api_act}/sessions/{other['session']}")),
        (token, Call(f"{api_act}/sessions/{other['session']}/attendance")),
    ]
    found = [
        f"{call.method} {call.path}: {reply}"
        for client, call in tries
        if (reply := send(client, call)).status != 404
    ]
    assert found == []


def test_a_post_without_a_csrf_token_is_refused_at_every_address(
    scene: Scene,
) -> None:
    """A logged-in browser never changes anything without the token. The
    API reads no session at all: its writes answer 401 to the browser."""
    browser = Client(enforce_csrf_checks=True)
    log_in_verified(browser, scene.users["root"])
    calls = addresses(scene)
    accepted = []
    for pattern in url_patterns():
        if pattern.key in API_OPERATIONS:
            method, _schema_path = API_OPERATIONS[pattern.key]
            if method == "GET":
                continue
            path = calls[pattern.key].path
            reply = read(browser.generic(method, path, "{}", "application/json"))
            refused = reply.status == 401
        else:
            path = (
                admin_address(pattern, scene)
                if pattern.in_admin
                else calls[pattern.key].path
            )
            reply = read(browser.post(path, {}))
            # The CSRF failure page (web/errors.py csrf_failure), not
            # some other refusal.
            refused = reply.status == 403 and CSRF_REFUSED in reply.content
        if not refused:
            accepted.append(f"{path}: {reply}")
    assert accepted == []


def test_no_get_changes_a_row(scene: Scene) -> None:
    """root, who may see everything, GETs every address but the admin's
    (the admin test GETs those), the API's operations with root's token."""
    root: Client | ApiClient = web_clients(scene)["root"]
    token = api_clients(scene)["root"]
    calls = addresses(scene)
    before = snapshot()
    for pattern in url_patterns():
        if pattern.in_admin:
            continue
        client = token if pattern.key in API_OPERATIONS else root
        send(client, Call(calls[pattern.key].path))  # a GET, whatever it takes
    assert changed_since(before) == []

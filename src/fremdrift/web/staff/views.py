"""The staff's registration pages: their activities, courses, today's
session with its attendance list, participants, enrolments, outcomes,
follow-ups and questionnaires.

Every page needs a login, and every object is looked up through the
activities the user may register for: anything else answers 404, so
another plan's or another activity's rows are never revealed. Requests
made by htmx get the changed fragment; without JavaScript the same forms
post and redirect as usual.

Every response that shows a participant's data writes an access-log entry
(a list of the activity's own participants: one entry for the page; a
participant, an enrolment: one entry naming them), and every change is
logged by the service that makes it. A search across the plan, and
opening a participant who is not in the activity, ask for a purpose.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fremdrift.accounts.policy import activities_for, plans_audited_by
from fremdrift.audit.context import logged_origin
from fremdrift.audit.forms import LookupPurposeForm
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.ratelimits import download_limited
from fremdrift.audit.security_log import authorization_denied
from fremdrift.audit.services import access_log
from fremdrift.base.uploads import upload_refusal
from fremdrift.base.versioning import VersionConflict, version_parse
from fremdrift.evaluation.statuses import activity_criteria
from fremdrift.evidence.content import EvidenceFileError
from fremdrift.evidence.forms import EvidenceForm
from fremdrift.evidence.models import Evidence
from fremdrift.evidence.services import evidence_upload
from fremdrift.plans.models import Activity
from fremdrift.registrations import selectors, services
from fremdrift.registrations.bulk_import import registrations_template
from fremdrift.registrations.forms import (
    CommentaryForm,
    EnrolForm,
    FollowUpForm,
    OpenSessionForm,
    OutcomeForm,
    ParticipantForm,
    ParticipantSearchForm,
    ResponseForm,
    SessionForm,
    activity_commentary_periods,
)
from fremdrift.registrations.models import (
    Course,
    Enrolment,
    Participant,
    Questionnaire,
    Session,
)

get_and_post = require_http_methods(["GET", "HEAD", "POST"])

Action = AccessLogEntry.Action
Purpose = AccessLogEntry.Purpose
# The session remembers the last look-up purpose, so that a second search
# needs no new choice.
LAST_PURPOSE = "fremdrift_lookup_purpose"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _activity(request: HttpRequest, plan: str, activity: str) -> Activity:
    """The activity, if the user may register for it; else 404 (written
    in the security log)."""
    try:
        return get_object_or_404(
            activities_for(request.user).select_related("plan", "parent"),
            plan__slug=plan,
            slug=activity,
        )
    except Http404:
        authorization_denied(request, status=404, reason="activity not registrable")
        raise


def _log_view(
    request: HttpRequest,
    activity: Activity,
    *,
    object_type: str,
    object_id: object = "",
    participants: Any = (),
    purpose: str = Purpose.ACTIVITY,
    note: str = "",
) -> None:
    access_log(
        user=request.user,
        plan=activity.plan,
        action=Action.VIEW,
        participants=participants,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        purpose_note=note,
    )


def _lookup_form(request: HttpRequest, data: Any) -> LookupPurposeForm:
    last = request.session.get(LAST_PURPOSE) or {}
    return LookupPurposeForm(
        data, initial={"formaal": last.get("formaal", ""), "begrundelse": ""}
    )


def _url(name: str, activity: Activity, *args: Any) -> str:
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Mine aktiviteter: each activity with its criteria and pace."""
    activities = list(
        activities_for(request.user)
        .select_related("plan", "parent")
        .order_by("plan__name", "parent__order", "order", "name")
    )
    criteria = activity_criteria(activities=activities, as_of=timezone.localdate())
    rows = [(activity, criteria[activity.pk]) for activity in activities]
    return render(
        request,
        "registrations/home.html",
        {"rows": rows, "audited": plans_audited_by(request.user).order_by("name")},
    )


@login_required
@require_safe
def activity_detail(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    current = _activity(request, plan, activity)
    today = timezone.localdate()
    recent, upcoming = selectors.activity_sessions(activity=current, today=today)
    criteria = activity_criteria(activities=[current], as_of=today)
    return render(
        request,
        "registrations/activity.html",
        {
            "activity": current,
            "courses": selectors.activity_courses(activity=current),
            "recent": recent,
            "upcoming": upcoming,
            "today": today,
            "criteria": criteria[current.pk],
            "questionnaires": Questionnaire.objects.filter(activity=current),
        },
    )


@login_required
@get_and_post
@logged_origin
def course_detail(
    request: HttpRequest, plan: str, activity: str, course: int
) -> HttpResponse:
    """A course: its participants and sessions; posting creates a session
    (today's unless another date is given) and opens it."""
    current = _activity(request, plan, activity)
    this_course = get_object_or_404(Course, activity=current, pk=course)
    form = SessionForm(request.POST or None, course=this_course)
    if request.method == "POST" and form.is_valid():
        session = services.session_create(
            course=this_course,
            date=form.cleaned_data["date"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            theme=form.cleaned_data["theme"],
            user=request.user,
        )
        return redirect(_url("session", current, session.pk))
    sessions = list(selectors.course_sessions(course=this_course))
    today = timezone.localdate()
    _log_view(request, current, object_type="course", object_id=this_course.pk)
    return render(
        request,
        "registrations/course.html",
        {
            "activity": current,
            "course": this_course,
            "enrolments": selectors.course_enrolments(course=this_course),
            "sessions": sessions,
            "todays": next((s for s in sessions if s.date == today), None),
            "form": form,
        },
    )


@login_required
@get_and_post
@logged_origin
def session_detail(
    request: HttpRequest, plan: str, activity: str, session: int
) -> HttpResponse:
    """Dagens mødegang: tick who is present and save them in one post.

    The form carries the session's version: if someone else saved the
    list after it was opened, nothing is saved and the answer is 409 with
    the list as it is now (fremdrift.base.versioning)."""
    current = _activity(request, plan, activity)
    this_session = get_object_or_404(
        Session.objects.select_related("course"), activity=current, pk=session
    )
    # The activity as just read with its plan: the save and its log need
    # both, and would otherwise read them again.
    this_session.activity = current
    status, saved, error = 200, None, ""
    if request.method == "POST":
        version = version_parse(request.POST.get("version"))
        try:
            ids = [int(pk) for pk in request.POST.getlist("present")]
            if version is None:
                # A page from before versions, or a post made by hand.
                status = 400
                error = _(
                    "Fremmødet blev ikke gemt, fordi siden var forældet. Listen "
                    "viser nu det gemte fremmøde; sæt dine flueben igen, og gem."
                )
            else:
                saved = services.session_attendance_set(
                    session=this_session,
                    participant_ids=ids,
                    user=request.user,
                    version=version,
                )
        except VersionConflict as conflict:
            status = 409
            this_session.version = conflict.version
            error = (
                _(
                    "Fremmødet blev ikke gemt: en anden har gemt fremmødet "
                    "%(when)s, efter du åbnede siden. Listen viser nu det, de "
                    "gemte; sæt dine flueben igen, og gem."
                )
                % {"when": conflict.when}
                if conflict.when
                else _(
                    "Fremmødet blev ikke gemt: en anden har gemt fremmødet, "
                    "efter du åbnede siden. Listen viser nu det, de gemte; sæt "
                    "dine flueben igen, og gem."
                )
            )
        except (ValueError, ValidationError):
            status = 400
            error = _("Fremmødet blev ikke gemt: en deltager er ikke på listen.")
        if saved is not None and not _is_htmx(request):
            messages.success(
                request,
                _("Fremmødet er gemt: %(n)s til stede.") % {"n": saved.present},
            )
            return redirect(_url("session", current, this_session.pk))
    _log_view(request, current, object_type="session", object_id=this_session.pk)
    context = {
        "activity": current,
        "session": this_session,
        "roster": selectors.session_roster(session=this_session),
        "saved": saved,
        "error": error,
    }
    template = (
        "registrations/_attendance_form.html"
        if _is_htmx(request)
        else "registrations/session.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_safe
@logged_origin
def participant_list(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """The activity's participants; a search looks in the whole plan and
    needs a purpose, logged with each participant it shows."""
    current = _activity(request, plan, activity)
    search = ParticipantSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    lookup = _lookup_form(request, request.GET if query else None)
    page, lookup_query = None, ""
    if not query:
        page = selectors.participants_page(
            activity=current, page=request.GET.get("side", 1)
        )
        _log_view(request, current, object_type="participant_list")
    elif lookup.is_valid():
        purpose, note = lookup.purpose()
        page = selectors.participants_page(
            activity=current, query=query, page=request.GET.get("side", 1)
        )
        access_log(
            user=request.user,
            plan=current.plan,
            action=Action.SEARCH,
            participants=page.object_list,
            object_type="participant",
            purpose=purpose,
            purpose_note=note,
        )
        request.session[LAST_PURPOSE] = {"formaal": purpose}
        lookup_query = urlencode({"formaal": purpose, "begrundelse": note})
    context = {
        "activity": current,
        "search": search,
        "lookup": lookup,
        "query": query,
        "page": page,
        "lookup_query": lookup_query,
    }
    template = (
        "registrations/_participant_results.html"
        if _is_htmx(request)
        else "registrations/participants.html"
    )
    return render(request, template, context)


@login_required
@get_and_post
@logged_origin
def participant_add(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """A new participant, enrolled in a course in the same form."""
    current = _activity(request, plan, activity)
    initial = {}
    if "forloeb" in request.GET:
        initial["course"] = request.GET["forloeb"]
    form = ParticipantForm(
        request.POST or None, plan=current.plan, activity=current, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household_mode = data["household"]
        participant = services.participant_create(
            plan=current.plan,
            user=request.user,
            initials=data["initials"],
            birth_year=data["birth_year"],
            sex=data["sex"],
            area=data["area"],
            new_household=household_mode == ParticipantForm.HOUSEHOLD_NEW,
            household=data["existing_household"],
            household_of=data["household_of"],
            course=data["course"],
            role=data["role"],
            start=data["start"],
        )
        course = data["course"]
        if course is not None:
            messages.success(
                request,
                _("%(code)s er oprettet og skrevet op på %(course)s.")
                % {"code": participant.code, "course": course.name},
            )
            return redirect(_url("course", current, course.pk))
        messages.success(
            request, _("%(code)s er oprettet.") % {"code": participant.code}
        )
        return redirect(_url("participant", current, participant.pk))
    return render(
        request,
        "registrations/participant_add.html",
        {"activity": current, "form": form},
    )


@login_required
@get_and_post
@logged_origin
def participant_detail(
    request: HttpRequest, plan: str, activity: str, participant: int
) -> HttpResponse:
    """A participant's enrolments in this activity; posting enrols them in
    one more of its courses. Someone who is not in the activity is a
    look-up: shown only with a purpose (carried over from the search)."""
    current = _activity(request, plan, activity)
    person = get_object_or_404(
        Participant.objects.select_related("area", "household"),
        plan=current.plan,
        pk=participant,
    )
    purpose, note = Purpose.ACTIVITY.value, ""
    in_activity = (
        selectors.activity_participants(activity=current).filter(pk=person.pk).exists()
    )
    if not in_activity:
        lookup = _lookup_form(
            request, request.GET if "formaal" in request.GET else None
        )
        if lookup.is_valid():
            purpose, note = lookup.purpose()
        elif (
            request.method == "POST"
            and EnrolForm(request.POST, activity=current, participant=person).is_valid()
        ):
            # Enrolling them is the purpose of the look-up; a POST that
            # enrols nobody (only the CSRF token, a course of another
            # activity) is no purpose, and shows nothing.
            purpose = Purpose.ENROL.value
        else:
            return render(
                request,
                "registrations/lookup_purpose.html",
                {"activity": current, "form": lookup},
            )
    form = EnrolForm(request.POST or None, activity=current, participant=person)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        services.enrolment_create(
            course=course,
            participant=person,
            role=form.cleaned_data["role"],
            start=form.cleaned_data["start"],
            user=request.user,
        )
        messages.success(
            request,
            _("%(code)s er skrevet op på %(course)s.")
            % {"code": person.code, "course": course.name},
        )
        return redirect(_url("participant", current, person.pk))
    _log_view(
        request,
        current,
        object_type="participant",
        object_id=person.pk,
        participants=[person],
        purpose=purpose,
        note=note,
    )
    return render(
        request,
        "registrations/participant.html",
        {
            "activity": current,
            "participant": person,
            "enrolments": selectors.participant_enrolments(
                participant=person, activity=current
            ),
            "form": form,
        },
    )


def _enrolment(activity: Activity, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("course", "participant"),
        course__activity=activity,
        pk=pk,
    )


def _enrolment_page(
    request: HttpRequest,
    activity: Activity,
    enrolment: Enrolment,
    *,
    outcome_form: OutcomeForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    _log_view(
        request,
        activity,
        object_type="enrolment",
        object_id=enrolment.pk,
        participants=[enrolment.participant],
    )
    return render(
        request,
        "registrations/enrolment.html",
        {
            "activity": activity,
            "enrolment": enrolment,
            "outcome_form": outcome_form or OutcomeForm(enrolment=enrolment),
            "follow_up_form": follow_up_form or FollowUpForm(enrolment=enrolment),
            "follow_ups": enrolment.follow_ups.order_by("due"),
            "responses": enrolment.responses.select_related("questionnaire").order_by(
                "questionnaire__name", "phase"
            ),
            "questionnaires": Questionnaire.objects.filter(activity=activity),
        },
    )


@login_required
@get_and_post
@logged_origin
def enrolment_detail(
    request: HttpRequest, plan: str, activity: str, enrolment: int
) -> HttpResponse:
    """An enrolment: posting records its outcome and individual goal."""
    current = _activity(request, plan, activity)
    this = _enrolment(current, enrolment)
    if request.method == "POST":
        form = OutcomeForm(request.POST, enrolment=this)
        if form.is_valid():
            services.enrolment_outcome_set(
                enrolment=this,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                end=form.cleaned_data["end"],
                goal_set=form.cleaned_data["goal_set"],
                goal_reached=form.cleaned_data["goal_reached"],
            )
            messages.success(request, _("Resultatet er gemt."))
            return redirect(_url("enrolment", current, this.pk))
        return _enrolment_page(request, current, this, outcome_form=form)
    return _enrolment_page(request, current, this)


@login_required
@require_http_methods(["POST"])
@logged_origin
def follow_up_add(
    request: HttpRequest, plan: str, activity: str, enrolment: int
) -> HttpResponse:
    current = _activity(request, plan, activity)
    this = _enrolment(current, enrolment)
    form = FollowUpForm(request.POST, enrolment=this)
    if not form.is_valid():
        return _enrolment_page(request, current, this, follow_up_form=form)
    services.follow_up_record(enrolment=this, user=request.user, **form.cleaned_data)
    messages.success(request, _("Opfølgningen er gemt."))
    return redirect(_url("enrolment", current, this.pk))


@login_required
@get_and_post
@logged_origin
def response_add(
    request: HttpRequest,
    plan: str,
    activity: str,
    enrolment: int,
    questionnaire: int,
) -> HttpResponse:
    """A questionnaire answered before or after the course."""
    current = _activity(request, plan, activity)
    this = _enrolment(current, enrolment)
    template = get_object_or_404(Questionnaire, activity=current, pk=questionnaire)
    form = ResponseForm(request.POST or None, questionnaire=template)
    if request.method == "POST" and form.is_valid():
        services.response_record(
            enrolment=this,
            questionnaire=template,
            user=request.user,
            phase=form.cleaned_data["phase"],
            date=form.cleaned_data["date"],
            answers=form.answers(),
        )
        messages.success(request, _("Besvarelsen er gemt."))
        return redirect(_url("enrolment", current, this.pk))
    _log_view(
        request,
        current,
        object_type="enrolment",
        object_id=this.pk,
        participants=[this.participant],
    )
    return render(
        request,
        "registrations/response.html",
        {
            "activity": current,
            "enrolment": this,
            "questionnaire": template,
            "form": form,
        },
    )


@login_required
@get_and_post
def commentary(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """The team's commentary on the activity, per tertial and per year
    (shown in the reports for that period)."""
    current = _activity(request, plan, activity)
    initial_period = request.GET.get("periode", "")
    existing = {c.period: c for c in current.commentaries.all()}
    form = CommentaryForm(
        request.POST or None,
        periods=activity_commentary_periods(current),
        initial={
            "period": initial_period,
            "text": existing[initial_period].text if initial_period in existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        services.commentary_save(
            activity=current,
            period=form.cleaned_data["period"],
            text=form.cleaned_data["text"],
            user=request.user,
        )
        messages.success(request, _("Kommentaren er gemt."))
        return redirect(_url("commentary", current))
    return render(
        request,
        "registrations/commentary.html",
        {
            "activity": current,
            "form": form,
            "commentaries": selectors.commentary_items(current.commentaries.all()),
        },
    )


@login_required
@get_and_post
@logged_origin
def evidence(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """Photos and documents behind the activity; upload one."""
    current = _activity(request, plan, activity)
    form = EvidenceForm(request.POST or None, request.FILES or None, activity=current)
    refusal = upload_refusal(request) if request.method == "POST" else None
    if refusal is not None:
        form.add_error("file", refusal)
    elif request.method == "POST" and form.is_valid():
        try:
            evidence_upload(
                activity=current,
                data=form.cleaned_data["file"].read(),
                description=form.cleaned_data["description"],
                consent=form.cleaned_data["consent"],
                session=form.cleaned_data["session"],
                criterion=form.cleaned_data["criterion"],
                user=request.user,
            )
        except EvidenceFileError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Filen er gemt."))
            return redirect(_url("evidence", current))
    return render(
        request,
        "registrations/evidence.html",
        {
            "activity": current,
            "form": form,
            "files": Evidence.objects.filter(activity=current).select_related(
                "session", "criterion"
            ),
        },
    )


@login_required
@download_limited
@require_safe
@logged_origin
def evidence_file(
    request: HttpRequest, plan: str, activity: str, evidence: int
) -> HttpResponse:
    """An evidence file, downloaded (a photo may show participants)."""
    current = _activity(request, plan, activity)
    found = get_object_or_404(Evidence, activity=current, pk=evidence)
    _log_view(request, current, object_type="evidence", object_id=found.pk)
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=True
    )
    response["Content-Disposition"] = (
        f'attachment; filename="dokumentation-{found.pk}.{found.extension}"'
    )
    return response


@login_required
@download_limited
@require_safe
def import_template(request: HttpRequest, plan: str) -> HttpResponse:
    """The plan's empty import workbook, for a user who registers in it."""
    activities = activities_for(request.user).filter(plan__slug=plan)
    first = activities.select_related("plan").first()
    if first is None:
        raise Http404
    response = HttpResponse(
        registrations_template(plan=first.plan),
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{first.plan.slug}-registreringer-skabelon.xlsx"'
    )
    return response


@login_required
@get_and_post
def open_session_add(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """A session without a course (an open event), with a head count."""
    current = _activity(request, plan, activity)
    form = OpenSessionForm(request.POST or None, activity=current)
    if request.method == "POST" and form.is_valid():
        session = services.open_session_create(
            activity=current,
            date=form.cleaned_data["date"],
            theme=form.cleaned_data["theme"],
            headcount=form.cleaned_data["headcount"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            user=request.user,
        )
        messages.success(request, _("Mødegangen er gemt."))
        return redirect(_url("session", current, session.pk))
    return render(
        request, "registrations/open_session.html", {"activity": current, "form": form}
    )

"""The staff's planning pages: a new course for a new term (or a copy of
last term's with its participants), its sessions as a weekly series, and
a session moved, corrected, cancelled or deleted.

Objects are looked up through the activities the user may register for
(404 otherwise), as on the other staff pages. A change of a session
carries the version it was opened at: a stale one answers 409 with the
session as it is now, and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from fremdrift.audit.context import logged_origin
from fremdrift.base.versioning import VersionConflict
from fremdrift.plans.models import Activity
from fremdrift.registrations import planning
from fremdrift.registrations.course_forms import (
    CourseCopyForm,
    CourseForm,
    SessionEditForm,
    SessionSeriesForm,
    VersionForm,
)
from fremdrift.registrations.models import Course, Session

from .views import _activity, _log_view, _url, get_and_post

post_only = require_http_methods(["POST"])


def _course(activity: Activity, pk: int) -> Course:
    return get_object_or_404(Course, activity=activity, pk=pk)


def _session(activity: Activity, pk: int) -> Session:
    found = get_object_or_404(
        Session.objects.select_related("course"), activity=activity, pk=pk
    )
    # The activity as read with its plan: the checks and logs need both.
    found.activity = activity
    return found


@login_required
@get_and_post
def course_add(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """A new course of the activity; then its sessions are planned."""
    current = _activity(request, plan, activity)
    form = CourseForm(request.POST or None, activity=current)
    if request.method == "POST" and form.is_valid():
        course = planning.course_create(
            activity=current, user=request.user, **form.cleaned_data
        )
        messages.success(
            request, _("Forløbet %(name)s er oprettet.") % {"name": course.name}
        )
        return redirect(_url("session-series", current, course.pk))
    return render(
        request,
        "registrations/course_form.html",
        {"activity": current, "form": form, "source": None},
    )


@login_required
@get_and_post
@logged_origin
def course_copy(
    request: HttpRequest, plan: str, activity: str, course: int
) -> HttpResponse:
    """A copy of a course for a new term, with the participants ticked
    enrolled anew."""
    current = _activity(request, plan, activity)
    source = _course(current, course)
    form = CourseCopyForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = planning.course_copy(
            source=source,
            user=request.user,
            name=data["name"],
            start=data["start"],
            end=data["end"],
            participant_ids=data["participants"],
        )
        messages.success(
            request,
            ngettext(
                "Forløbet %(name)s er oprettet med %(n)s deltager.",
                "Forløbet %(name)s er oprettet med %(n)s deltagere.",
                len(data["participants"]),
            )
            % {"name": copy.name, "n": len(data["participants"])},
        )
        return redirect(_url("session-series", current, copy.pk))
    _log_view(
        request,
        current,
        object_type="course",
        object_id=source.pk,
        participants=[e.participant for e in source.enrolments.all()],
    )
    return render(
        request,
        "registrations/course_form.html",
        {"activity": current, "form": form, "source": source},
    )


@login_required
@get_and_post
def session_series(
    request: HttpRequest, plan: str, activity: str, course: int
) -> HttpResponse:
    """The course's sessions planned as a weekly series."""
    current = _activity(request, plan, activity)
    this_course = _course(current, course)
    form = SessionSeriesForm(request.POST or None, course=this_course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = planning.session_series_create(
            course=this_course,
            user=request.user,
            first=data["first"],
            last=data["last"],
            weekday=data["weekday"],
            every_weeks=data["every_weeks"],
            skipped=data["holidays"],
            duration_minutes=data["duration_minutes"],
            theme=data["theme"],
        )
        messages.success(
            request,
            ngettext(
                "%(n)s mødegang er planlagt.",
                "%(n)s mødegange er planlagt.",
                len(created),
            )
            % {"n": len(created)},
        )
        return redirect(_url("course", current, this_course.pk))
    return render(
        request,
        "registrations/session_series.html",
        {"activity": current, "course": this_course, "form": form},
    )


@login_required
@get_and_post
def session_edit(
    request: HttpRequest, plan: str, activity: str, session: int
) -> HttpResponse:
    """Move a session to another day, or correct its duration, theme or
    head count; cancel, reinstate or delete it from here."""
    current = _activity(request, plan, activity)
    this = _session(current, session)
    form = SessionEditForm(request.POST or None, session=this)
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.session_update(
                session=this,
                user=request.user,
                version=data["version"],
                date=data["date"],
                duration_minutes=data["duration_minutes"],
                theme=data["theme"],
                headcount=data.get("headcount"),
            )
        except VersionConflict as conflict:
            this.refresh_from_db()
            form = SessionEditForm(session=this)
            error = conflict.message()
            status = 409
        else:
            messages.success(request, _("Mødegangen er rettet."))
            return redirect(_url("session", current, this.pk))
    return render(
        request,
        "registrations/session_edit.html",
        {
            "activity": current,
            "session": this,
            "form": form,
            "error": error,
            "attendance": this.attendance.count(),
        },
        status=status,
    )


@login_required
@post_only
def session_cancel(
    request: HttpRequest, plan: str, activity: str, session: int
) -> HttpResponse:
    """Cancel the session (or, with ``genoptag``, reinstate it)."""
    current = _activity(request, plan, activity)
    this = _session(current, session)
    form = VersionForm(request.POST)
    reinstate = "genoptag" in request.POST
    if not form.is_valid():
        # A post made by hand, or a page from before versions.
        messages.error(request, _("Siden var forældet; prøv igen."))
        return render(
            request,
            "registrations/session_edit.html",
            {
                "activity": current,
                "session": this,
                "form": SessionEditForm(session=this),
                "error": "",
                "attendance": this.attendance.count(),
            },
            status=400,
        )
    try:
        planning.session_cancel(
            session=this,
            user=request.user,
            version=form.cleaned_data["version"],
            cancelled=not reinstate,
        )
    except VersionConflict as conflict:
        messages.error(request, conflict.message())
        return redirect(_url("session-edit", current, this.pk))
    except ValidationError:
        messages.error(
            request,
            _(
                "Mødegangen har registreret fremmøde og kan ikke aflyses. "
                "Fjern fremmødet først, eller slet mødegangen."
            ),
        )
        return redirect(_url("session-edit", current, this.pk))
    messages.success(
        request,
        _("Mødegangen er genoptaget.") if reinstate else _("Mødegangen er aflyst."),
    )
    return redirect(_url("session", current, this.pk))


@login_required
@get_and_post
@logged_origin
def session_delete(
    request: HttpRequest, plan: str, activity: str, session: int
) -> HttpResponse:
    """Delete a session: first a page that says how many attendance rows
    go with it, then the delete (refused with 409 if attendance changed
    in between)."""
    current = _activity(request, plan, activity)
    this = _session(current, session)
    form = VersionForm(request.POST or None, initial={"version": this.version})
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            removed = planning.session_delete(
                session=this, user=request.user, version=form.cleaned_data["version"]
            )
        except VersionConflict as conflict:
            this.refresh_from_db()
            form = VersionForm(initial={"version": this.version})
            error = conflict.message()
            status = 409
        else:
            messages.success(
                request,
                ngettext(
                    "Mødegangen er slettet med %(n)s registrering af fremmøde.",
                    "Mødegangen er slettet med %(n)s registreringer af fremmøde.",
                    removed,
                )
                % {"n": removed},
            )
            if this.course_id is not None:
                return redirect(_url("course", current, this.course_id))
            return redirect(_url("activity", current))
    _log_view(request, current, object_type="session", object_id=this.pk)
    return render(
        request,
        "registrations/session_delete.html",
        {
            "activity": current,
            "session": this,
            "form": form,
            "error": error,
            "attendance": this.attendance.count(),
            "files": this.evidence_files.count(),  # type: ignore[attr-defined]
        },
        status=status,
    )

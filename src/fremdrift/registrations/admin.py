"""The registrations in the admin: courses, sessions and questionnaires.

Participants, households, contacts, follow-ups, answers and enrolments are
personal data and are not in the admin at all: the team's own pages
(/registrering/) show them, each look for a stated purpose and in the
access log. The one exception is a session's attendance, saved with the
session as a whole (``VersionedAdmin``): opening a session here writes the
access log for every participant it shows, the superuser's look included.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from fremdrift.audit.context import origin_of
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.base.versioning import VersionedAdmin

from .models import (
    Attendance,
    Course,
    Questionnaire,
    QuestionnaireItem,
    Session,
)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "activity",
        "start",
        "end",
        "completion_rule",
        "completion_value",
    ]
    list_filter = ["activity__plan", "activity"]
    list_select_related = ["activity"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Session)
class SessionAdmin(VersionedAdmin):
    """A session and its attendance are saved together, and refused
    together when someone saved the session after the form was opened."""

    list_display = ["activity", "course", "date", "theme", "headcount"]
    list_filter = ["activity__plan", "activity"]
    list_select_related = ["activity", "course"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            session = self.get_object(request, object_id)
            if session is not None:
                self._attendance_seen(request, session)
        return response

    @staticmethod
    def _attendance_seen(request: HttpRequest, session: Session) -> None:
        """The participants the page shows, in the access log."""
        people = [
            a.participant
            for a in Attendance.objects.filter(session=session).select_related(
                "participant"
            )
        ]
        access_log(
            user=request.user,
            plan=session.activity.plan,
            action=AccessLogEntry.Action.VIEW,
            participants=people,
            object_type="session",
            object_id=session.pk,
            purpose=AccessLogEntry.Purpose.ATTENDANCE,
            origin=origin_of(request),
        )


class ItemInline(admin.TabularInline):
    model = QuestionnaireItem
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "activity"]
    inlines = [ItemInline]

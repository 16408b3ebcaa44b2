from __future__ import annotations

from django.contrib import admin

from fremdrift.base.versioning import VersionedAdmin

from .models import (
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


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["code", "initials", "birth_year", "area", "household"]
    list_filter = ["plan", "area"]
    list_select_related = ["area", "household"]
    search_fields = ["code", "initials"]
    readonly_fields = ["code"]


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["participant"]


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
    inlines = [EnrolmentInline]


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


class ItemInline(admin.TabularInline):
    model = QuestionnaireItem
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "activity"]
    inlines = [ItemInline]


admin.site.register(Household)
admin.site.register(Contact)
admin.site.register(FollowUp)
admin.site.register(Response)

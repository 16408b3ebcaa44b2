from __future__ import annotations

from django.contrib import admin

from .models import ActivityAssignment, PlanMembership, PlanSecurity


@admin.register(PlanMembership)
class PlanMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "role"]
    list_filter = ["role", "plan"]
    search_fields = ["user__username", "plan__name"]
    autocomplete_fields = ["user"]


@admin.register(ActivityAssignment)
class ActivityAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "activity"]
    list_filter = ["activity__plan"]
    search_fields = ["user__username", "activity__name"]
    autocomplete_fields = ["user"]


@admin.register(PlanSecurity)
class PlanSecurityAdmin(admin.ModelAdmin):
    """What a plan asks of its members when they log in; also set by the
    plan's administrator on the plan's own security page."""

    list_display = ["plan", "two_factor_required", "changed_at", "changed_by"]
    list_filter = ["two_factor_required"]
    readonly_fields = ["changed_at", "changed_by"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)

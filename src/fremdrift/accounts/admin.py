from __future__ import annotations

from django.contrib import admin

from .models import ActivityAssignment, PlanMembership


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

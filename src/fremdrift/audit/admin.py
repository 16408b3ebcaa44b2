"""The access log in the admin: read-only, like everywhere else. Retention
rules are edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLogEntry, AccessLogReview, RetentionRule


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Any | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Any | None = None
    ) -> bool:
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "username",
        "plan_slug",
        "action",
        "participant_id",
        "object_type",
        "object_id",
        "purpose",
    ]
    list_filter = ["action", "purpose", "plan_slug"]
    search_fields = ["username", "participant_ref", "path"]
    date_hierarchy = "at"


@admin.register(AccessLogReview)
class AccessLogReviewAdmin(ReadOnlyAdmin):
    list_display = ["entry", "at", "reviewer_name", "outcome"]
    list_filter = ["outcome"]


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["plan", "months", "decided_by", "decided_at"]

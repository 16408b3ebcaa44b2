from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(admin.ModelAdmin):
    """Issued reports are a record: they can be looked at, never edited."""

    list_display = ["title", "plan", "recipient", "issued_by", "issued_at", "format"]
    list_filter = ["plan", "kind", "format"]
    list_select_related = ["plan"]
    exclude = ["content", "snapshot"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

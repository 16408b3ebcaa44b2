from __future__ import annotations

from django.contrib import admin

from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = [
        "description",
        "plan",
        "activity",
        "consent",
        "content_type",
        "uploaded_at",
    ]
    list_filter = ["plan", "consent", "content_type"]
    list_select_related = ["plan", "activity"]
    readonly_fields = [
        "content_type",
        "extension",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ImportBatch, Indicator, Observation, ObservationChange


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "unit", "better", "plan"]
    list_filter = ["plan", "unit"]
    list_select_related = ["plan"]
    search_fields = ["name", "slug"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "population", "period", "value", "flags", "batch"]
    list_filter = ["indicator__plan", "indicator"]
    list_select_related = ["indicator", "population", "batch"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: an import is changed only by undoing it (in the web app or
    with ``fremdrift import_undo``), so that its history stays true."""

    list_display = [
        "pk",
        "plan",
        "file_name",
        "source",
        "imported_by_name",
        "imported_at",
        "created_count",
        "changed_count",
        "status",
    ]
    list_filter = ["plan", "source", "status"]
    list_select_related = ["plan"]
    search_fields = ["file_name", "sha256", "imported_by_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ImportBatch | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ImportBatch | None = None
    ) -> bool:
        return False


@admin.register(ObservationChange)
class ObservationChangeAdmin(admin.ModelAdmin):
    """The history of changed values; read-only."""

    list_display = ["observation", "old_value", "new_value", "batch", "line"]
    list_select_related = [
        "batch",
        "observation__indicator",
        "observation__population",
    ]
    list_filter = ["batch__plan"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ObservationChange | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ObservationChange | None = None
    ) -> bool:
        return False

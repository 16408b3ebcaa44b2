from __future__ import annotations

from django.contrib import admin

from .models import Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "unit", "better", "plan"]
    list_filter = ["plan", "unit"]
    list_select_related = ["plan"]
    search_fields = ["name", "slug"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "population", "period", "value", "flags"]
    list_filter = ["indicator__plan", "indicator"]
    list_select_related = ["indicator", "population"]

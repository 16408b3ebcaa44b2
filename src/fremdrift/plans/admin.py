from __future__ import annotations

from django.contrib import admin

from fremdrift.base.versioning import VersionedAdmin

from .models import (
    Activity,
    Area,
    Commentary,
    Criterion,
    Decision,
    EffortArea,
    FundingProject,
    Goal,
    Organisation,
    Plan,
    Population,
    ReportedValue,
    SizeRecord,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["order", "slug", "name"]


class EffortAreaInline(admin.TabularInline):
    model = EffortArea
    extra = 0
    fields = ["order", "slug", "name"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "start", "end", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug"]
    inlines = [AreaInline, EffortAreaInline]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "plan"]
    list_filter = ["kind", "plan"]
    list_select_related = ["plan"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "order"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    filter_horizontal = ["indicators"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


class CommentaryInline(admin.StackedInline):
    model = Commentary
    extra = 0
    fields = ["period", "text", "author"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "effort_area", "parent", "extended_to"]
    list_filter = ["plan", "effort_area"]
    list_select_related = ["effort_area", "parent"]
    search_fields = ["name", "slug"]
    inlines = [DecisionInline, CommentaryInline]


class ReportedValueInline(admin.TabularInline):
    model = ReportedValue
    extra = 0
    fields = ["period", "value", "numerator", "denominator", "note", "flags"]


@admin.register(Criterion)
class CriterionAdmin(VersionedAdmin):
    """Two people editing one criterion: the second save is refused with
    the time of the first, its reported values included."""

    list_display = ["ident", "kind", "unit", "reported_verdict", "plan"]
    list_filter = ["plan", "kind", "own_defined"]
    list_select_related = ["plan"]
    search_fields = ["ident", "text"]
    inlines = [ReportedValueInline]


admin.site.register(SizeRecord)
admin.site.register(FundingProject)

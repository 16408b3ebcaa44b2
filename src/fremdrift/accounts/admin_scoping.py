"""The admin keeps to the plans its user administers.

Django's admin permissions say what kind of row a staff account may list
and change (every participant, every activity), not whose: a plan
administrator of one plan with them would see and change every plan's
rows. ``VerifiedAdminSite.register`` therefore gives every ModelAdmin (and
its inlines) ``PlanScopedAdmin``, whatever app registers it:

- the rows listed, opened and changed are those of the plans the user
  administers (``policy.plans_administered_by``), found by the model's path
  to its plan (``plan_lookup``, the ModelAdmin's own or the shortest chain
  of foreign keys to ``Plan``); a row of no plan (accounts, tokens, devices,
  login attempts) is for superusers only;
- the rows a form offers to link to (a course's activity, an attendance's
  participant, typed in by id included) are scoped the same way;
- the filters list only the plans and rows the user sees.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.db.models import QuerySet
from django.forms import Field as FormField
from django.http import HttpRequest

from fremdrift.plans.models import Plan

from .policy import plans_administered_by

# How far to follow foreign keys looking for the plan (an observation
# change -> observation -> indicator -> plan is three).
MAX_DEPTH = 3
# The path that means "the row is the plan".
SELF = "pk"


@cache
def plan_lookup_for(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its plan (``"activity__plan"``), the
    shortest chain of forward foreign keys, a field named ``plan`` first;
    None for a model of no plan."""
    if model is Plan:
        return SELF
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _depth in range(MAX_DEPTH):
        following: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            fields = sorted(
                (
                    f
                    for f in current._meta.get_fields()
                    if f.concrete and (f.many_to_one or f.one_to_one)
                ),
                key=lambda f: f.name != "plan",
            )
            for field in fields:
                related = field.related_model
                if not isinstance(related, type):
                    continue
                path = f"{prefix}{field.name}"
                if related is Plan:
                    return path
                following.append((related, f"{path}__"))
        frontier = following
    return None


def scoped(
    queryset: QuerySet[Any], request: HttpRequest, lookup: str | None
) -> QuerySet[Any]:
    """``queryset`` limited to the plans ``request.user`` administers."""
    user = request.user
    if user.is_superuser and user.is_active:
        return queryset
    if lookup is None:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__in": plans_administered_by(user)})


class PlanScopedAdmin:
    """Mixed in before a ModelAdmin or an inline (see the module)."""

    model: type[models.Model]
    admin_site: admin.AdminSite
    # A ModelAdmin may name its path to the plan; else it is found.
    plan_lookup: str | None = None

    def _plan_lookup(self) -> str | None:
        return self.plan_lookup or plan_lookup_for(self.model)

    def _of_no_plan_for(self, request: HttpRequest) -> bool:
        """A row of no plan, and a user who is not a superuser."""
        return self._plan_lookup() is None and not request.user.is_superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return scoped(queryset, request, self._plan_lookup())

    def has_module_permission(self, request: HttpRequest) -> bool:
        allowed: bool = super().has_module_permission(request)  # type: ignore[misc]
        return allowed and not self._of_no_plan_for(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed: bool = super().has_view_permission(request, obj)  # type: ignore[misc]
        return allowed and not self._of_no_plan_for(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        allowed: bool = super().has_add_permission(request, *args)  # type: ignore[misc]
        return allowed and not self._of_no_plan_for(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed: bool = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and not self._of_no_plan_for(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed: bool = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and not self._of_no_plan_for(request)

    def _scoped_choices(
        self, related: type[models.Model], request: HttpRequest
    ) -> QuerySet[Any] | None:
        if request.user.is_superuser:
            return None
        lookup = plan_lookup_for(related)
        if lookup is not None:
            return scoped(related._default_manager.all(), request, lookup)
        # A row a plan points to (its organisation): those of the user's
        # plans only, so that a form names no other plan's.
        plans = plans_administered_by(request.user)
        for field in Plan._meta.concrete_fields:
            if field.is_relation and field.related_model is related:
                return related._default_manager.filter(
                    pk__in=plans.values(field.attname)
                )
        # Rows of no plan (a user, a device) are guarded by their own
        # admin, which only superusers reach.
        return None

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        choices = self._scoped_choices(db_field.related_model, request)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc, no-any-return]

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        choices = self._scoped_choices(db_field.related_model, request)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc, no-any-return]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return filters
        # A relation's filter lists only the rows the user sees (a plain
        # one would name every plan of the installation).
        return [
            (f, admin.RelatedOnlyFieldListFilter)
            if isinstance(f, str) and _is_relation(self.model, f)
            else f
            for f in filters
        ]


def _is_relation(model: type[models.Model], path: str) -> bool:
    try:
        return bool(get_fields_from_path(model, path)[-1].is_relation)
    except Exception:
        return False


def plan_scoped(admin_class: type[Any]) -> type[Any]:
    """``admin_class`` with ``PlanScopedAdmin`` mixed in, its inlines
    too (once: a class already scoped is returned as it is)."""
    if issubclass(admin_class, PlanScopedAdmin):
        return admin_class
    inlines = [plan_scoped(inline) for inline in getattr(admin_class, "inlines", [])]
    return type(
        admin_class.__name__,
        (PlanScopedAdmin, admin_class),
        {
            "__module__": admin_class.__module__,
            "__doc__": admin_class.__doc__,
            "__qualname__": admin_class.__qualname__,
            "inlines": inlines,
        },
    )

"""Optimistic concurrency for rows that people edit in forms: a criterion in
the admin, a session's attendance on the staff pages and through the API.

Such a row carries ``version`` (raised by one on every change) and
``changed_at``. An edit form carries the version it was opened at; its
save is one conditional update,

    UPDATE ... SET version = version + 1, changed_at = now
    WHERE id = %s AND version = %s

made before anything else of the save is written and in the same
transaction. When no row matches, someone saved in between: nothing is
written and the user is told when, instead of their save silently
replacing the other one. On PostgreSQL the update waits for a concurrent
save of the same row to commit and then finds the raised version; on
SQLite, transactions are IMMEDIATE (settings.py), so saves run one after
the other.

Not django-concurrency: its releases declare support up to Django 5.1, not
the 5.2 this project runs on; it works by overriding the private
``Model._do_update`` (whose signature Django 6.0 changed, breaking it:
saxix/django-concurrency#261); and it guards one ``Model.save()``, while
a session's save is its attendance rows, which are never saved through
the session. The check itself is the one update above.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CONFLICT = "conflict"
# The largest value the version column holds (PositiveIntegerField: a
# 32-bit integer on PostgreSQL).
MAX_VERSION = 2**31 - 1


class VersionConflict(Exception):
    """The row was changed after the form was opened: ``version`` and
    ``changed_at`` are the row's now."""

    def __init__(self, *, version: int, changed_at: datetime.datetime | None) -> None:
        self.version = version
        self.changed_at = changed_at
        super().__init__(f"changed to version {version} at {changed_at}")

    @property
    def when(self) -> str:
        """``kl. 14:32`` (local time), with the day when it was not today;
        empty for a row changed before it had a time."""
        if self.changed_at is None:
            return ""
        local = timezone.localtime(self.changed_at)
        time = _("kl. %(time)s") % {"time": local.strftime("%H:%M")}
        if local.date() == timezone.localdate():
            return time
        return _("den %(day)s %(time)s") % {
            "day": date_format(local.date(), "j. F Y"),
            "time": time,
        }

    def message(self) -> str:
        """The form error: who, when, and what to do."""
        if not self.when:
            return _(
                "En anden har gemt en ændring, efter du åbnede siden. Det, du "
                "sendte, er ikke gemt. Genindlæs siden for at se ændringen, og "
                "gem så dine ændringer igen."
            )
        return _(
            "En anden har gemt en ændring %(when)s, efter du åbnede siden. "
            "Det, du sendte, er ikke gemt. Genindlæs siden for at se "
            "ændringen, og gem så dine ændringer igen."
        ) % {"when": self.when}


def _current(model: type[models.Model], pk: object) -> VersionConflict:
    row = model._default_manager.filter(pk=pk).values("version", "changed_at").first()
    if row is None:
        raise model.DoesNotExist(f"{model.__name__} {pk} was deleted")  # type: ignore[attr-defined]
    return VersionConflict(version=row["version"], changed_at=row["changed_at"])


def version_claim(
    model: type[models.Model], *, pk: object, version: int
) -> tuple[int, datetime.datetime]:
    """Raise the row's version from ``version`` by one in one conditional
    update, or raise ``VersionConflict`` (and write nothing) when the row
    is no longer at ``version``. Call it inside the save's transaction,
    before the save writes anything else: on PostgreSQL the row then stays
    locked against other claims until the save commits. Returns the new
    version and change time, for the object in hand."""
    now = timezone.now()
    matched = model._default_manager.filter(pk=pk, version=version).update(
        version=F("version") + 1, changed_at=now
    )
    if matched == 0:
        raise _current(model, pk)
    return version + 1, now


def versions_bump(queryset: models.QuerySet[Any]) -> int:
    """Raise the version of every row in ``queryset``: for writers without
    a form (the plan loader, the registrations import, the retention run),
    so that a form opened before them is refused instead of undoing them."""
    return queryset.update(version=F("version") + 1, changed_at=timezone.now())


def version_parse(value: object) -> int | None:
    """A posted version: a whole number the column can hold, or None."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= MAX_VERSION else None


# -- the admin -----------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that carries the row's version, hidden, from the page
    it was opened on. (Not named ``version``: the admin refuses a form
    field named like a model field that is not editable.)"""

    opened_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None:
            return data
        # A first, friendly check; the save's conditional update is the one
        # that counts (VersionedAdmin.save_model).
        current = _current(type(self.instance), self.instance.pk)
        if data.get("opened_version") != current.version:
            raise forms.ValidationError(current.message(), code=CONFLICT)
        return data


class VersionedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose change form refuses a save when the row changed
    after the form was opened (409, the form error on top), its inlines
    included: the claim comes before the row and its inlines are saved,
    inside the admin's transaction."""

    form = VersionedModelForm

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        return fields if "opened_version" in fields else [*fields, "opened_version"]

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        if change:
            obj.version, obj.changed_at = version_claim(
                type(obj), pk=obj.pk, version=form.cleaned_data["opened_version"]
            )
        super().save_model(request, obj, form, change)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except VersionConflict:
            # Another save committed between this form's check and its
            # claim; the admin's transaction is rolled back. Shown again,
            # the form's check now finds the newer version and says so.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        response = super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
        form = context.get("adminform")
        errors = form.form.non_field_errors().as_data() if form is not None else []
        if any(error.code == CONFLICT for error in errors):
            response.status_code = 409
        return response

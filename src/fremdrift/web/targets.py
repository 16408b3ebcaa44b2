"""Revising one criterion's target (justeret mål), by the plan's
coordinators and plan administrators: the new target, the day it is in
force from and the reason. The target it replaces is kept, and the work
is the service's (``planfiles.services.criterion_target_revise``), so a
plan editor can offer the same form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError as SchemaError

from fremdrift.accounts.policy import is_plan_member, may_edit_plan
from fremdrift.base.versioning import MAX_VERSION, VersionConflict
from fremdrift.core.i18n import use_language
from fremdrift.core.model import (
    CriterionKind,
    CriterionSpec,
    EveryPeriodTarget,
    HoldBaselineTarget,
    IncreaseByTarget,
    NoTarget,
    NumberTarget,
    RangeTarget,
    Target,
    TargetChange,
    Unit,
)
from fremdrift.core.report_blocks import describe_target, describe_target_change
from fremdrift.core.targets import (
    TARGET_TYPES,
    target_fields,
    target_from_json,
)
from fremdrift.planfiles.schema import TARGET_FILES, target_of_kind
from fremdrift.planfiles.services import criterion_target_revise
from fremdrift.plans.models import Criterion, Plan
from fremdrift.plans.selectors import plan_queryset
from fremdrift.registrations.forms import DateInput, StaffForm

# The form's label for each key of a target (core.targets.KEY_ORDER).
KEY_LABELS = {
    "number": gettext_lazy("Nyt mål"),
    "min": gettext_lazy("Nyt mål, mindst"),
    "max": gettext_lazy("Nyt mål, højst"),
    "relative": gettext_lazy("Relativ ændring (0,1 for 10 %)"),
    "absolute": gettext_lazy("Ændring i kriteriets enhed"),
    "threshold": gettext_lazy("Rapportens tærskel (kan udelades)"),
    "tolerance": gettext_lazy("Tolerance i kriteriets enhed"),
    "relative_tolerance": gettext_lazy("Relativ tolerance (0,1 for 10 %)"),
    "at_least": gettext_lazy("Mindst i hver periode"),
    "at_most": gettext_lazy("Højst i hver periode"),
}
# What a target that does not hold together is told, by its type.
WHOLE_TARGET_PROBLEMS = {
    RangeTarget: gettext_lazy("Mindst må ikke være større end højst."),
    IncreaseByTarget: gettext_lazy(
        "Udfyld enten den relative eller den absolutte ændring, ikke begge."
    ),
    HoldBaselineTarget: gettext_lazy(
        "Udfyld enten tolerancen eller den relative tolerance, ikke begge."
    ),
    EveryPeriodTarget: gettext_lazy(
        "Udfyld enten mindst eller højst i hver periode, ikke begge."
    ),
}


class TargetRevisionForm(StaffForm):
    """A criterion's new target (one field per key its kind takes), the day
    it is in force from and the reason; the criterion's version hidden."""

    in_force_from = forms.DateField(
        label=gettext_lazy("Gælder fra"),
        widget=DateInput(),
        error_messages={
            "required": gettext_lazy("Skriv den dato, det nye mål gælder fra."),
            "invalid": gettext_lazy("Skriv datoen som dd.mm.åååå, fx 01.03.2024."),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy(
            "Vises i rapporterne under succeskriteriet sammen med det gamle og "
            "det nye mål."
        ),
        error_messages={"required": gettext_lazy("Skriv, hvorfor målet ændres.")},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION
    )

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        self.criterion = criterion
        self.kind = CriterionKind(criterion.kind)
        current = target_from_json(self.kind, criterion.target)
        kwargs.setdefault(
            "initial", {"version": criterion.version, **target_fields(current)}
        )
        super().__init__(*args, **kwargs)
        target_fields_first: dict[str, forms.Field] = {}
        model = TARGET_FILES[self.kind]
        for key, info in model.model_fields.items():
            required = info.is_required()
            target_fields_first[key] = forms.DecimalField(
                label=KEY_LABELS[key],
                required=required,
                localize=True,
                max_digits=20,
                decimal_places=6,
                error_messages={
                    "required": _("Skriv det nye mål."),
                    "invalid": _("Skriv et tal, fx 40 eller 12,5."),
                    "max_digits": _("Tallet er for stort."),
                    "max_decimal_places": _("Skriv højst 6 decimaler."),
                },
            )
        self.target_keys = list(target_fields_first)
        self.fields = {**target_fields_first, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = [key for key in self.target_keys if key not in self.errors]
        if len(keys) < len(self.target_keys):
            return data
        given: dict[str, Decimal] = {
            key: data[key] for key in keys if data.get(key) is not None
        }
        value: object = given
        if TARGET_TYPES[self.kind] is NumberTarget:
            value = given.get("number")
        try:
            data["target"] = target_of_kind(self.kind, value)
        except SchemaError as error:
            self._target_problems(error)
        return data

    def _target_problems(self, error: SchemaError) -> None:
        """The plan folder's verdict on the target, in Danish on the field
        at fault (the first target field for the target as a whole)."""
        target_type = TARGET_TYPES[self.kind]
        for item in error.errors():
            loc = [step for step in item["loc"] if step in self.target_keys]
            if loc and loc[0] in ("relative", "relative_tolerance"):
                self.add_error(
                    str(loc[0]),
                    _("Skriv en brøk over 0 og under 10, fx 0,1 for 10 %."),
                )
            elif loc:
                self.add_error(str(loc[0]), _("Målet passer ikke til kriteriets type."))
            else:
                message = WHOLE_TARGET_PROBLEMS.get(
                    target_type, gettext_lazy("Målet passer ikke til kriteriets type.")
                )
                self.add_error(self.target_keys[-1], str(message))

    @property
    def target(self) -> Target:
        target: Target = self.cleaned_data["target"]
        return target

    @property
    def target_bound_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.target_keys]

    @property
    def other_bound_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.fields if key not in self.target_keys]


def _criterion(plan: Plan, ident: str) -> Criterion:
    criterion: Criterion = get_object_or_404(
        Criterion.objects.select_related("plan", "activity", "indicator"),
        plan=plan,
        ident=ident,
    )
    if TARGET_TYPES[CriterionKind(criterion.kind)] is NoTarget:
        raise Http404
    return criterion


def _service_errors(form: TargetRevisionForm, error: ValidationError) -> None:
    """The service's refusals on the form's fields ("target" on the last
    field of the target)."""
    for field, problems in error.message_dict.items():
        name = form.target_keys[-1] if field == "target" else field
        for problem in problems:
            form.add_error(name, problem)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def criterion_target(request: HttpRequest, slug: str, ident: str) -> HttpResponse:
    """Revise criterion ``ident``'s target, or see its earlier targets."""
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    # As for the plan folder: outside the plan 404, other members 403.
    if not is_plan_member(request.user, plan):
        raise Http404
    if not may_edit_plan(request.user, plan):
        raise PermissionDenied
    criterion = _criterion(plan, ident)
    form = TargetRevisionForm(
        request.POST if request.method == "POST" else None, criterion=criterion
    )
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                criterion_target_revise(
                    criterion=criterion,
                    target=form.target,
                    in_force_from=form.cleaned_data["in_force_from"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                    version=form.cleaned_data["version"],
                )
            except VersionConflict as conflict:
                # The criterion as it is now, in a fresh form: what was
                # typed was for the target as it was.
                criterion = _criterion(plan, ident)
                form = TargetRevisionForm(criterion=criterion)
                error = conflict.message()
                status = 409
            except ValidationError as refusal:
                _service_errors(form, refusal)
            else:
                messages.success(request, _("Målet er ændret."))
                return redirect(f"{plan.get_absolute_url()}#kriterie-{criterion.ident}")
    current, earlier = _target_texts(criterion)
    return render(
        request,
        "web/criterion_target.html",
        {
            "plan": plan,
            "criterion": criterion,
            "current": current,
            "earlier": earlier,
            "form": form,
            "error": error,
        },
        status=status,
    )


def _target_texts(criterion: Criterion) -> tuple[str, list[str]]:
    """The criterion's target in words ("mindst 40 familier") and one
    sentence per earlier revision, oldest first, in the page's language."""
    kind = CriterionKind(criterion.kind)
    spec = CriterionSpec(
        kind=kind,
        target=target_from_json(kind, criterion.target),
        unit=Unit(criterion.unit),
        unit_label=criterion.unit_label
        or (criterion.indicator.unit_label if criterion.indicator else ""),
    )
    with use_language("en" if translation.get_language() == "en" else "da"):
        current = describe_target(spec)
        earlier = [
            describe_target_change(
                spec,
                TargetChange(
                    in_force_from=revision.in_force_from,
                    previous=target_from_json(kind, revision.previous_target),
                    target=target_from_json(kind, revision.target),
                    reason=revision.reason,
                ),
            )
            for revision in criterion.target_revisions.all()
        ]
    return current, earlier


urlpatterns = [
    path(
        "planer/<slug:slug>/kriterier/<slug:ident>/maal/",
        criterion_target,
        name="criterion-target",
    ),
]

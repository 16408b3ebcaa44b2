"""The plan editor's pages (``/redigering/``): create a plan, and edit its
facts, areas, comparison populations, indicators, goals, effort areas,
activities, decisions, supplementary funding, criteria and their reported
values. Each page parses its form, asks the policy and calls one service
(``services``); what a save checks is what ``fremdrift load`` checks.

Coordinators and plan administrators of the plan (and superusers) reach
these pages (``may_edit_plan``; ``may_create_plan`` for a new plan): users
outside the plan get 404, other members 403, and each refusal goes to the
security log. The plan's structure holds no personal data, so nothing
here is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from fremdrift.accounts.policy import (
    is_plan_member,
    may_create_plan,
    may_edit_plan,
    organisations_for_new_plans,
)
from fremdrift.audit.security_log import authorization_denied
from fremdrift.base.versioning import VersionConflict
from fremdrift.planfiles.services import plan_to_data
from fremdrift.plans.models import Criterion, Plan

from . import services
from .forms import FORMS, CriterionForm, PartForm, PlanForm, ValueFormSet
from .parts import (
    PARENT_KINDS,
    PartNotFound,
    PartStale,
    fingerprint,
    locate,
    own_fields,
)
from .problems import NON_FIELD, field_problems
from .tree import PART_LABELS, plan_tree

Data = dict[str, Any]


def _editor_plan(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if not is_plan_member(request.user, plan):
        authorization_denied(request, status=404, reason="plan editor: not a member")
        raise Http404
    if not may_edit_plan(request.user, plan):
        authorization_denied(request, status=403, reason="plan editor: role")
        raise PermissionDenied
    return plan


def _choices(data: Data) -> dict[str, list[str]]:
    areas = [a["slug"] for a in data.get("areas", [])]
    return {
        "indicators": [i["slug"] for i in data.get("indicators", [])],
        "populations": areas + [p["slug"] for p in data.get("populations", [])],
        "areas": areas,
    }


def _form_kwargs(kind: str, data: Data) -> Data:
    choices = _choices(data)
    if kind == "criterion":
        return choices
    if kind in ("indicator", "goal"):
        return {"indicators": choices["indicators"]}
    return {}


def _conflict_message(error: PartStale | VersionConflict) -> str:
    """What a refused stale save says: the version's own words, or that
    the part changed while the form was open."""
    return error.message() if isinstance(error, VersionConflict) else _stale_message()


def _stale_message() -> str:
    return _(
        "En anden har gemt en ændring af denne del, efter du åbnede siden. Det, "
        "du sendte, er ikke gemt. Genindlæs siden for at se ændringen, og gem så "
        "dine ændringer igen."
    )


def _put_problems(form: Any, error: services.EditRefused) -> None:
    for problem in field_problems(error.problems, error.part_path, form.field_of):
        form.add_error(
            None if problem.field == NON_FIELD else problem.field, problem.message
        )


def _page(
    request: HttpRequest,
    plan: Plan | None,
    template: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    return render(
        request, f"editor/{template}", {"plan": plan, **context}, status=status
    )


# -- the plan ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """Create a plan from its facts."""
    if not may_create_plan(request.user):
        authorization_denied(request, status=403, reason="plan editor: may not create")
        raise PermissionDenied
    names = services.organisation_names(organisations_for_new_plans(request.user))
    if request.method == "GET":
        form = PlanForm(organisations=names)
        return _page(request, None, "plan_new.html", form=form)
    form = PlanForm(request.POST, organisations=names)
    if not form.is_valid():
        return _page(request, None, "plan_new.html", status=400, form=form)
    values = form.values()
    try:
        plan = services.plan_create(
            user=request.user,  # type: ignore[arg-type]
            organisation=form.cleaned_data["organisation"],
            values=values,
            other_activities=form.cleaned_data["other_activities"],
        )
    except services.SlugTaken:
        form.add_error("slug", _("Der findes allerede en plan med det kortnavn."))
        return _page(request, None, "plan_new.html", status=400, form=form)
    except services.EditRefused as error:
        _put_problems(form, error)
        return _page(request, None, "plan_new.html", status=400, form=form)
    messages.success(request, _("Planen er oprettet."))
    return redirect("editor:plan", slug=plan.slug)


@login_required
@require_safe
def plan_editor(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's parts, each with its edit, move and remove links."""
    plan = _editor_plan(request, slug)
    data, _rows = plan_to_data(plan)
    return _page(request, plan, "plan_editor.html", tree=plan_tree(data))


# -- a part --------------------------------------------------------------------


def _parent(request: HttpRequest, kind: str) -> tuple[str, str]:
    if kind not in PARENT_KINDS:
        return ("", "")
    under = request.GET.get("under", "")
    parent_kind, _sep, parent_key = under.partition(":")
    if parent_kind not in PARENT_KINDS[kind]:
        raise Http404
    return parent_kind, parent_key


def _criterion_version(plan: Plan, key: str) -> int | None:
    return (
        Criterion.objects.filter(plan=plan, ident=key)
        .values_list("version", flat=True)
        .first()
    )


def _save(
    plan: Plan,
    kind: str,
    key: str,
    form: PartForm,
    current: Data,
    parent: tuple[str, str],
) -> str:
    values = form.values()
    if kind == "criterion":
        return services.criterion_save(
            plan=plan,
            key=key,
            values=values,
            version=form.cleaned_data.get("opened_version"),
            parent=parent,
        )
    other = None
    if kind == "plan":
        values["organisation"] = current["organisation"]
        other = form.cleaned_data["other_activities"]
    return services.part_save(
        plan=plan,
        kind=kind,
        key=key,
        values=values,
        fingerprint=form.cleaned_data["fingerprint"],
        parent=parent,
        other_activities=other,
    )


def _part_page(
    request: HttpRequest, plan: Plan, kind: str, key: str, parent: tuple[str, str]
) -> HttpResponse:
    data, _rows = plan_to_data(plan)
    new = not key and kind not in ("plan", "funding")
    if new:
        current: Data = {}
        initial: Data = {}
        if parent[0]:
            try:
                locate(data, *parent)
            except PartNotFound:
                raise Http404 from None
    else:
        try:
            current = locate(data, kind, key).value
        except PartNotFound:
            raise Http404 from None
        initial = FORMS[kind].initial_of(own_fields(current))
        initial["fingerprint"] = fingerprint(current)
        if kind == "plan":
            initial["other_activities"] = data.get("other_activities", "")
        if kind == "criterion":
            initial["opened_version"] = _criterion_version(plan, key)
    form_class = FORMS[kind]
    kwargs = _form_kwargs(kind, data)
    if kind == "plan":
        kwargs["organisations"] = [current["organisation"]]
    context = {
        "kind": kind,
        "key": key,
        "label": PART_LABELS[kind],
        "new": new,
        "parent": parent,
        "current": current,
    }
    if request.method == "GET":
        form = form_class(initial=initial, new=new, **kwargs)
        return _page(request, plan, "part_form.html", form=form, **context)
    form = form_class(request.POST, initial=initial, new=new, **kwargs)
    if "_kind" in request.POST:
        # Without JavaScript, "Vis felterne" shows the chosen kind's target
        # fields; nothing is saved.
        form.errors.clear()
        return _page(
            request, plan, "part_form.html", form=form, refreshed=True, **context
        )
    if not form.is_valid():
        return _page(request, plan, "part_form.html", status=400, form=form, **context)
    try:
        saved = _save(plan, kind, key, form, current, parent)
    except (PartStale, VersionConflict) as error:
        message = _conflict_message(error)
        return _page(
            request,
            plan,
            "part_form.html",
            status=409,
            form=form,
            refused=message,
            **context,
        )
    except services.EditRefused as error:
        _put_problems(form, error)
        return _page(request, plan, "part_form.html", status=400, form=form, **context)
    messages.success(request, _("Ændringen er gemt."))
    url = reverse("editor:plan", kwargs={"slug": plan.slug})
    return redirect(f"{url}#{kind}-{saved}" if saved else url)


@login_required
@require_http_methods(["GET", "POST"])
def plan_facts(request: HttpRequest, slug: str) -> HttpResponse:
    return _part_page(request, _editor_plan(request, slug), "plan", "", ("", ""))


@login_required
@require_http_methods(["GET", "POST"])
def funding(request: HttpRequest, slug: str) -> HttpResponse:
    return _part_page(request, _editor_plan(request, slug), "funding", "", ("", ""))


@login_required
@require_http_methods(["GET", "POST"])
def part_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    plan = _editor_plan(request, slug)
    return _part_page(request, plan, kind, "", _parent(request, kind))


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    return _part_page(request, _editor_plan(request, slug), kind, key, ("", ""))


@login_required
@require_http_methods(["GET", "POST"])
def part_remove(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    """Ask, then remove the part and what it holds."""
    plan = _editor_plan(request, slug)
    data, _rows = plan_to_data(plan)
    try:
        current = locate(data, kind, key).value
    except PartNotFound:
        raise Http404 from None
    context = {
        "kind": kind,
        "key": key,
        "label": PART_LABELS[kind],
        "title": current.get("name") or current.get("text") or key,
        "fingerprint": fingerprint(current),
    }
    if request.method == "GET":
        return _page(request, plan, "part_remove.html", **context)
    try:
        services.part_remove(
            plan=plan,
            kind=kind,
            key=key,
            fingerprint=request.POST.get("fingerprint", ""),
        )
    except PartStale:
        return _page(
            request,
            plan,
            "part_remove.html",
            status=409,
            refused=_stale_message(),
            **context,
        )
    except services.EditRefused as error:
        problems = [
            p.message
            for p in field_problems(error.problems, [], lambda rest: NON_FIELD)
        ]
        return _page(
            request, plan, "part_remove.html", status=400, problems=problems, **context
        )
    messages.success(request, _("Det er slettet."))
    return redirect("editor:plan", slug=plan.slug)


@login_required
@require_POST
def part_move(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    """Move the part one place up or down in its list."""
    plan = _editor_plan(request, slug)
    offset = {"op": -1, "ned": 1}.get(request.POST.get("retning", ""))
    if offset is None:
        return HttpResponse(status=400)
    try:
        services.part_move(
            plan=plan,
            kind=kind,
            key=key,
            offset=offset,
            fingerprint=request.POST.get("fingerprint", ""),
        )
    except PartNotFound:
        raise Http404 from None
    except PartStale:
        messages.error(request, _stale_message())
        return redirect("editor:plan", slug=plan.slug)
    url = reverse("editor:plan", kwargs={"slug": plan.slug})
    return redirect(f"{url}#{kind}-{key}")


# -- a criterion's target fields and reported values ----------------------------


@login_required
@require_safe
def target_fields(request: HttpRequest, slug: str) -> HttpResponse:
    """The target fields of the kind chosen in the criterion form (htmx),
    with what was typed in them kept."""
    plan = _editor_plan(request, slug)
    form = CriterionForm(request.GET)
    return _page(request, plan, "_target_fields.html", form=form, fragment=True)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_values(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The reported values of a criterion, one row per period."""
    plan = _editor_plan(request, slug)
    data, _rows = plan_to_data(plan)
    try:
        criterion = locate(data, "criterion", key).value
    except PartNotFound:
        raise Http404 from None
    version = _criterion_version(plan, key)
    context = {"criterion": criterion, "key": key, "version": version}
    if request.method == "GET":
        formset = ValueFormSet(initial=criterion.get("values", []), prefix="v")
        return _page(request, plan, "criterion_values.html", formset=formset, **context)
    formset = ValueFormSet(request.POST, prefix="v")
    if not formset.is_valid():
        return _page(
            request,
            plan,
            "criterion_values.html",
            status=400,
            formset=formset,
            **context,
        )
    kept = [
        (form, form.values())
        for form in formset.forms
        if not form.cleaned_data.get("DELETE")
    ]
    kept = [(form, value) for form, value in kept if value is not None]
    try:
        services.reported_values_save(
            plan=plan,
            key=key,
            values=[value for _form, value in kept],
            version=_opened_version(request),
        )
    except (PartStale, VersionConflict) as error:
        message = _conflict_message(error)
        return _page(
            request,
            plan,
            "criterion_values.html",
            status=409,
            formset=formset,
            refused=message,
            **context,
        )
    except services.EditRefused as error:
        _values_problems(formset, [form for form, _value in kept], error)
        return _page(
            request,
            plan,
            "criterion_values.html",
            status=400,
            formset=formset,
            **context,
        )
    messages.success(request, _("De indberettede værdier er gemt."))
    url = reverse("editor:plan", kwargs={"slug": plan.slug})
    return redirect(f"{url}#criterion-{key}")


def _opened_version(request: HttpRequest) -> int | None:
    from fremdrift.base.versioning import version_parse

    return version_parse(request.POST.get("opened_version"))


def _values_problems(
    formset: Any, forms: list[Any], error: services.EditRefused
) -> None:
    import re

    for problem in field_problems(error.problems, error.part_path, lambda rest: rest):
        found = re.match(r"^values\[(\d+)\]\.?(\w*)", problem.field)
        if found and int(found.group(1)) < len(forms):
            form = forms[int(found.group(1))]
            name = found.group(2) if found.group(2) in form.fields else None
            form.add_error(name, problem.message)
        else:
            formset.forms[0].add_error(None, problem.message)

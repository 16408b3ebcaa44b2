"""The plan's area statistics in the web app: its imports, uploading a file
with a preview of what would change, confirming it, and undoing an import.

Only coordinators (and superusers) reach these pages: anonymous users are
sent to the login page, users of other plans get 404 (the plan's imports
are not theirs to know of), other members of the plan get 403.
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
from django.views.decorators.http import require_POST, require_safe

from fremdrift.accounts.policy import is_plan_member, may_import_statistics
from fremdrift.audit.ratelimits import download_limited
from fremdrift.base.uploads import upload_limit, upload_refusal
from fremdrift.plans.models import Plan

from .forms import (
    MAX_MAPPING_BYTES,
    MAX_UPLOAD_BYTES,
    ImportConfirmForm,
    ImportUploadForm,
)
from .models import ImportBatch
from .services import UndoRefused
from .template_file import (
    lbf_mapping_template,
    observations_template,
    statbank_mapping_template,
)
from .uploads import (
    Preview,
    observations_confirm,
    observations_preview,
    observations_undo,
    pending_forget,
    pending_recall,
    pending_remember,
    upload_keep,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATES = {
    "observationer.xlsx": (observations_template, XLSX),
    "mapping-statistikbanken.yaml": (statbank_mapping_template, "application/yaml"),
    "mapping-landsbyggefonden.yaml": (lbf_mapping_template, "application/yaml"),
}


def _plan_for_importer(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if not is_plan_member(request.user, plan):
        raise Http404
    if not may_import_statistics(request.user, plan):
        raise PermissionDenied
    return plan


def _list_page(
    request: HttpRequest, plan: Plan, form: ImportUploadForm, status: int = 200
) -> HttpResponse:
    batches = ImportBatch.objects.filter(plan=plan).select_related("imported_by")
    return render(
        request,
        "statistics/import_list.html",
        {"plan": plan, "batches": batches, "form": form, "templates": TEMPLATES},
        status=status,
    )


@login_required
@require_safe
def import_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_importer(request, slug)
    return _list_page(request, plan, ImportUploadForm())


@login_required
@download_limited
@require_safe
def import_template(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """The tidy template or a mapping template, filled in for the plan."""
    plan = _plan_for_importer(request, slug)
    if name not in TEMPLATES:
        raise Http404
    make, content_type = TEMPLATES[name]
    content: Any = make(plan=plan)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-{name}"'
    return response


# The file, its mapping and a megabyte for the form around them.
@upload_limit(MAX_UPLOAD_BYTES + MAX_MAPPING_BYTES + 1024 * 1024)
@login_required
@require_POST
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Recognise the file and dry-run its import: what it would do."""
    plan = _plan_for_importer(request, slug)
    form = ImportUploadForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal is not None:
        form.add_error("file", refusal)
        return _list_page(request, plan, form, status=413)
    if not form.is_valid():
        return _list_page(request, plan, form, status=400)
    upload = form.cleaned_data["file"]
    _sha, path = upload_keep(upload.chunks(), upload.name)
    mapping = form.cleaned_data.get("mapping_file")
    mapping_path = upload_keep(mapping.chunks(), ".yaml")[1] if mapping else None
    preview = observations_preview(
        plan=plan,
        user=request.user,
        path=path,
        display_name=upload.name,
        mapping=mapping_path,
    )
    if preview.field_errors:
        for name, message in preview.field_errors.items():
            form.add_error(name, message)
        return _list_page(request, plan, form, status=400)
    return _preview_page(request, plan, preview)


def _preview_page(
    request: HttpRequest, plan: Plan, preview: Preview, *, stale: bool = False
) -> HttpResponse:
    if preview.pending is not None:
        pending_remember(request.session, preview.pending)
    confirm = (
        ImportConfirmForm(initial={"token": preview.pending.token})
        if preview.pending is not None
        else None
    )
    result = preview.result
    status = 409 if stale else (200 if result is not None and result.ok else 422)
    return render(
        request,
        "statistics/import_preview.html",
        {
            "plan": plan,
            "preview": preview,
            "result": result,
            "confirm": confirm,
            "stale": stale,
        },
        status=status,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Import exactly what the preview showed, or refuse a stale preview
    and show the new one."""
    plan = _plan_for_importer(request, slug)
    form = ImportConfirmForm(request.POST)
    pending = (
        pending_recall(request.session, form.cleaned_data["token"], plan)
        if form.is_valid()
        else None
    )
    result = (
        observations_confirm(plan=plan, user=request.user, pending=pending)
        if pending is not None
        else None
    )
    if pending is None or result is None:
        messages.error(
            request,
            _("Forhåndsvisningen findes ikke længere. Upload filen igen."),
        )
        return redirect("statistics:import-list", slug=plan.slug)
    pending_forget(request.session, pending.token)
    if result.stale or not result.ok:
        again = observations_preview(
            plan=plan,
            user=request.user,
            path=pending.path,
            display_name=pending.file_name,
            mapping=pending.mapping_path if pending.mapping_uploaded else None,
        )
        return _preview_page(request, plan, again, stale=True)
    if result.batch is None:
        messages.info(
            request,
            _("Intet ændret: filen svarer til de tal, der allerede er indlæst."),
        )
        return redirect("statistics:import-list", slug=plan.slug)
    messages.success(
        request,
        _("Indlæst: %(new)s nye, %(changed)s ændrede og %(same)s uændrede tal.")
        % {"new": result.created, "changed": result.changed, "same": result.unchanged},
    )
    return redirect("statistics:import-detail", slug=plan.slug, pk=result.batch.pk)


@login_required
@require_safe
def import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan_for_importer(request, slug)
    batch = get_object_or_404(ImportBatch, plan=plan, pk=pk)
    changes = batch.changes.select_related(
        "observation__indicator", "observation__population"
    )[:500]
    return render(
        request,
        "statistics/import_detail.html",
        {"plan": plan, "batch": batch, "changes": changes},
    )


@login_required
@require_POST
def import_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _plan_for_importer(request, slug)
    batch = get_object_or_404(ImportBatch, plan=plan, pk=pk)
    try:
        touched = observations_undo(plan=plan, user=request.user, batch=batch)
    except UndoRefused:
        messages.error(request, _undo_refusal(batch))
    else:
        messages.success(
            request,
            _("Indlæsningen er fortrudt: %(count)s tal er sat tilbage eller fjernet.")
            % {"count": touched},
        )
    return redirect(reverse("statistics:import-list", kwargs={"slug": plan.slug}))


def _undo_refusal(batch: ImportBatch) -> str:
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.UNDONE:
        return _("Indlæsning %(pk)s er allerede fortrudt.") % {"pk": batch.pk}
    return _(
        "Indlæsning %(pk)s kan ikke fortrydes: en senere indlæsning har ændret "
        "de samme tal. Fortryd den senere først."
    ) % {"pk": batch.pk}

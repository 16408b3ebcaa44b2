"""The plan's area statistics in the web app: its imports, uploading a file
with a preview of what would change, confirming it, and undoing an import.

Only coordinators (and superusers) reach these pages: anonymous users are
sent to the login page, users of other plans get 404 (the plan's imports
are not theirs to know of), other members of the plan get 403.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from fremdrift.accounts.policy import is_plan_member, may_import_statistics
from fremdrift.plans.models import Plan

from .forms import MAPPINGS, ImportConfirmForm, ImportUploadForm
from .importers.base import ImportFileError, ImportProblem, Where
from .models import ImportBatch
from .services import ImportResult, UndoRefused, import_batch_undo, observations_import

PENDING = "pending-imports"


def _plan_for_importer(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if not is_plan_member(request.user, plan):
        raise Http404
    if not may_import_statistics(request.user, plan):
        raise PermissionDenied
    return plan


def _pending_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / PENDING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _keep_upload(upload: UploadedFile, suffix: str) -> tuple[str, Path]:
    """Write an upload to the pending folder under its SHA-256."""
    digest = hashlib.sha256()
    folder = _pending_dir()
    partial = folder / f"upload-{id(upload)}.part"
    with partial.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
    sha = digest.hexdigest()
    target = folder / f"{sha}{suffix}"
    partial.replace(target)
    return sha, target


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in {".csv", ".txt", ".xlsx", ".xlsm", ".bulk"} else ""


def _mapping_path(reference: str) -> Path | None:
    if not reference:
        return None
    if reference.endswith(".yaml") and "/" not in reference:
        return _pending_dir() / reference
    return MAPPINGS / f"{reference}.yaml"


@login_required
@require_safe
def import_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_importer(request, slug)
    batches = ImportBatch.objects.filter(plan=plan).select_related("imported_by")
    return render(
        request,
        "statistics/import_list.html",
        {"plan": plan, "batches": batches, "form": ImportUploadForm()},
    )


@login_required
@require_http_methods(["POST"])
def import_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Run the import as a dry run and show what it would do."""
    plan = _plan_for_importer(request, slug)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        batches = ImportBatch.objects.filter(plan=plan)
        return render(
            request,
            "statistics/import_list.html",
            {"plan": plan, "batches": batches, "form": form},
            status=400,
        )
    upload = form.cleaned_data["file"]
    suffix = _suffix(upload.name)
    sha, path = _keep_upload(upload, suffix)
    mapping_ref = form.cleaned_data.get("mapping_name") or ""
    if form.cleaned_data.get("mapping_file"):
        mapping_sha, _path = _keep_upload(form.cleaned_data["mapping_file"], ".yaml")
        mapping_ref = f"{mapping_sha}.yaml"
    result = _run(
        plan,
        request,
        path,
        upload.name,
        form.cleaned_data["source"],
        mapping_ref,
        dry_run=True,
    )
    confirm = ImportConfirmForm(
        initial={
            "sha256": sha,
            "suffix": suffix,
            "file_name": upload.name,
            "source": form.cleaned_data["source"],
            "mapping": mapping_ref,
        }
    )
    return render(
        request,
        "statistics/import_preview.html",
        {"plan": plan, "result": result, "confirm": confirm},
        status=200 if result.ok else 422,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_for_importer(request, slug)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    data = form.cleaned_data
    path = _pending_dir() / f"{data['sha256']}{data['suffix']}"
    if not path.is_file():
        messages.error(request, _("Filen er ikke længere til stede; upload den igen."))
        return redirect("statistics:import-list", slug=plan.slug)
    result = _run(
        plan,
        request,
        path,
        data["file_name"],
        data["source"],
        data["mapping"],
        dry_run=False,
    )
    if not result.ok:
        # The data changed between preview and confirmation; show why.
        return render(
            request,
            "statistics/import_preview.html",
            {"plan": plan, "result": result, "confirm": None},
            status=422,
        )
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


def _run(
    plan: Plan,
    request: HttpRequest,
    path: Path,
    name: str,
    source: str,
    mapping_ref: str,
    *,
    dry_run: bool,
) -> ImportResult:
    try:
        return observations_import(
            plan=plan,
            path=path,
            source=source,
            mapping=_mapping_path(mapping_ref),
            user=request.user,
            dry_run=dry_run,
            display_name=name,
        )
    except ImportFileError as error:
        result = ImportResult(file_name=name, sha256="", source=source, dry_run=dry_run)
        result.problems = error.problems or [ImportProblem(Where(name), str(error))]
        return result


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
        touched = import_batch_undo(batch=batch, user=request.user)
    except UndoRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Indlæsningen er fortrudt: %(count)s tal er sat tilbage eller fjernet.")
            % {"count": touched},
        )
    return redirect(reverse("statistics:import-list", kwargs={"slug": plan.slug}))

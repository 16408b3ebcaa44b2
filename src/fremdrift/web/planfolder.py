"""The plan folder in the browser: "Hent planen som mappe" downloads it as a
zip, and uploading a changed zip shows a preview of what it would create,
update and remove before "Anvend ændringerne" applies it.

Coordinators and plan administrators (and superusers) reach these pages
(``may_edit_plan``): users outside the plan get 404, other members 403.
The folder holds no personal data (the plan's structure and its area
statistics, no participants), so a download is not written to the access
log; it holds the team's working notes and unsuppressed small counts,
which only the team sees anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from fremdrift.accounts.policy import is_plan_member, may_edit_plan
from fremdrift.audit.ratelimits import download_limited
from fremdrift.base.uploads import upload_refusal
from fremdrift.planfiles.archive import (
    ZipRefused,
    pending_zip_discard,
    pending_zip_keep,
    pending_zip_read,
    plan_folder_zip,
)
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.preview import PlanPreview, value_text
from fremdrift.planfiles.problems_da import danish_problems
from fremdrift.planfiles.services import (
    FolderForOtherPlan,
    PreviewStale,
    plan_zip_apply,
    plan_zip_preview,
)
from fremdrift.plans.models import Plan

from .planfolder_forms import PlanFolderApplyForm, PlanFolderUploadForm

ACTIONS = {
    "created": gettext_lazy("Oprettes"),
    "updated": gettext_lazy("Ændres"),
    "removed": gettext_lazy("Slettes"),
}
# What a removal deletes with it, by model, as the team calls it.
CASCADE_NAMES = {
    "accounts.activityassignment": gettext_lazy("medarbejdertilknytninger"),
    "evidence.evidence": gettext_lazy("dokumentationsfiler"),
    "registrations.answer": gettext_lazy("svar på spørgeskemaer"),
    "registrations.attendance": gettext_lazy("fremmøderegistreringer"),
    "registrations.contact": gettext_lazy("kontakter"),
    "registrations.course": gettext_lazy("forløb"),
    "registrations.enrolment": gettext_lazy("tilmeldinger"),
    "registrations.followup": gettext_lazy("opfølgninger"),
    "registrations.questionnaire": gettext_lazy("spørgeskemaer"),
    "registrations.questionnaireitem": gettext_lazy("spørgsmål i spørgeskemaer"),
    "registrations.response": gettext_lazy("besvarelser"),
    "registrations.session": gettext_lazy("mødegange"),
}
VALUE_LIMIT = 300


def _plan_for_editor(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if not is_plan_member(request.user, plan):
        raise Http404
    if not may_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _folder_page(
    request: HttpRequest, plan: Plan, form: PlanFolderUploadForm, **context: Any
) -> HttpResponse:
    status = context.pop("status", 200)
    return render(
        request,
        "web/plan_folder.html",
        {"plan": plan, "form": form, **context},
        status=status,
    )


def preview_sections(preview: PlanPreview) -> list[dict[str, Any]]:
    """The preview as the page lists it: per kind, each object with what
    happens to it and its changed fields (old -> new)."""
    return [
        {
            "title": kind.title,
            "objects": [
                {
                    "key": change.key,
                    "action": change.action,
                    "action_label": ACTIONS[change.action],
                    "label": change.label,
                    "changes": [
                        (
                            c.field,
                            value_text(c.old, VALUE_LIMIT),
                            value_text(c.new, VALUE_LIMIT),
                        )
                        for c in change.changes
                    ],
                }
                for change in changes
            ],
        }
        for kind, changes in preview.by_kind()
    ]


def _cascades(preview: PlanPreview) -> list[tuple[int, Any]]:
    return [(c.count, CASCADE_NAMES.get(c.model, c.name)) for c in preview.cascades]


@login_required
@download_limited
@require_safe
def plan_folder_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan folder as ``<slug>.zip``: exactly what ``fremdrift dump``
    writes."""
    plan = _plan_for_editor(request, slug)
    response = HttpResponse(plan_folder_zip(plan=plan), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_folder_upload(request: HttpRequest, slug: str) -> HttpResponse:
    """The folder page, and an uploaded zip's preview."""
    plan = _plan_for_editor(request, slug)
    if request.method == "GET":
        return _folder_page(request, plan, PlanFolderUploadForm())
    form = PlanFolderUploadForm(request.POST, request.FILES)
    refusal = upload_refusal(request)
    if refusal is not None:
        form.add_error("file", refusal)
        return _folder_page(request, plan, form, status=413)
    if not form.is_valid():
        return _folder_page(request, plan, form, status=400)
    data = form.cleaned_data["file"].read()
    try:
        preview = plan_zip_preview(data=data, plan_slug=plan.slug)
    except ZipRefused as error:
        form.add_error("file", str(error))
        return _folder_page(request, plan, form, status=400)
    except FolderForOtherPlan as error:
        form.add_error("file", _other_plan(error))
        return _folder_page(request, plan, form, status=400)
    except PlanFileError as error:
        return _folder_page(
            request, plan, form, problems=danish_problems(error.problems), status=422
        )
    apply_form = PlanFolderApplyForm(
        initial={
            "sha256": pending_zip_keep(data=data),
            "fingerprint": preview.fingerprint,
        }
    )
    return render(
        request,
        "web/plan_folder_preview.html",
        {
            "plan": plan,
            "preview": preview,
            "counts": preview.counts(),
            "sections": preview_sections(preview),
            "cascades": _cascades(preview),
            "apply_form": apply_form,
            "file_name": form.cleaned_data["file"].name,
        },
    )


def _other_plan(error: FolderForOtherPlan) -> str:
    return _(
        "Mappen hører til planen “%(folder)s”, ikke til denne plan. Indlæs den "
        "på sin egen plans side."
    ) % {"folder": error.folder_slug}


@login_required
@require_POST
def plan_folder_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply a previewed upload, if the plan is as the preview found it."""
    plan = _plan_for_editor(request, slug)
    form = PlanFolderApplyForm(request.POST)
    if not form.is_valid():
        return _folder_page(
            request, plan, PlanFolderUploadForm(), refused=_gone(), status=400
        )
    sha256 = form.cleaned_data["sha256"]
    data = pending_zip_read(sha256=sha256)
    if data is None:
        return _folder_page(
            request, plan, PlanFolderUploadForm(), refused=_gone(), status=410
        )
    try:
        summary = plan_zip_apply(
            data=data, plan_slug=plan.slug, fingerprint=form.cleaned_data["fingerprint"]
        )
    except PreviewStale:
        refused = _(
            "Planen er ændret, efter forhåndsvisningen blev lavet, så ændringerne "
            "er ikke anvendt. Indlæs zip-filen igen for at se, hvad den nu vil ændre."
        )
        return _folder_page(
            request, plan, PlanFolderUploadForm(), refused=refused, status=409
        )
    except (ZipRefused, PlanFileError, FolderForOtherPlan):
        # It passed these checks at its preview; only a changed program
        # could refuse it now.
        return _folder_page(
            request, plan, PlanFolderUploadForm(), refused=_gone(), status=400
        )
    pending_zip_discard(sha256=sha256)
    if summary.changed:
        messages.success(request, _("Ændringerne er anvendt på planen."))
    else:
        messages.info(request, _("Mappen var magen til planen; intet er ændret."))
    return redirect("web:plan-folder", slug=plan.slug)


def _gone() -> str:
    return _("Den indlæste fil findes ikke længere på serveren. Indlæs zip-filen igen.")


# Included by web/urls.py under planer/<slug>/mappe/.
urlpatterns = [
    path("", plan_folder_upload, name="plan-folder"),
    path("hent/", plan_folder_download, name="plan-folder-download"),
    path("anvend/", plan_folder_apply, name="plan-folder-apply"),
]

"""Issuing a report from the web: the coordinator (or plan administrator)
chooses the report, previews it and issues it to a recipient with a note.
A PDF is typeset by a task worker (reports/issuing.py); the page waits for
it, polling with htmx as the download does."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fremdrift.accounts.policy import audience_for, may_download, may_issue_reports
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.plans.models import Plan
from fremdrift.plans.selectors import plan_queryset
from fremdrift.reports.assembly import ReportRequestError, plan_years, report_build
from fremdrift.reports.issuing import issue_request_create
from fremdrift.reports.models import IssueRequest
from fremdrift.reports.queue import FAULT, TOO_LARGE
from fremdrift.reports.renderers import html as html_renderer

from .forms import ReportForm
from .issuing_forms import IssueForm


def _plan_for_issuing(request: HttpRequest, slug: str) -> Plan:
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    if not may_issue_reports(request.user, plan):
        raise PermissionDenied
    return plan


def _form(request: HttpRequest, plan: Plan, data: Any = None) -> IssueForm:
    lang = "en" if translation.get_language() == "en" else "da"
    return IssueForm(
        data,
        years=plan_years(plan),
        reader=audience_for(request.user, plan),
        initial={"kind": "annual", "format": "pdf", "audience": "board", "lang": lang},
    )


def _form_page(
    request: HttpRequest, plan: Plan, form: IssueForm, *, status: int, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "web/issue_form.html",
        {"plan": plan, "form": form, "error": error},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The issuing form; sent, the report is issued (or queued to be)."""
    plan = _plan_for_issuing(request, slug)
    form = _form(request, plan, request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _form_page(request, plan, form, status=200)
    if not form.is_valid():
        return _form_page(request, plan, form, status=400)
    data = form.cleaned_data
    if not may_download(request.user, plan, data["audience"]):
        raise PermissionDenied
    try:
        issue = issue_request_create(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            tertial=data["tertial"],
            audience=data["audience"],
            fmt=data["format"],
            lang=data["lang"],
            recipient=data["recipient_name"],
            issued_by=request.user.get_full_name() or request.user.get_username(),
            note=data["note"],
        )
    except (ReportRequestError, ReportCheckError) as error:
        return _form_page(request, plan, form, status=422, error=str(error))
    return redirect("web:issue-status", slug=plan.slug, pk=issue.pk)


@login_required
@require_safe
def issue_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The report as the form chooses it, as a web page (made in the
    request, as the HTML download is), before it is issued."""
    plan = _plan_for_issuing(request, slug)
    form = ReportForm(request.GET, years=plan_years(plan))
    if not form.is_valid():
        return _form_page(request, plan, _form(request, plan, request.GET), status=400)
    data = form.cleaned_data
    if not may_download(request.user, plan, data["audience"]):
        raise PermissionDenied
    try:
        document = report_build(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            tertial=data["tertial"],
            audience=data["audience"],
            lang=data["lang"] or "da",
        )
    except (ReportRequestError, ReportCheckError) as error:
        form = _form(request, plan, request.GET)
        return _form_page(request, plan, form, status=422, error=str(error))
    return HttpResponse(
        html_renderer.render_page(document), content_type="text/html; charset=utf-8"
    )


@login_required
@require_safe
def issue_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Waiting for the worker (202; an htmx poll gets the status alone),
    then the issued report; or why it could not be made."""
    plan = _plan_for_issuing(request, slug)
    issue = get_object_or_404(IssueRequest, plan=plan, pk=pk)
    htmx = bool(request.headers.get("HX-Request"))
    if issue.status == IssueRequest.Status.ISSUED and issue.issued is not None:
        url = issue.issued.get_absolute_url()
        if htmx:
            response = HttpResponse(status=200)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    error = ""
    status = 202
    if issue.status == IssueRequest.Status.FAILED:
        error = {
            TOO_LARGE: _(
                "den er for stor til at blive sat op som PDF inden for "
                "serverens grænser. Udsend den som HTML eller DOCX."
            ),
            FAULT: _(
                "der opstod en fejl, da den blev sat op. Driften kan se "
                "årsagen i loggen; prøv igen senere."
            ),
        }.get(issue.error, issue.error)
        status = 503 if issue.error in (TOO_LARGE, FAULT) else 422
    context = {"plan": plan, "issue": issue, "error": error}
    if htmx:
        return render(request, "web/_issue_status.html", context)
    return render(request, "web/issue_waiting.html", context, status=status)


urlpatterns = [
    path("planer/<slug:slug>/udsend/", issue_report, name="issue-report"),
    path("planer/<slug:slug>/udsend/vis/", issue_preview, name="issue-preview"),
    path("planer/<slug:slug>/udsend/<int:pk>/", issue_status, name="issue-status"),
]

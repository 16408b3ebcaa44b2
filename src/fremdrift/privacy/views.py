"""The auditor's pages: a plan's access log with filters and CSV export, a
participant's extract, and spot checks.

Only the plan's auditors and administrators (and superusers) get in; a
member of the plan in another role gets 403, anyone else 404, as the rest
of the app answers for another plan's rows. Every page that shows log
entries is itself logged.
"""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fremdrift.accounts.policy import is_plan_member, may_read_access_log
from fremdrift.audit.context import logged_origin
from fremdrift.audit.forms import ExtractForm, LogFilterForm, ReviewForm, SpotCheckForm
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.ratelimits import check_download_rate, download_limited
from fremdrift.audit.security_log import authorization_denied
from fremdrift.audit.services import access_log, review_record
from fremdrift.plans.models import Plan
from fremdrift.registrations.models import Participant

from . import selectors
from .export import extract_csv, log_csv

Action = AccessLogEntry.Action
Purpose = AccessLogEntry.Purpose

ENTRIES_PER_PAGE = 50
LOG = "access_log"


def _plan(request: HttpRequest, slug: str) -> Plan:
    plan = get_object_or_404(Plan, slug=slug)
    if may_read_access_log(request.user, plan):
        return plan
    if is_plan_member(request.user, plan):
        authorization_denied(request, status=403, reason="access log: role")
        raise PermissionDenied
    authorization_denied(request, status=404, reason="access log: not a member")
    raise Http404


def _filtered(plan: Plan, form: LogFilterForm) -> Any:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.log_entries(
        plan=plan,
        username=data.get("bruger") or "",
        code=data.get("kode") or "",
        start=data.get("fra"),
        end=data.get("til"),
    )


def _about(plan: Plan, code: str) -> list[Any]:
    """The participant a filter or an extract is about, for its own log
    entry: the participant, or, once erased, their code to be hashed."""
    if not code:
        return []
    person = Participant.objects.filter(plan=plan, code=code.upper()).first()
    return [person or SimpleNamespace(pk=None, code=code, plan_id=plan.pk)]


def _csv(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@logged_origin
def log_list(request: HttpRequest, plan: str) -> HttpResponse:
    """Adgangslog: the plan's log, newest first, with filters."""
    current = _plan(request, plan)
    form = LogFilterForm(request.GET or None)
    entries = _filtered(current, form)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("side", 1))
    code = form.cleaned_data.get("kode", "") if form.is_valid() else ""
    access_log(
        user=request.user,
        plan=current,
        action=Action.VIEW,
        participants=_about(current, code),
        object_type=LOG,
        purpose=Purpose.AUDIT,
    )
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "audit/log.html",
        {
            "plan": current,
            "form": form,
            "page": page,
            "rows": selectors.entry_rows(page.object_list),
            "query": query.urlencode(),
        },
    )


@login_required
@download_limited
@require_safe
@logged_origin
def log_export(request: HttpRequest, plan: str) -> HttpResponse:
    """The filtered log as CSV; the export is logged before it is sent."""
    current = _plan(request, plan)
    form = LogFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(
            request,
            "audit/log.html",
            {"plan": current, "form": form, "page": None, "rows": []},
            status=400,
        )
    code = form.cleaned_data.get("kode", "") if form.is_valid() else ""
    content = log_csv(selectors.entry_rows(_filtered(current, form)))
    access_log(
        user=request.user,
        plan=current,
        action=Action.EXPORT,
        participants=_about(current, code),
        object_type=LOG,
        purpose=Purpose.AUDIT,
    )
    return _csv(content, f"{current.slug}-adgangslog.csv")


@login_required
@require_safe
@logged_origin
def extract(request: HttpRequest, plan: str) -> HttpResponse:
    """A participant's extract: every logged access to them, with dates and
    purposes (a resident's right of access); ``?format=csv`` downloads it."""
    current = _plan(request, plan)
    form = ExtractForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "audit/extract.html",
            {"plan": current, "form": form, "entries": None},
            status=400 if request.GET else 200,
        )
    code = form.cleaned_data["kode"]
    entries = selectors.participant_extract(plan=current, code=code)
    as_csv = request.GET.get("format") == "csv"
    if as_csv:
        check_download_rate(request)
    access_log(
        user=request.user,
        plan=current,
        action=Action.EXPORT if as_csv else Action.VIEW,
        participants=_about(current, code),
        object_type="access_log_extract",
        purpose=form.cleaned_data["formaal"],
    )
    if as_csv:
        return _csv(extract_csv(entries), f"{current.slug}-indsigt-{code}.csv")
    return render(
        request,
        "audit/extract.html",
        {
            "plan": current,
            "form": form,
            "code": code,
            "entries": entries,
            "erased": not Participant.objects.filter(plan=current, code=code).exists(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@logged_origin
def spot_check(request: HttpRequest, plan: str) -> HttpResponse:
    """Stikprøve: N entries about participants drawn at random, each to be
    marked reviewed. The draw's number is in the address, so the same
    sample comes back after each review."""
    current = _plan(request, plan)
    if request.method == "POST":
        review = ReviewForm(request.POST)
        if review.is_valid():
            entry = get_object_or_404(
                AccessLogEntry, plan=current, pk=review.cleaned_data["entry"]
            )
            review_record(
                entry=entry,
                reviewer=request.user,
                outcome=review.cleaned_data["outcome"],
                note=review.cleaned_data["note"],
            )
            messages.success(request, _("Gennemgangen er gemt."))
        else:
            messages.error(request, _("Vælg en vurdering af logposten."))
        return redirect(request.get_full_path())
    form = SpotCheckForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "audit/spot_check.html",
            {"plan": current, "form": form, "rows": None},
            status=400 if request.GET else 200,
        )
    data = form.cleaned_data
    seed = request.GET.get("udtraek", "")
    if not seed.isdigit() or len(seed) > 12:
        # A new draw: its number goes in the address.
        query = request.GET.copy()
        query["udtraek"] = str(secrets.randbelow(10**9))
        return redirect(f"{request.path}?{query.urlencode()}")
    sample = selectors.spot_check_sample(
        plan=current,
        size=data["antal"],
        seed=int(seed),
        start=data["fra"],
        end=data["til"],
    )
    access_log(
        user=request.user,
        plan=current,
        action=Action.VIEW,
        object_type="access_log_spot_check",
        object_id=seed,
        purpose=Purpose.AUDIT,
    )
    rows = [
        (row, ReviewForm(initial={"entry": row.entry.pk}, auto_id=f"id_%s_{i}"))
        for i, row in enumerate(selectors.entry_rows(sample))
    ]
    return render(
        request,
        "audit/spot_check.html",
        {"plan": current, "form": form, "rows": rows},
    )

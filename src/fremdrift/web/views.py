"""Read-only pages: the plans, a plan's goal tree with every verdict, and
the final report. Login and registration come with later issues."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_safe

from fremdrift.accounts.selectors import audience_for, may_import_statistics
from fremdrift.core.discretion import Audience
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.core.report_model import Section, walk_sections
from fremdrift.plans.models import Activity, Plan
from fremdrift.plans.selectors import plan_queryset
from fremdrift.reports.assembly import ReportRequestError, plan_years, report_build
from fremdrift.reports.models import IssuedReport
from fremdrift.reports.renderers import CONTENT_TYPES, RENDERERS
from fremdrift.reports.renderers import html as html_renderer
from fremdrift.reports.services import issued_report_changes, report_filename

from .forms import ReportForm


def _page_language() -> str:
    """The language the page is shown in (Django's LocaleMiddleware picks
    it from the language cookie or the browser; Danish by default), for the
    report content built for the page."""
    return "en" if translation.get_language() == "en" else "da"


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = plan_queryset().order_by("-start", "name")
    return render(request, "web/plan_list.html", {"plans": plans})


@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(plan_queryset(), slug=slug)
    lang = _page_language()
    audience = audience_for(request.user, plan)
    document = report_build(plan=plan, kind="final", lang=lang, audience=audience)
    form = ReportForm(
        years=plan_years(plan),
        initial={"kind": "final", "format": "pdf", "lang": lang},
    )
    issued = _visible_issued(plan, audience).order_by("-issued_at")
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "doc": document,
            "report_form": form,
            "issued": issued,
            "may_import": may_import_statistics(request.user, plan),
        },
    )


@require_safe
def report_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The report chosen in the plan page's form, as a file."""
    plan = get_object_or_404(plan_queryset(), slug=slug)
    form = ReportForm(request.GET, years=plan_years(plan))
    if not form.is_valid():
        return render(
            request,
            "web/report_form.html",
            {"plan": plan, "report_form": form},
            status=400,
        )
    data = form.cleaned_data
    if (
        data["audience"] == Audience.INTERNAL
        and audience_for(request.user, plan) != Audience.INTERNAL
    ):
        # Small counts of persons are for the plan team only.
        raise PermissionDenied
    try:
        document = report_build(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            tertial=data["tertial"],
            audience=data["audience"],
            lang=data["lang"] or _page_language(),
        )
    except (ReportRequestError, ReportCheckError) as error:
        return render(
            request,
            "web/report_form.html",
            {"plan": plan, "report_form": form, "error": str(error)},
            status=422,
        )
    fmt = data["format"]
    response = HttpResponse(RENDERERS[fmt](document), content_type=CONTENT_TYPES[fmt])
    filename = report_filename(
        plan=plan,
        kind=data["kind"],
        year=data["year"],
        tertial=data["tertial"],
        fmt=fmt,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def issued_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An issued report: who sent it when to whom, and which of its numbers
    differ from today's data."""
    plan = get_object_or_404(plan_queryset(), slug=slug)
    issued = get_object_or_404(
        _visible_issued(plan, audience_for(request.user, plan)), pk=pk
    )
    changes = issued_report_changes(issued)
    return render(
        request,
        "web/issued_report.html",
        {"plan": plan, "issued": issued, "changes": changes},
    )


@require_safe
def issued_report_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = get_object_or_404(plan_queryset(), slug=slug)
    issued = get_object_or_404(
        IssuedReport.objects.filter(
            pk__in=_visible_issued(plan, audience_for(request.user, plan))
        ),
        pk=pk,
    )
    response = HttpResponse(
        bytes(issued.content), content_type=CONTENT_TYPES[issued.format]
    )
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    return response


@require_safe
def activity_detail(
    request: HttpRequest, slug: str, activity_slug: str
) -> HttpResponse:
    plan = get_object_or_404(plan_queryset(), slug=slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    document = report_build(
        plan=plan,
        kind="final",
        lang=_page_language(),
        audience=audience_for(request.user, plan),
    )
    section = _find_section(document.sections, activity.slug)
    return render(
        request,
        "web/activity_detail.html",
        {"plan": plan, "activity": activity, "section": section},
    )


@require_safe
def plan_report(request: HttpRequest, slug: str) -> HttpResponse:
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    document = report_build(
        plan=plan,
        kind="final",
        lang=_page_language(),
        audience=audience_for(request.user, plan),
    )
    return HttpResponse(
        html_renderer.render_page(document), content_type="text/html; charset=utf-8"
    )


def _visible_issued(plan: Plan, audience: str) -> QuerySet[IssuedReport]:
    """Issued reports the user may see: an internal one (with small
    counts) only for the plan team."""
    issued = plan.issued_reports.defer("content", "snapshot")
    if audience != Audience.INTERNAL:
        issued = issued.exclude(audience=Audience.INTERNAL)
    return issued


def _find_section(sections: Iterable[Section], key: str) -> Section | None:
    """The section that describes the activity ``key``, at any depth."""
    return next((s for s in walk_sections(sections) if s.key == key), None)

"""Read-only pages: the plans, a plan's goal tree with every verdict, and
the final report. Login and registration come with later issues."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from fremdrift.core.report_model import Section
from fremdrift.plans.models import Activity, Plan
from fremdrift.plans.selectors import plan_queryset
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = plan_queryset().order_by("-start", "name")
    return render(request, "web/plan_list.html", {"plans": plans})


@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(plan_queryset(), slug=slug)
    document = report_build(plan=plan, kind="final")
    return render(request, "web/plan_detail.html", {"plan": plan, "doc": document})


@require_safe
def activity_detail(
    request: HttpRequest, slug: str, activity_slug: str
) -> HttpResponse:
    plan = get_object_or_404(plan_queryset(), slug=slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    document = report_build(plan=plan, kind="final")
    section = _find_section(document.sections, activity.slug)
    return render(
        request,
        "web/activity_detail.html",
        {"plan": plan, "activity": activity, "section": section},
    )


@require_safe
def plan_report(request: HttpRequest, slug: str) -> HttpResponse:
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    document = report_build(plan=plan, kind="final")
    return HttpResponse(
        RENDERERS["html"](document), content_type="text/html; charset=utf-8"
    )


def _find_section(sections: Iterable[Section], key: str) -> Section | None:
    """The section that describes the activity ``key``, at any depth."""
    for section in sections:
        if section.key == key:
            return section
        found = _find_section(section.subsections, key)
        if found is not None:
            return found
    return None

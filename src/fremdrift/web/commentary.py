"""The team's commentary on the plan as a whole and on each effort area,
per tertial and per year, written by its coordinators and plan
administrators (staff write it on their own activities, on the staff
pages: web/staff/views.py ``commentary``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fremdrift.accounts.policy import may_write_plan_commentary
from fremdrift.plans.models import EffortArea, Plan
from fremdrift.plans.selectors import plan_queryset
from fremdrift.registrations.forms import CommentaryForm, commentary_periods
from fremdrift.registrations.selectors import commentary_items
from fremdrift.registrations.services import plan_commentary_save


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_commentary(
    request: HttpRequest, slug: str, effort_area_slug: str = ""
) -> HttpResponse:
    """Write or edit the team's commentary on the plan (or, with
    ``effort_area_slug``, on that effort area) for a period; the list of
    those written, each opened for editing by its period."""
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    if not may_write_plan_commentary(request.user, plan):
        raise PermissionDenied
    effort_area = (
        get_object_or_404(EffortArea, plan=plan, slug=effort_area_slug)
        if effort_area_slug
        else None
    )
    written = plan.commentaries.filter(effort_area=effort_area, activity=None)
    period = request.GET.get("periode", "")
    current = written.filter(period=period).first()
    form = CommentaryForm(
        request.POST if request.method == "POST" else None,
        periods=commentary_periods(plan.start.year, plan.end.year),
        initial={"period": period, "text": current.text if current else ""},
    )
    if form.is_valid():
        plan_commentary_save(
            plan=plan,
            effort_area=effort_area,
            period=form.cleaned_data["period"],
            text=form.cleaned_data["text"],
            user=request.user,
        )
        messages.success(request, _("Kommentaren er gemt."))
        return redirect(request.path)
    return render(
        request,
        "web/commentary.html",
        {
            "plan": plan,
            "effort_area": effort_area,
            "effort_areas": plan.effort_areas.all(),
            "form": form,
            "commentaries": commentary_items(written),
        },
        status=400 if form.is_bound else 200,
    )


urlpatterns = [
    path("planer/<slug:slug>/kommentarer/", plan_commentary, name="plan-commentary"),
    path(
        "planer/<slug:slug>/indsatsomraader/<slug:effort_area_slug>/kommentarer/",
        plan_commentary,
        name="effort-area-commentary",
    ),
]

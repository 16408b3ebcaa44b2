"""Read-only pages: the plans, a plan's goal tree with every verdict, and
the final report. Login and registration come with later issues."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fremdrift.accounts.policy import (
    audience_for,
    audiences_for,
    issued_reports_filter,
    may_create_plan,
    may_download,
    may_read_history,
    may_register,
    plan_abilities,
    plans_for,
    plans_visible_to,
)
from fremdrift.audit.ratelimits import download_limited
from fremdrift.core.discretion import Audience
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.core.report_model import OUTCOME_ORDER, Section, walk_sections
from fremdrift.core.text_da import format_date, outcome_label
from fremdrift.evaluation.discretion import area_status_overview_for_audiences
from fremdrift.plans.models import Activity, Plan
from fremdrift.reports.assembly import (
    ReportRequestError,
    plan_years,
    report_build,
    stored_report_build,
)
from fremdrift.reports.cross_plan import (
    area_populations,
    indicator_choices,
    indicator_comparison,
    plans_outcomes,
)
from fremdrift.reports.models import IssuedReport, RenderedReport
from fremdrift.reports.queue import (
    FAULT,
    TOO_LARGE,
    is_queued,
    rendered_report_request,
)
from fremdrift.reports.renderers import CONTENT_TYPES, RENDERERS
from fremdrift.reports.renderers import html as html_renderer
from fremdrift.reports.selectors import issued_report_change_lines, issued_summaries
from fremdrift.reports.services import (
    issued_report_fingerprint,
    report_filename,
)
from fremdrift.reports.typesetting import TypesettingError

from .forms import CrossPlanForm, ReportForm
from .fragments import plan_page_parts
from .selectors import activity_team_notes

logger = logging.getLogger(__name__)


def _page_language() -> str:
    """The language the page is shown in (Django's LocaleMiddleware picks
    it from the language cookie or the browser; Danish by default), for the
    report content built for the page."""
    return "en" if translation.get_language() == "en" else "da"


@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = plans_visible_to(request.user).order_by("-start", "name")
    # The overview across plans is offered to those who follow several.
    followed = plans_for(request.user).count() if request.user.is_authenticated else 0
    return render(
        request,
        "web/plan_list.html",
        {
            "plans": plans,
            "offers_cross_plan": followed >= 2,
            # The plan editor's "Ny plan", for coordinators and plan
            # administrators (of a plan of the organisation) and superusers.
            "may_create_plan": may_create_plan(request.user),
        },
    )


@login_required
@require_safe
def cross_plan(request: HttpRequest) -> HttpResponse:
    """The plans the user holds a role in, side by side: each plan's
    criteria counted by verdict as of a day, and an indicator for chosen
    areas, with each plan's discretion for this user."""
    plans = list(plans_for(request.user).order_by("-start", "name"))
    populations = area_populations(plans)
    by_plan = {plan.pk: plan for plan in plans}
    areas: dict[int, list[tuple[int, str]]] = {}
    for population in populations:
        areas.setdefault(population.plan_id, []).append(
            (population.pk, population.name)
        )
    indicators = indicator_choices(plans)
    form = CrossPlanForm(
        request.GET or None,
        indicators=indicators,
        areas=[(by_plan[pk].name, choices) for pk, choices in areas.items()],
    )
    context: dict[str, object] = {"form": form, "plans": plans}
    if form.is_bound and not form.is_valid():
        return render(request, "web/cross_plan.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    as_of = data.get("dato") or timezone.localdate()
    audiences = audiences_for(request.user, plans)
    context["as_of_text"] = format_date(as_of)
    context["outcome_labels"] = [outcome_label(o) for o in OUTCOME_ORDER]
    context["overview"] = plans_outcomes(plans=plans, audiences=audiences, as_of=as_of)
    context["area_status"] = area_status_overview_for_audiences(
        plans=plans, audiences=audiences
    )
    if data.get("indikator"):
        wanted = set(data["omraade"])
        context["indicator_name"] = dict(indicators)[data["indikator"]]
        context["comparison"] = indicator_comparison(
            indicator=data["indikator"],
            populations=[p for p in populations if p.pk in wanted],
            plans=by_plan,
            audiences=audiences,
            as_of=as_of,
            first_year=data.get("fra"),
            last_year=data.get("til"),
        )
    return render(request, "web/cross_plan.html", context)


@require_safe
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    lang = _page_language()
    audience = audience_for(request.user, plan)
    may = plan_abilities(request.user, plan)
    parts = plan_page_parts(
        plan=plan,
        audience=audience,
        lang=lang,
        may_edit=may.edit_plan,
        history=may.read_history,
    )
    form = ReportForm(
        years=plan_years(plan),
        reader=audience,
        initial={"kind": "final", "format": "pdf", "lang": lang},
    )
    issued = issued_summaries(_visible_issued(plan, audience))
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "parts": parts,
            "report_form": form,
            "issued": issued,
            "may_import": may.import_statistics,
            "may_edit": may.edit_plan,
            "may_secure": may.set_plan_security,
            "may_issue": may.issue_reports,
            "may_comment": may.write_plan_commentary,
        },
    )


@download_limited
@require_safe
def report_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The report chosen in the plan page's form, as a file."""
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    # Every version is accepted here, so that asking for one the reader may
    # not have is refused (403) rather than called invalid; the form shown
    # again offers only the reader's (_form_page).
    form = ReportForm(request.GET, years=plan_years(plan))
    if not form.is_valid():
        return _form_page(request, plan, form, status=400)
    data = form.cleaned_data
    if not may_download(request.user, plan, data["audience"]):
        raise PermissionDenied
    lang = data["lang"] or _page_language()
    if is_queued(plan=plan, fmt=data["format"]):
        return _queued_download(request, plan, data, lang)
    try:
        document = report_build(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            tertial=data["tertial"],
            audience=data["audience"],
            lang=lang,
        )
    except (ReportRequestError, ReportCheckError) as error:
        return _form_page(request, plan, form, error=str(error), status=422)
    fmt = data["format"]
    try:
        content = RENDERERS[fmt](document)
    except TypesettingError as error:
        # Too large for the PDF's memory or time limit: the other formats
        # still work, and the operators find the reason in the log.
        logger.error("PDF of %s not made: %s", plan.slug, error)
        return _form_page(request, plan, form, error=_too_large(), status=503)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = report_filename(
        plan=plan,
        kind=data["kind"],
        year=data["year"],
        tertial=data["tertial"],
        fmt=fmt,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _form_page(
    request: HttpRequest,
    plan: Plan,
    form: ReportForm,
    *,
    status: int,
    error: str = "",
) -> HttpResponse:
    """The download form shown again (after an invalid choice or a report
    that cannot be made), offering only the versions the reader may have:
    a visitor is never offered the internal one."""
    form.offer_versions_for(audience_for(request.user, plan))
    return render(
        request,
        "web/report_form.html",
        {"plan": plan, "report_form": form, "error": error},
        status=status,
    )


def _too_large() -> str:
    return _(
        "den er for stor til at blive sat op som PDF inden for serverens "
        "grænser. Hent den som HTML eller DOCX, eller bed driften om at "
        "hæve grænsen."
    )


def _queued_download(
    request: HttpRequest, plan: Plan, data: dict[str, Any], lang: str
) -> HttpResponse:
    """The file from storage when it is made, else the page that waits for
    the worker making it."""
    try:
        rendered = rendered_report_request(
            plan=plan,
            kind=data["kind"],
            year=data["year"],
            tertial=data["tertial"],
            audience=data["audience"],
            fmt=data["format"],
            lang=lang,
        )
    except ReportRequestError as error:
        form = ReportForm(request.GET, years=plan_years(plan))
        return _form_page(request, plan, form, error=str(error), status=422)
    if rendered.status == RenderedReport.Status.READY:
        return _rendered_file(rendered)
    return _rendered_status_page(request, plan, rendered)


def _rendered_file(rendered: RenderedReport) -> HttpResponse:
    response = HttpResponse(
        bytes(rendered.content), content_type=CONTENT_TYPES[rendered.format]
    )
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def _rendered_status_page(
    request: HttpRequest, plan: Plan, rendered: RenderedReport
) -> HttpResponse:
    """Waiting (202, polled with htmx), ready (a link to the file) or failed
    (the reason, 503 or 422). An htmx poll gets the status alone."""
    status = {
        RenderedReport.Status.PENDING: 202,
        RenderedReport.Status.READY: 200,
    }.get(RenderedReport.Status(rendered.status))
    error = ""
    if status is None:
        too_large = rendered.error == TOO_LARGE
        error = {
            TOO_LARGE: _too_large(),
            FAULT: _(
                "der opstod en fejl, da den blev sat op. Driften kan se "
                "årsagen i loggen; prøv igen senere."
            ),
        }.get(rendered.error, rendered.error)
        status = 503 if too_large or rendered.error == FAULT else 422
    context = {"plan": plan, "rendered": rendered, "error": error}
    if request.headers.get("HX-Request"):
        # htmx swaps in a 200 answer only: the status replaces the polling
        # element, and polling stops once the file is made or has failed.
        return render(request, "web/_report_status.html", context)
    return render(request, "web/report_waiting.html", context, status=status)


def _visible_rendered(
    request: HttpRequest, slug: str, key: str
) -> tuple[Plan, RenderedReport]:
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    rendered = get_object_or_404(
        RenderedReport.objects.defer("content"), plan=plan, key=key
    )
    if not may_download(request.user, plan, rendered.audience):
        raise PermissionDenied
    return plan, rendered


@require_safe
def report_status(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Whether a report file asked for in the download form is made yet."""
    plan, rendered = _visible_rendered(request, slug, key)
    return _rendered_status_page(request, plan, rendered)


@download_limited
@require_safe
def report_file(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A report file made by a worker; its status page while not made."""
    plan, rendered = _visible_rendered(request, slug, key)
    if rendered.status != RenderedReport.Status.READY:
        return _rendered_status_page(request, plan, rendered)
    rendered.refresh_from_db(fields=["content"])
    return _rendered_file(rendered)


@require_safe
def issued_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An issued report: who sent it when to whom, and which of its numbers
    differ from today's data."""
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    issued = get_object_or_404(
        _visible_issued(plan, audience_for(request.user, plan)), pk=pk
    )
    return render(
        request,
        "web/issued_report.html",
        {
            "plan": plan,
            "issued": issued,
            "changes": issued_report_change_lines(issued),
            "fingerprint": issued_report_fingerprint(issued),
        },
    )


@download_limited
@require_safe
def issued_report_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
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
    plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    audience = audience_for(request.user, plan)
    document = stored_report_build(
        plan=plan, kind="final", lang=_page_language(), audience=audience
    )
    section = _find_section(document.sections, activity.slug)
    registers = may_register(request.user, activity)
    return render(
        request,
        "web/activity_detail.html",
        {
            "plan": plan,
            "activity": activity,
            "section": section,
            "team_notes": activity_team_notes(activity=activity, audience=audience),
            "may_comment": registers,
            # may_read_activity_history, without asking may_register twice.
            "may_read_history": registers or may_read_history(request.user, plan),
        },
    )


@require_safe
def plan_report(request: HttpRequest, slug: str) -> HttpResponse:
    plan: Plan = get_object_or_404(plans_visible_to(request.user), slug=slug)
    document = stored_report_build(
        plan=plan,
        kind="final",
        lang=_page_language(),
        audience=audience_for(request.user, plan),
    )
    return HttpResponse(
        html_renderer.render_page(document), content_type="text/html; charset=utf-8"
    )


def _visible_issued(plan: Plan, audience: Audience) -> QuerySet[IssuedReport]:
    """The plan's issued reports a reader at ``audience`` may see
    (``issued_reports_filter``), without their content."""
    return plan.issued_reports.defer("content", "snapshot").filter(
        issued_reports_filter(audience)
    )


def _find_section(sections: Iterable[Section], key: str) -> Section | None:
    """The section that describes the activity ``key``, at any depth."""
    return next((s for s in walk_sections(sections) if s.key == key), None)

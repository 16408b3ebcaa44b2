"""Plans, their criteria with verdicts, and the caller's own account."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from fremdrift.accounts.models import PlanMembership
from fremdrift.accounts.policy import (
    activities_for,
    audience_for,
    audiences_for,
    plans_visible_to,
)
from fremdrift.core.i18n import use_language
from fremdrift.core.plan_model import verdict_record
from fremdrift.evaluation.discretion import judged_for_audience
from fremdrift.plans.models import Plan

from .access import plan_for
from .errors import OWN_ERRORS, READ_ERRORS
from .paging import page_of
from .schemas import (
    Day,
    ErrorOut,
    MeOut,
    PageIn,
    PlanDetailOut,
    PlanPageOut,
    Slug,
    VerdictOut,
    VerdictPageOut,
)

router = Router(tags=["plans"])


def _roles(request: HttpRequest, plans: Sequence[Plan]) -> dict[int, str]:
    """The caller's role in each of ``plans`` they are a member of, by plan
    id, in one query."""
    return dict(
        PlanMembership.objects.filter(
            user=request.user, plan__in=[plan.pk for plan in plans]
        ).values_list("plan_id", "role")
    )


def _plan_records(request: HttpRequest, plans: Sequence[Plan]) -> list[dict[str, Any]]:
    """``plans`` as records with the caller's role and audience in each, in
    two queries whatever the number of plans."""
    roles = _roles(request, plans)
    audiences = audiences_for(request.user, plans)
    return [
        {
            "slug": plan.slug,
            "name": plan.name,
            "short_name": plan.short_name,
            "organisation": plan.organisation.name,
            "municipality": plan.municipality,
            "start": plan.start,
            "end": plan.end,
            "role": roles.get(plan.pk),
            "audience": audiences[plan.pk].value,
        }
        for plan in plans
    ]


@router.get(
    "/me", response={200: MeOut, 401: ErrorOut, 429: ErrorOut}, summary="The caller"
)
def me(request: HttpRequest) -> dict[str, Any]:
    """The token's user, the token's name and expiry, and the user's role in
    each plan."""
    user = request.user
    token = request.auth  # type: ignore[attr-defined]
    return {
        "username": user.get_username(),
        "token_name": token.name,
        "token_expires_at": token.expires_at,
        "superuser": user.is_superuser,
        "memberships": [
            {"plan": m.plan.slug, "role": m.role}
            for m in PlanMembership.objects.filter(user=user)
            .select_related("plan")
            .order_by("plan__slug")
        ],
    }


@router.get("/plans", response={200: PlanPageOut, **OWN_ERRORS}, summary="Plans")
def plan_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    """Every plan the caller may read, newest first: all of them, as the
    web's plan list (``plans_visible_to``); ``role`` is the caller's role
    in each (null where none) and ``audience`` the version of its numbers
    the caller reads."""
    plans_query = plans_visible_to(request.user).order_by("-start", "slug")
    counts, plans = page_of(plans_query, paging)
    return {**counts, "items": _plan_records(request, plans)}


@router.get(
    "/plans/{slug}", response={200: PlanDetailOut, **READ_ERRORS}, summary="A plan"
)
def plan_detail(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """A plan with its populations (for observations) and activities (for
    sessions and attendance)."""
    plan = plan_for(request.user, slug)
    registering = set(
        activities_for(request.user).filter(plan=plan).values_list("pk", flat=True)
    )
    activities = plan.activities.select_related("effort_area", "parent").order_by(
        "effort_area__order", "order", "pk"
    )
    return {
        **_plan_records(request, [plan])[0],
        "vision": plan.vision,
        "populations": [
            {"slug": p.slug, "name": p.name, "kind": p.kind}
            for p in plan.populations.order_by("order", "pk")
        ],
        "activities": [
            {
                "slug": a.slug,
                "name": a.name,
                "effort_area": a.effort_area.slug,
                "parent": a.parent.slug if a.parent else None,
                "start": a.start,
                "end": a.end,
                "may_register": a.pk in registering,
            }
            for a in activities
        ],
    }


def _verdicts(
    request: HttpRequest, plan: Plan, as_of: datetime.date, lang: str
) -> list[dict[str, object]]:
    """Every criterion judged as of ``as_of``, as ``fremdrift verdicts``
    records; readers outside the plan team get the board's version, made
    exactly as the board's report makes it (``judged_for_audience``)."""
    audience = audience_for(request.user, plan)
    with use_language(lang):
        judged = judged_for_audience(plan=plan, as_of=as_of, audience=audience)
        return [verdict_record(item) for item in judged]


@router.get(
    "/plans/{slug}/criteria",
    response={200: VerdictPageOut, **READ_ERRORS},
    summary="Criteria with verdicts",
)
def criterion_list(
    request: HttpRequest,
    slug: Slug,
    paging: Query[PageIn],
    as_of: Day | None = None,
    lang: Literal["da", "en"] = "da",
) -> dict[str, Any]:
    """Every success criterion of the plan in plan order, judged as of
    ``as_of`` (default today), with the explanation in ``lang``: the records
    of ``fremdrift verdicts --format json``."""
    plan = plan_for(request.user, slug)
    day = as_of or timezone.localdate()
    counts, items = page_of(_verdicts(request, plan, day, lang), paging)
    return {
        **counts,
        "as_of": day,
        "audience": audience_for(request.user, plan).value,
        "items": items,
    }


@router.get(
    "/plans/{slug}/criteria/{ident}",
    response={200: VerdictOut, **READ_ERRORS},
    summary="One criterion with its verdict",
)
def criterion_detail(
    request: HttpRequest,
    slug: Slug,
    ident: Slug,
    as_of: Day | None = None,
    lang: Literal["da", "en"] = "da",
) -> dict[str, object]:
    plan = plan_for(request.user, slug)
    day = as_of or timezone.localdate()
    for record in _verdicts(request, plan, day, lang):
        if record["id"] == ident:
            return record
    raise Http404

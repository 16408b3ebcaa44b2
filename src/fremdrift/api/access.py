"""The policy (``fremdrift.accounts.policy``) turned into the API's
answers: another plan's objects are not found (404), a member of the plan
without the role gets 403. This module decides nothing itself.

Plans, their criteria, indicators, observations and area status are read
by any caller with a token, at the caller's ``audience_for``: the plans of
``plans_visible_to``, the same as the web's plan pages (a non-member gets
the board's version there and here). Observations are written by
coordinators (``may_import_statistics``); sessions and attendance are read
and written by those who register for the activity (``may_register``); a
non-member of the plan gets 404 for both, as on the staff pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from fremdrift.accounts.policy import (
    User,
    is_plan_member,
    may_import_statistics,
    may_register,
    plans_visible_to,
)
from fremdrift.plans.models import Activity, Plan


def plan_for(user: User, slug: str) -> Plan:
    """The plan to read, at ``audience_for(user, plan)``; 404 if there is
    no such plan (``plans_visible_to``: the web's plan pages show it to
    the same users)."""
    plan = plans_visible_to(user).filter(slug=slug).first()
    if plan is None:
        raise Http404
    return plan


def member_plan_for(user: User, slug: str) -> Plan:
    """The plan, if ``user`` is a member; else 404, whether or not it
    exists: what only members reach (imports, registrations)."""
    plan = plan_for(user, slug)
    if not is_plan_member(user, plan):
        raise Http404
    return plan


def importer_plan_for(user: User, slug: str) -> Plan:
    plan = member_plan_for(user, slug)
    if not may_import_statistics(user, plan):
        raise PermissionDenied("Only the plan's coordinators import area statistics.")
    return plan


def registering_activity_for(user: User, slug: str, activity_slug: str) -> Activity:
    """An activity of a plan ``user`` is a member of (else 404) that they
    register for (else 403)."""
    plan = member_plan_for(user, slug)
    activity = (
        Activity.objects.select_related("plan", "parent")
        .filter(plan=plan, slug=activity_slug)
        .first()
    )
    if activity is None:
        raise Http404
    if not may_register(user, activity):
        raise PermissionDenied(
            "Only the staff assigned to this activity (and the plan's "
            "coordinators and administrators) register for it."
        )
    return activity

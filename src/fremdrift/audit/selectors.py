"""Who may read a plan's access log (the log itself is read in
``fremdrift.privacy.selectors``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from fremdrift.accounts.models import PlanMembership
from fremdrift.plans.models import Plan

# Roles that read a plan's access log: its auditors and its administrators.
LOG_READING_ROLES = frozenset(
    {PlanMembership.Role.AUDITOR, PlanMembership.Role.PLAN_ADMIN}
)


def may_read_access_log(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> bool:
    """Auditors and plan administrators of ``plan`` (and superusers) read
    its access log; nobody else, coordinators and staff included."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PlanMembership.objects.filter(
        user=user, plan=plan, role__in=LOG_READING_ROLES
    ).exists()


def plans_audited_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """The plans whose log ``user`` reads, for the link on their home
    page."""
    if not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(
        memberships__user=user, memberships__role__in=LOG_READING_ROLES
    ).distinct()

"""Granting roles and assignments (used by the admin, the demo and tests)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from fremdrift.plans.models import Activity, Plan

from .models import ActivityAssignment, PlanMembership


@transaction.atomic
def membership_grant(
    *,
    user: AbstractBaseUser,
    plan: Plan,
    role: str,
    activities: Iterable[Activity] = (),
) -> PlanMembership:
    """Give ``user`` the role ``role`` in ``plan`` (replacing any earlier
    role there) and assign them to ``activities`` of that plan."""
    membership, _created = PlanMembership.objects.update_or_create(
        user=user, plan=plan, defaults={"role": PlanMembership.Role(role)}
    )
    for activity in activities:
        if activity.plan_id != plan.pk:
            raise ValueError(f"{activity} belongs to another plan than {plan}")
        ActivityAssignment.objects.get_or_create(user=user, activity=activity)
    return membership

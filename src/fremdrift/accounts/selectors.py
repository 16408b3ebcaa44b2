"""Which activities a user may register for, how much of a plan they see,
and whether they must confirm a one-time code."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django_otp import user_has_device

from fremdrift.core.discretion import Audience
from fremdrift.plans.models import Activity, Plan

from .models import (
    PLAN_WIDE_ROLES,
    REGISTERING_ROLES,
    ActivityAssignment,
    PlanMembership,
)


def activities_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Activity]:
    """The activities ``user`` may register for, as one query.

    Staff: the activities they are assigned to and their sub-activities, in
    plans where they still hold a registering role. Coordinators and plan
    administrators: every activity of their plans. Board members, auditors
    and anonymous users: none. Superusers: every activity.
    """
    if not user.is_authenticated or not user.is_active:
        return Activity.objects.none()
    if user.is_superuser:
        return Activity.objects.all()
    registering = Q(
        plan__memberships__user=user,
        plan__memberships__role__in=REGISTERING_ROLES,
    )
    assigned = ActivityAssignment.objects.filter(user=user).values("activity_id")
    plan_wide = Activity.objects.filter(
        plan__memberships__user=user,
        plan__memberships__role__in=PLAN_WIDE_ROLES,
    ).values("pk")
    return Activity.objects.filter(
        registering
        & (Q(pk__in=assigned) | Q(parent_id__in=assigned) | Q(pk__in=plan_wide))
    ).distinct()


def may_register(user: AbstractBaseUser | AnonymousUser, activity: Activity) -> bool:
    return activities_for(user).filter(pk=activity.pk).exists()


def audience_for(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> str:
    """How much of a plan's numbers ``user`` may see: the team (plan
    administrators, coordinators, staff) and superusers see small counts;
    everyone else, anonymous visitors included, sees the board's version
    with small counts of persons hidden."""
    if not user.is_authenticated or not user.is_active:
        return Audience.BOARD.value
    if user.is_superuser:
        return Audience.INTERNAL.value
    team = plan.memberships.filter(user=user, role__in=REGISTERING_ROLES).exists()
    return Audience.INTERNAL.value if team else Audience.BOARD.value


def plans_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """The plans ``user`` holds a role in (any role), as one query; every
    plan for a superuser, none for anonymous or deactivated users. The
    cross-plan overview shows these and no others."""
    plans = Plan.objects.select_related("organisation")
    if not user.is_authenticated or not user.is_active:
        return plans.none()
    if user.is_superuser:
        return plans.all()
    return plans.filter(memberships__user=user).distinct()


def audiences_for(
    user: AbstractBaseUser | AnonymousUser, plans: Iterable[Plan]
) -> dict[int, Audience]:
    """``audience_for`` of each of ``plans``, by plan id, in one query
    whatever the number of plans."""
    ids = [plan.pk for plan in plans]
    if not user.is_authenticated or not user.is_active:
        return dict.fromkeys(ids, Audience.BOARD)
    if user.is_superuser:
        return dict.fromkeys(ids, Audience.INTERNAL)
    team = set(
        PlanMembership.objects.filter(
            user=user, plan_id__in=ids, role__in=REGISTERING_ROLES
        ).values_list("plan_id", flat=True)
    )
    return {i: Audience.INTERNAL if i in team else Audience.BOARD for i in ids}


def may_import_statistics(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> bool:
    """Coordinators import (and undo imports of) a plan's area statistics;
    superusers may too. Nobody else, plan administrators included: an
    import changes the numbers every goal is judged on."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return plan.memberships.filter(
        user=user, role=PlanMembership.Role.COORDINATOR
    ).exists()


def is_plan_member(user: AbstractBaseUser | AnonymousUser, plan: Plan) -> bool:
    """Any role in the plan (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or plan.memberships.filter(user=user).exists()


def two_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` must confirm a one-time code from an authenticator
    app after the password: superusers and Django staff (they reach the
    admin), plan administrators and coordinators in any plan, and anyone who
    has set up an authenticator app of their own accord. Staff, board
    members and auditors without an app are not asked."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if PlanMembership.objects.filter(user=user, role__in=PLAN_WIDE_ROLES).exists():
        return True
    return user_has_device(user, confirmed=True)

"""Whether a user must confirm a one-time code after the password. Who
may see and do what in a plan is decided in ``policy.py``."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django_otp import user_has_device

from .models import PLAN_WIDE_ROLES, PlanMembership


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether ``user`` must confirm a one-time code from an authenticator
    app after the password: superusers and Django staff (they reach the
    admin), plan administrators and coordinators in any plan, every member
    (any role) of a plan whose administrator requires it
    (``PlanSecurity.two_factor_required``), and anyone who has set up an
    authenticator app of their own accord. Other staff, board members and
    auditors without an app are not asked."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if (
        PlanMembership.objects.filter(user=user)
        .filter(
            Q(role__in=PLAN_WIDE_ROLES) | Q(plan__security__two_factor_required=True)
        )
        .exists()
    ):
        return True
    return bool(user_has_device(user, confirmed=True))

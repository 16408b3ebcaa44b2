"""Granting roles and assignments (used by the admin, the demo and tests),
ending a user's sessions, and setting up their authenticator app."""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.plans.models import Activity, Plan

from .models import ActivityAssignment, PlanMembership, PlanSecurity


@transaction.atomic
def membership_grant(
    *,
    user: User,
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


def sessions_end(*, user: User) -> int:
    """Delete every session ``user`` is logged in with (for a user who is
    deactivated); returns how many were ended.

    Django's database sessions are not indexed by user, so the live ones are
    read and decoded: a few hundred rows at most, since sessions last hours,
    and deactivating a user is rare. Expired rows are skipped (and removed
    by ``fremdrift clearsessions``)."""
    pk = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    keys = [
        session.session_key
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == pk
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


# The name a user sees for their authenticator app in the admin's list.
AUTHENTICATOR_NAME = "Godkendelsesapp"


def totp_device_unsaved(*, user: User, key: str) -> TOTPDevice:
    """The device ``user`` is setting up with the hex ``key``, not yet in
    the database (for its QR code and secret)."""
    return TOTPDevice(user=user, key=key, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def totp_enrol(*, user: User, key: str, token: str) -> TOTPDevice | None:
    """Set up ``user``'s authenticator app with the hex ``key`` they were
    shown, once ``token`` proves the app has it (RFC 6238, 30-second steps,
    one step of clock difference either way): the confirmed device, or None
    for a wrong code. The code's time step is recorded as used, so the same
    code cannot verify the login again."""
    device = totp_device_unsaved(user=user, key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    try:
        code = int(token)
    except ValueError:
        return None
    if not totp.verify(code, device.tolerance):
        return None
    device.last_t = totp.t()
    device.drift = totp.drift
    device.confirmed = True
    device.save()
    return device


def totp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed authenticator app of ``user`` that accepts ``token``,
    or None. Each device throttles its own failures (django-otp doubles the
    wait after each wrong code) and refuses a code already used."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def plan_security_set(
    *, plan: Plan, two_factor_required: bool, by: User
) -> PlanSecurity:
    """Say whether every member of ``plan`` must confirm a one-time code
    from an authenticator app after the password. Members who have none
    are sent to set one up at their next request; those logged in without
    a code are asked for one at their next request."""
    security, _created = PlanSecurity.objects.update_or_create(
        plan=plan,
        defaults={"two_factor_required": two_factor_required, "changed_by": by},
    )
    return security

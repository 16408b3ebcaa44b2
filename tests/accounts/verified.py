"""Logging a test client in as a user who has also confirmed a one-time
code, as administrators and coordinators must (fremdrift.accounts
.middleware.TwoFactorRequiredMiddleware)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The user's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


def code_now(device: TOTPDevice) -> str:
    """The code the app shows at the (possibly frozen) current time."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def log_in_verified(client: Client, user: AbstractBaseUser) -> TOTPDevice:
    """``client.force_login(user)`` plus a confirmed code in the session."""
    client.force_login(user)
    device = authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device

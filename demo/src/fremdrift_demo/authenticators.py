"""The demo users' authenticator apps: one confirmed TOTP device each,
whose codes ``fremdrift demo_totp`` may print."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

# The device name that marks a demo user's authenticator (demo_users makes
# it; demo_totp reads codes only from it).
DEMO_DEVICE_NAME = "demo"


@transaction.atomic
def demo_totp_device(*, user: AbstractBaseUser) -> TOTPDevice:
    """Replace ``user``'s authenticator apps with one confirmed demo device
    with a fresh key (for ``fremdrift demo_users`` only)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)

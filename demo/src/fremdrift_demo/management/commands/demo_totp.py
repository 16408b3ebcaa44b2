from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.base.commands import FremdriftCommand
from fremdrift_demo.authenticators import DEMO_DEVICE_NAME


class Command(FremdriftCommand):
    help = (
        "Print the current one-time code of a demo user, for a demo without "
        "an authenticator app (demo mode only: FREMDRIFT_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        # Codes printed on a terminal belong with the printed passwords of a
        # laptop demo, never with a deployment's users.
        if os.environ.get("FREMDRIFT_DEMO") != "1":
            raise CommandError(
                "demo codes are printed only in demo mode (FREMDRIFT_DEMO=1)"
            )
        username = options["username"]
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} has no demo authenticator (made by demo_users)"
            )
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")

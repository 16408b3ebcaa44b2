from __future__ import annotations

import os
import secrets
from base64 import b32encode
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from fremdrift.accounts.models import PLAN_WIDE_ROLES, PlanMembership
from fremdrift.accounts.services import membership_grant
from fremdrift.plans.commands import PlanCommand
from fremdrift.plans.models import Plan
from fremdrift_demo.authenticators import demo_totp_device

DEMO_USERS = (
    # username, role, activities (slugs) or all
    ("koordinator", PlanMembership.Role.COORDINATOR, None),
    ("medarbejder", PlanMembership.Role.STAFF, ("lektiecafe", "familiekursus")),
    ("planadministrator", PlanMembership.Role.PLAN_ADMIN, None),
    ("bestyrelsesmedlem", PlanMembership.Role.BOARD, None),
    ("revisor", PlanMembership.Role.AUDITOR, None),
)
# What each role may try, printed with its user (docs/demo.md says more).
ROLE_TRIES = {
    PlanMembership.Role.COORDINATOR: (
        "registers for every activity, imports area statistics, issues reports"
    ),
    PlanMembership.Role.STAFF: "registers for the activities named",
    PlanMembership.Role.PLAN_ADMIN: (
        "registers for every activity, issues reports, reads the access log"
    ),
    PlanMembership.Role.BOARD: "reads the board's version, small counts hidden",
    PlanMembership.Role.AUDITOR: "reads the access log and its spot checks",
}
# Roles that register for no activity.
READING_ROLES = frozenset({PlanMembership.Role.BOARD, PlanMembership.Role.AUDITOR})


class Command(PlanCommand):
    help = (
        "Create the demo's users on a fictional plan and print their passwords, "
        "and the coordinator's authenticator secret (demo mode only: "
        "FREMDRIFT_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")

    def handle(self, *args: Any, **options: Any) -> None:
        # Users with printed passwords belong on a laptop demo served on
        # 127.0.0.1, never in a deployment.
        if os.environ.get("FREMDRIFT_DEMO") != "1":
            raise CommandError(
                "demo users are created only in demo mode (FREMDRIFT_DEMO=1)"
            )
        plan: Plan = self.get_plan(options["plan_slug"])
        if "(fiktiv)" not in plan.name:
            raise CommandError(
                f"{plan.slug} is not a fictional plan; no demo users on it"
            )
        User = get_user_model()
        activities = {a.slug: a for a in plan.activities.all()}
        for username, role, slugs in DEMO_USERS:
            password = secrets.token_urlsafe(12)
            user, _created = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_active = True
            user.save()
            chosen = [activities[s] for s in slugs if s in activities] if slugs else []
            membership_grant(user=user, plan=plan, role=role, activities=chosen)
            if role in READING_ROLES:
                where = "ingen aktiviteter"
            elif chosen:
                where = ", ".join(a.name for a in chosen)
            else:
                where = "alle aktiviteter"
            self.stdout.write(
                f"demo user {username!r} ({role.label.lower()}, {where}): "
                f"password {password}"
            )
            self.stdout.write(f"  {ROLE_TRIES[role]}")
            if role in PLAN_WIDE_ROLES:
                # Coordinators confirm a one-time code after the password.
                device = demo_totp_device(user=user)
                secret = b32encode(device.bin_key).decode("ascii")
                self.stdout.write(
                    f"  two-factor code: add secret {secret} to an authenticator "
                    f"app, or run `FREMDRIFT_DEMO=1 fremdrift demo_totp {username}`"
                )

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from fremdrift.api.models import ApiToken
from fremdrift.api.services import api_token_create, api_token_revoke
from fremdrift.base.commands import FremdriftCommand

DEFAULT_DAYS = 90
# A token lives at most a year: one that never expires is not offered.
MAX_DAYS = 366


class Command(FremdriftCommand):
    help = (
        "Create an API token for a user and print it (shown once), list a "
        "user's tokens, or revoke them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--name", help="create a token with this name")
        action.add_argument("--revoke", metavar="NAME", help="revoke tokens named so")
        action.add_argument("--list", action="store_true", help="list the tokens")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=(
                f"days until the new token expires, 1 to {MAX_DAYS} "
                f"(default {DEFAULT_DAYS})"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(options["username"])
        except model.DoesNotExist:
            raise CommandError(f"unknown user {options['username']!r}") from None
        if options["list"]:
            self._list(user)
        elif options["revoke"] is not None:
            count = api_token_revoke(user=user, name=options["revoke"])
            if not count:
                raise CommandError(
                    f"{user.get_username()} has no active token named "
                    f"{options['revoke']!r}"
                )
            self.stderr.write(f"Revoked {count} token(s) named {options['revoke']!r}.")
        else:
            self._create(user, options["name"], options["days"])

    def _create(self, user: Any, name: str, days: int) -> None:
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(
                f"--days must be from 1 to {MAX_DAYS}: every token expires (got {days})"
            )
        if not user.is_active:
            raise CommandError(f"{user.get_username()} is deactivated")
        if not name.strip():
            raise CommandError("--name must not be empty")
        row, token = api_token_create(
            user=user,
            name=name,
            expires_in=datetime.timedelta(days=days),
        )
        expiry = (
            f"expires {timezone.localtime(row.expires_at):%Y-%m-%d %H:%M}"
            if row.expires_at
            else "never expires"
        )
        # The token alone on standard output, for a script to capture; the
        # note for the person on standard error.
        self.stdout.write(token)
        self.stderr.write(
            f"API token {row.name!r} for {user.get_username()} ({expiry}). "
            "It is shown only now: store it as a secret. Send it as "
            "'Authorization: Bearer <token>'."
        )

    def _list(self, user: Any) -> None:
        now = timezone.now()
        for row in ApiToken.objects.filter(user=user).order_by("-created_at"):
            if row.revoked_at is not None:
                state = f"revoked {timezone.localtime(row.revoked_at):%Y-%m-%d}"
            elif row.expires_at is not None and row.expires_at <= now:
                state = f"expired {timezone.localtime(row.expires_at):%Y-%m-%d}"
            elif row.expires_at is not None:
                state = f"expires {timezone.localtime(row.expires_at):%Y-%m-%d}"
            else:
                state = "never expires"
            used = (
                f"last used {timezone.localtime(row.last_used_at):%Y-%m-%d %H:%M}"
                if row.last_used_at
                else "never used"
            )
            self.stdout.write(f"{row.prefix}…  {row.name}  {state}, {used}")

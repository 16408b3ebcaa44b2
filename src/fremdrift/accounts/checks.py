"""Deployment checks (``fremdrift check --deploy``): what only a laptop
running the demo may have.

- fremdrift.W001: ``FREMDRIFT_DEMO=1`` (it lets anyone at the console make
  the demo users, whose passwords are printed);
- fremdrift.W002: ``FREMDRIFT_ALLOWED_HOSTS`` holds ``*`` (any Host header
  is answered: cache poisoning, and links built for the wrong host);
- fremdrift.W003: a demo user exists (a well-known name with a role on a
  plan);
- fremdrift.W004: ``FREMDRIFT_HTTPS`` is on but ``FREMDRIFT_REDIS_URL`` is
  not set: the rate limits count in each process's memory, so several app
  processes each allow the full rate (audit/ratelimits.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

# The user names ``fremdrift demo_users`` makes (fremdrift-demo's
# DEMO_USERS; tests/test_demo_users.py keeps the two the same).
DEMO_USER_NAMES = (
    "koordinator",
    "medarbejder",
    "planadministrator",
    "bestyrelsesmedlem",
    "revisor",
)


@register(Tags.security, deploy=True)
def demo_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.FREMDRIFT_DEMO:
        found.append(
            Warning(
                "FREMDRIFT_DEMO=1 is set: it is for `make demo` on 127.0.0.1 only.",
                hint="Unset FREMDRIFT_DEMO in the server's environment.",
                id="fremdrift.W001",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        found.append(
            Warning(
                "FREMDRIFT_ALLOWED_HOSTS holds '*': every Host header is answered.",
                hint="List the server's own host names, comma-separated.",
                id="fremdrift.W002",
            )
        )
    return found


@register(Tags.security, Tags.caches, deploy=True)
def rate_limit_cache_check(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.FREMDRIFT_HTTPS and not settings.FREMDRIFT_REDIS_URL:
        return [
            Warning(
                "FREMDRIFT_HTTPS is on but FREMDRIFT_REDIS_URL is not set: the "
                "rate limits are counted in each process's memory.",
                hint=(
                    "Set FREMDRIFT_REDIS_URL (docs/deployment.md) when more than "
                    "one app process serves the site."
                ),
                id="fremdrift.W004",
            )
        ]
    return []


@register(Tags.security, Tags.database, deploy=True)
def demo_users_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from django.contrib.auth import get_user_model

    try:
        names = sorted(
            get_user_model()
            ._default_manager.filter(username__in=DEMO_USER_NAMES, is_active=True)
            .values_list("username", flat=True)
        )
    except DatabaseError:
        # No database yet (before `fremdrift migrate`): no users either.
        return []
    if not names:
        return []
    return [
        Warning(
            f"demo users exist: {', '.join(names)}.",
            hint=(
                "Delete them (`fremdrift shell`, or the admin) or deactivate "
                "them: their names are public."
            ),
            id="fremdrift.W003",
        )
    ]

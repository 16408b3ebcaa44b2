"""API tokens: how a program calls the REST API on a user's behalf.

Only a SHA-256 digest of a token is stored; the token itself is shown once,
when ``fremdrift api_token`` creates it. A token acts with its user's roles
and nothing more, stops working when it expires, is revoked or its user is
deactivated, and never opens a browser session.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A key a program (a municipality's data warehouse, a script that
    registers attendance from a tablet) uses to call the API as one user
    (API-nøgle)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'dataværksted'"
    )
    prefix = models.CharField(
        max_length=12,
        help_text="The token's first characters, to recognise it in a list",
    )
    digest = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the token, hex"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: the token does not expire"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        """Neither revoked nor expired, and its user still active."""
        moment = now or timezone.now()
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= moment:
            return False
        return bool(self.user.is_active)

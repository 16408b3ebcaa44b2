"""Creating and revoking API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

# A recognisable start makes a leaked token easy to find with a secret
# scanner; the rest is 256 random bits.
TOKEN_START = "fdr_"
PREFIX_LENGTH = len(TOKEN_START) + 6


def token_digest(token: str) -> str:
    """SHA-256 of a token, hex. A token is 256 random bits, so a fast hash
    is enough: there is no password to guess from the digest."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    expires_in: datetime.timedelta | None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token itself,
    which is stored nowhere and must be shown to the caller now."""
    if not name.strip():
        raise ValueError("a token needs a name")
    token = TOKEN_START + secrets.token_urlsafe(32)
    now = timezone.now()
    row = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[:PREFIX_LENGTH],
        digest=token_digest(token),
        created_at=now,
        expires_at=now + expires_in if expires_in is not None else None,
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, user: User, name: str) -> int:
    """Revoke ``user``'s tokens named ``name`` that are not revoked yet;
    returns how many. A revoked token stays in the table as a record."""
    return ApiToken.objects.filter(
        user=user, name=name, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())

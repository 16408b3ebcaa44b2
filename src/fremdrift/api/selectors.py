"""Finding the token a request carries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import ApiToken
from .services import TOKEN_START, token_digest

# last_used_at is bookkeeping: written at most this often per token, so
# that a busy client does not turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)
# Longer than any token we issue; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 200


def api_token_for(token: str) -> ApiToken | None:
    """The usable token whose digest matches ``token``, with its user; None
    when unknown, revoked, expired or its user is deactivated."""
    if not token.startswith(TOKEN_START) or len(token) > MAX_TOKEN_LENGTH:
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token))
        .first()
    )
    now = timezone.now()
    if found is None or not found.is_usable(now):
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found

"""``Authorization: Bearer <token>``: the API's only way in.

No session cookie is read, so a logged-in browser cannot be made to call
the API (no CSRF), and no API call starts a session.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import ApiToken
from .selectors import api_token_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_for(token.strip())
        if found is None:
            return None
        # The token's user, whatever session cookie came along: every check
        # and every service below reads request.user.
        request.user = found.user
        return found

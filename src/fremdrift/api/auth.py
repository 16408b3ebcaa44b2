"""``Authorization: Bearer <token>``: the API's only way in.

No session cookie is read, so a logged-in browser cannot be made to call
the API (no CSRF), and no API call starts a session.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from fremdrift.audit.ratelimits import check_api_rate

from .models import ApiToken
from .selectors import api_token_for


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Counted after the token is read, so that a token's requests count
        # for its user wherever they come from, and those without a valid
        # one for their address (audit/ratelimits.py). Past the rate this
        # raises RateLimited: 429 (api/errors.py).
        found: ApiToken | None = super().__call__(request)
        check_api_rate(request, user_id=found.user_id if found else None)
        return found

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_for(token.strip())
        if found is None:
            return None
        # The token's user, whatever session cookie came along: every check
        # and every service below reads request.user.
        request.user = found.user
        return found

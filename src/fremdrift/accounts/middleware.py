"""Session lifetime, the second factor and caching, enforced for every
request in one place (after Django's authentication and django-otp's
middleware, which put ``request.user`` and ``user.is_verified()``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .selectors import two_factor_required

# Unix times (seconds) in the session: when the user logged in, and when
# they last did anything.
LOGGED_IN_AT = "fremdrift_logged_in_at"
LAST_ACTIVITY = "fremdrift_last_activity"
# The last activity is written at most once a minute, so that reading a
# page does not rewrite the session row every time.
ACTIVITY_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Log a user out after ``FREMDRIFT_SESSION_IDLE_MINUTES`` without a
    request, and ``SESSION_COOKIE_AGE`` seconds after they logged in however
    active they were (Django's own expiry slides with every save of the
    session, so it cannot give an absolute lifetime). The next page then
    asks for the login again and says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        logged_in_at = session.setdefault(LOGGED_IN_AT, now)
        last_activity = session.get(LAST_ACTIVITY, now)
        idle_limit = settings.FREMDRIFT_SESSION_IDLE_MINUTES * 60
        if now - logged_in_at >= settings.SESSION_COOKIE_AGE:
            logout(request)
            hours = round(settings.SESSION_COOKIE_AGE / 3600)
            messages.info(
                request,
                _(
                    "Du er logget ud, fordi du har været logget ind i {hours} "
                    "timer. Log ind igen."
                ).format(hours=hours),
            )
        elif now - last_activity >= idle_limit:
            logout(request)
            messages.info(
                request,
                _(
                    "Du er logget ud efter {minutes} minutter uden aktivitet. "
                    "Log ind igen."
                ).format(minutes=settings.FREMDRIFT_SESSION_IDLE_MINUTES),
            )
        elif LAST_ACTIVITY not in session or now - last_activity >= ACTIVITY_RESOLUTION:
            session[LAST_ACTIVITY] = now


# Views an unverified user may reach: the code, the set-up, logging out.
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {"accounts:otp-verify", "accounts:otp-enrol", "accounts:logout"}
)


# The REST API's URL namespace (fremdrift.api.site), and the prefix of its
# addresses (the JSON 404 for unknown ones is outside the namespace).
API_NAMESPACE = "api"
API_ROUTE_PREFIX = "api/"


def _is_api(route: str, namespaces: list[str]) -> bool:
    return API_NAMESPACE in namespaces or route.startswith(API_ROUTE_PREFIX)


class TwoFactorRequiredMiddleware:
    """Users who must confirm a one-time code (``two_factor_required``) and
    have not done so in this session reach only the code page, the set-up
    page (while they have no authenticator app) and logging out; every other
    view, the admin included, redirects there and back afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if match is not None and _is_api(match.route, match.namespaces):
            # The API authenticates each request by its bearer token, never
            # by the session; a browser's session there is not used at all.
            return None
        if not two_factor_required(user):
            return None
        target = (
            "accounts:otp-verify"
            if user_has_device(user, confirmed=True)
            else "accounts:otp-enrol"
        )
        return redirect_to_login(request.get_full_path(), reverse(target))


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and its older equivalents) on every
    response to a logged-in user and every API answer: their pages,
    downloads and JSON may hold personal data, which neither the browser
    nor a proxy may keep. Static files are answered before this by
    WhiteNoise and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if (user is not None and user.is_authenticated) or (
            match is not None and _is_api(match.route, match.namespaces)
        ):
            add_never_cache_headers(response)
        return response

"""Rate limits on the API and on downloads, with django-ratelimit.

Two groups, each counted per user when logged in (or for the API, per
bearer token's user) and per client address otherwise (django-ratelimit's
``user_or_ip``; the address is ``client_ip_address``, the one the login
throttling uses):

- ``fremdrift.api``: every API operation, ``FREMDRIFT_API_RATE`` (default
  120/m);
- ``fremdrift.download``: every file download of the web pages (reports,
  issued reports, evidence, plan folders, import templates, the access
  log's export and a participant's extract as CSV),
  ``FREMDRIFT_DOWNLOAD_RATE`` (default 30/m).

The counters live in the cache ``RATELIMIT_USE_CACHE`` names (settings.py:
Redis when ``FREMDRIFT_REDIS_URL`` is set, else this process's memory).
A refused request answers 429: the Danish error page on the web
(``RATELIMIT_VIEW``, through django-ratelimit's middleware), the API's
JSON error shape on the API (api/errors.py); the security log's one line
(``SecurityLogMiddleware``) names the group as its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from fremdrift.accounts.lockout import client_ip_address

from .security_log import refusal_reason

API_GROUP = "fremdrift.api"
DOWNLOAD_GROUP = "fremdrift.download"

F = TypeVar("F", bound=Callable[..., Any])


def api_rate(group: str, request: HttpRequest) -> str:
    """Read when the request comes, so that a changed setting applies."""
    return str(settings.FREMDRIFT_API_RATE)


def download_rate(group: str, request: HttpRequest) -> str:
    return str(settings.FREMDRIFT_DOWNLOAD_RATE)


class RateLimited(Ratelimited):
    """Refused for asking too often; ``group`` says which limit."""

    def __init__(self, group: str) -> None:
        self.group = group
        super().__init__(f"rate limit ({group})")


def check_api_rate(request: HttpRequest, *, user_id: int | None) -> None:
    """Count one API request of the bearer token's user ``user_id``, or,
    without a valid token, of the client's address (never the session's
    user: the API reads no cookie), and raise ``RateLimited`` past the
    rate."""

    def key(group: str, request: HttpRequest) -> str:
        if user_id is not None:
            return f"user:{user_id}"
        return f"address:{client_ip_address(request) or '-'}"

    if is_ratelimited(request, group=API_GROUP, key=key, rate=api_rate, increment=True):
        refusal_reason(request, f"rate limit ({API_GROUP})")
        raise RateLimited(API_GROUP)


def download_limited(view: F) -> F:
    """A download view, counted in the download group (per user, or per
    address when not logged in); past the rate django-ratelimit raises
    ``Ratelimited``, and its middleware answers with ``rate_limited``."""
    limited: F = ratelimit(
        group=DOWNLOAD_GROUP, key="user_or_ip", rate=download_rate, block=True
    )(view)
    return limited


def check_download_rate(request: HttpRequest) -> None:
    """Count one download of a view that is also a page (the download is
    one of its answers): the same counter as ``download_limited``."""
    if is_ratelimited(
        request,
        group=DOWNLOAD_GROUP,
        key="user_or_ip",
        rate=download_rate,
        increment=True,
    ):
        raise Ratelimited()


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``RATELIMIT_VIEW``: the Danish 429 page, and the reason of the
    security log's line."""
    group = getattr(exception, "group", DOWNLOAD_GROUP)
    refusal_reason(request, f"rate limit ({group})")
    message = _(
        "Du har hentet for mange filer på kort tid. Vent et minut, og prøv så igen."
    )
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response

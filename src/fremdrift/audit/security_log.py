"""Security events for the operations log (Python logging, logger
``fremdrift.security``): every refused request, one line each. The access
log records what people did see; this records what they were refused.
Where the lines go is the deployment's LOGGING setting (docs/privacy.md).

The line is written in one place, ``SecurityLogMiddleware``, from the
status of the response, whatever produced it: a view of the web pages, an
API operation (its exception handlers, api/errors.py), a download, the
admin, Django's CSRF check or django-axes's lockout. A view that knows why
it refused says so with ``authorization_denied`` (or ``refusal_reason``);
that names the reason of the one line, it does not write a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger("fremdrift.security")

# The answers that are refusals: not logged in (401), not allowed (403,
# CSRF failures included), not found at a known address (404: a row
# outside the user's plans is not found), too many tries (429).
REFUSALS = frozenset({401, 403, 404, 429})
DEFAULT_REASONS = {
    401: "not authenticated",
    403: "forbidden",
    404: "not found",
    429: "too many requests",
}
# Where the reason waits on the request until the response is logged.
REASON_ATTRIBUTE = "_fremdrift_refusal_reason"
# The catch-all views: a 404 there is an address that does not exist, not
# a refused object (the API's JSON 404, the admin's catch-all).
CATCH_ALL_VIEWS = frozenset({"not_found_view", "catch_all_view"})


def _clean(value: object) -> str:
    """One line, printable: a path like /x%0aFAKE decodes to a newline,
    and must not start a forged log line."""
    text = str(value)
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)[:300]


def refusal_reason(request: HttpRequest, reason: str) -> None:
    """Say why ``request`` is being refused; the security log's one line
    for it (written by ``SecurityLogMiddleware``) names this reason. The
    first reason given wins: it is the closest to the check that failed."""
    if not hasattr(request, REASON_ATTRIBUTE):
        setattr(request, REASON_ATTRIBUTE, reason)


def authorization_denied(request: HttpRequest, *, status: int, reason: str) -> None:
    """A request about to be refused with ``status`` (403, or 404 for rows
    outside the user's scope), and why. The line itself is written once the
    response is made (``status`` is that of the response then)."""
    refusal_reason(request, reason)


def _user_id(request: HttpRequest) -> str:
    """The account's id (never its password, nor its name: the id is
    enough to find the account and is no more personal data than needed).
    The API sets ``request.user`` from the bearer token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return str(user.pk)
    return "-"


def _target(request: HttpRequest) -> tuple[str, str]:
    """The view (its URL name) and the objects the address names."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "-", "-"
    view = match.view_name or match.route or "-"
    objects = ",".join(f"{k}:{v}" for k, v in sorted(match.kwargs.items())) or "-"
    return view, objects


def is_refusal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the answer refuses the request: a refusing status, and for a
    404, one at a known address (an unknown one refuses nothing)."""
    status = response.status_code
    if status not in REFUSALS:
        return False
    if status != 404 or hasattr(request, REASON_ATTRIBUTE):
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    name = getattr(match.func, "__name__", "")
    return name not in CATCH_ALL_VIEWS


def refusal_logged(request: HttpRequest, response: HttpResponseBase) -> None:
    """The one line for a refused request: who, what, from where, why."""
    from fremdrift.accounts.lockout import client_ip_address

    status = response.status_code
    reason = getattr(request, REASON_ATTRIBUTE, DEFAULT_REASONS.get(status, "-"))
    view, objects = _target(request)
    logger.warning(
        "authorization denied status=%s user_id=%s ip=%s method=%s path=%s "
        "view=%s objects=%s reason=%s",
        status,
        _user_id(request),
        _clean(client_ip_address(request) or "-"),
        _clean(request.method),
        _clean(request.path),
        _clean(view),
        _clean(objects),
        _clean(reason),
    )


class SecurityLogMiddleware:
    """Writes the one ``fremdrift.security`` line of every refused request
    (``is_refusal``). Placed before the session, CSRF and django-axes
    middleware, so that it sees their answers too (a CSRF failure, a
    lockout's 429)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_refusal(request, response):
            refusal_logged(request, response)
        return response

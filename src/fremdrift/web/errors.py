"""Error pages in the site's layout and language: 400, 403 (refusals and
CSRF failures), 404, 429 and 500 (``handler400`` ... in fremdrift/urls.py,
``CSRF_FAILURE_VIEW``), and the answers a view gives when it cannot do the
work now (``unavailable``, 503) or for this visitor this often
(``too_many_requests``, 429).

Django's own 403 and 404 handlers already render 403.html and 404.html
with the request; its 400 and 500 handlers render without it, so the page
would lose its language switch. The handlers here pass the request. The
language is the one LanguageMiddleware chose: a view's exception becomes a
response inside it.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from fremdrift.audit.security_log import refusal_reason
from fremdrift.plans.models import Plan

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request the site cannot make sense of."""
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``. Rendering the site's layout needs little (no
    database), but if even that fails, a bare page says the same."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered")
        heading = escape(_("Der skete en fejl på serveren"))
        return HttpResponseServerError(
            f"<!DOCTYPE html><title>{heading}</title><h1>{heading}</h1>"
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form refused for a missing or stale CSRF
    token. Django logs the reason (django.security.csrf); the reader gets
    what to do about it; the security log's line names the reason."""
    refusal_reason(request, f"csrf: {reason}")
    return render(request, "403_csrf.html", status=403)


def unavailable(
    request: HttpRequest,
    *,
    message: str = "",
    plan: Plan | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    """503: the work cannot be done now (a PDF beyond the typesetting
    limits, a full queue). ``message`` (translated by the caller) says why
    and what to do instead; ``plan`` adds a link back to its page;
    ``retry_after`` (seconds) becomes the Retry-After header."""
    response = render(
        request, "503.html", {"message": message, "plan": plan}, status=503
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def too_many_requests(
    request: HttpRequest, *, message: str = "", retry_after: int | None = None
) -> HttpResponse:
    """429: this visitor asked too often (login lockouts have their own
    page, accounts/lockout.py)."""
    response = render(request, "429.html", {"message": message}, status=429)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response

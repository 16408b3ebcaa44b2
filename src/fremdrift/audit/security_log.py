"""Security events for the operations log (Python logging, logger
``fremdrift.security``): refused access to plans, activities and the
access log. The access log records what people did see; this records
what they were refused. Where the lines go is the deployment's LOGGING
setting (docs/privacy.md)."""

from __future__ import annotations

import logging

from django.http import HttpRequest

logger = logging.getLogger("fremdrift.security")


def _clean(value: object) -> str:
    """One line, printable: a path like /x%0aFAKE decodes to a newline,
    and must not start a forged log line."""
    text = str(value)
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)[:300]


def authorization_denied(request: HttpRequest, *, status: int, reason: str) -> None:
    """A request refused with ``status`` (403, or 404 for rows outside the
    user's scope): who, what, from where."""
    from fremdrift.accounts.lockout import client_ip_address

    user = request.user if hasattr(request, "user") else None
    name = user.get_username() if user is not None and user.is_authenticated else "-"
    logger.warning(
        "authorization denied status=%s user=%s ip=%s method=%s path=%s reason=%s",
        status,
        _clean(name),
        _clean(client_ip_address(request) or "-"),
        _clean(request.method),
        _clean(request.path),
        _clean(reason),
    )

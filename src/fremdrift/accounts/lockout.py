"""Login throttling with django-axes: who is counted, how many failures are
allowed, and the page a locked-out visitor sees.

Failed logins are counted twice (``AXES_LOCKOUT_PARAMETERS``): per user name
and address together, and per address alone. The pair is locked after
``AXES_FAILURE_LIMIT`` failures (5) within ``AXES_COOLOFF_TIME``; the address
alone only after ``FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT`` (30), because a
municipality's staff often share one public address and a few colleagues'
typos must not lock the whole office out. A user name alone is never
locked: that would let anyone lock a colleague out from anywhere.
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes's database handler with a separate, higher limit for the
    failures from one address whatever the user name."""

    def get_failures(self, request: HttpRequest, credentials: Any = None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT
        counts = []
        for parameter, queryset in zip(parameters, attempts, strict=True):
            failures = queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                # Axes compares one number with one limit: the address's
                # failures are scaled so that reaching the address limit
                # reads as reaching Axes's (floor(f * L / A) >= L exactly
                # when f >= A).
                failures = failures * limit // address_limit
            counts.append(failures)
        return max(counts, default=0)


def client_ip_address(request: HttpRequest) -> str | None:
    """The visitor's address: from the header the reverse proxy sets
    (``FREMDRIFT_CLIENT_IP_HEADER``, X-Real-IP behind the proxy in
    docs/deployment.md) or else the connection's. The header is trusted only
    because the application server listens on a socket that only the proxy
    can reach, and the proxy overwrites any value a client sends."""
    header = settings.FREMDRIFT_CLIENT_IP_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        # X-Forwarded-For is a list: the last entry is the one our proxy
        # added; anything before it came from the client.
        forwarded = request.META.get(meta_key, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Any = None,
) -> HttpResponse:
    """The login page with the lockout explained instead of the form
    (``AXES_LOCKOUT_CALLABLE``), answered with 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 0
    return render(
        request,
        "accounts/login.html",
        {"locked_out": True, "minutes": minutes},
        status=429,
    )

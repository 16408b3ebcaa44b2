"""Login throttling with django-axes: who is counted, how many failures are
allowed, and the page a locked-out visitor sees.

Failed logins are counted twice (``AXES_LOCKOUT_PARAMETERS``): per user name
and address together, and per address alone. The pair is locked after
``AXES_FAILURE_LIMIT`` failures (5) within ``AXES_COOLOFF_TIME``; the address
alone only after ``FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT`` (30), because a
municipality's staff often share one public address and a few colleagues'
typos must not lock the whole office out.

A user name alone, from any addresses, is counted too for an account
without a confirmed authenticator app (``lockout_parameters``): staff,
board members and auditors who log in with a password only could
otherwise be guessed at from many addresses. It is locked after
``FREMDRIFT_LOGIN_USER_FAILURE_LIMIT`` (10) failures, for the same
``AXES_COOLOFF_TIME``, and a try during the lock does not extend it. That
lock is what an attacker could keep a colleague out with, so it ends by
itself, and never applies to an account with an authenticator: there the
one-time code stops the guessing, and setting one up (offered to every
role) is the way out of repeated locks.
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessBase
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp import user_has_device

# Per user name and address (Axes's AXES_FAILURE_LIMIT), and per address
# (FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT).
ALWAYS_COUNTED: list[str | list[str]] = [["username", "ip_address"], "ip_address"]


def _has_authenticator(username: str) -> bool:
    account = get_user_model()._default_manager.filter(username=username).first()
    return account is not None and user_has_device(account, confirmed=True)


def lockout_parameters(
    request_or_attempt: HttpRequest | AccessBase, credentials: Any = None
) -> list[str | list[str]]:
    """``AXES_LOCKOUT_PARAMETERS``: what failures are counted by. The user
    name alone is counted only for an account without a confirmed
    authenticator (a name that is no account's counts too, so that the
    answers do not tell which names exist)."""
    if isinstance(request_or_attempt, AccessBase):
        username = request_or_attempt.username
    else:
        username = get_client_username(request_or_attempt, credentials)
    if username and not _has_authenticator(username):
        return [*ALWAYS_COUNTED, "username"]
    return list(ALWAYS_COUNTED)


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes's database handler with separate, higher limits for the
    failures from one address whatever the user name, and for one user
    name from any addresses."""

    def get_failures(self, request: HttpRequest, credentials: Any = None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        limit = settings.AXES_FAILURE_LIMIT
        scaled_limits = {
            "ip_address": settings.FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT,
            "username": settings.FREMDRIFT_LOGIN_USER_FAILURE_LIMIT,
        }
        counts = []
        for parameter, queryset in zip(parameters, attempts, strict=True):
            failures = queryset.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if isinstance(parameter, str) and parameter in scaled_limits:
                # Axes compares one number with one limit: the address's
                # (or user name's) failures are scaled so that reaching its
                # own limit A reads as reaching Axes's L (floor(f * L / A)
                # >= L exactly when f >= A).
                failures = failures * limit // scaled_limits[parameter]
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

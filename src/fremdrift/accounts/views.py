"""Logging in beyond the password: the account page, the one-time code,
setting up an authenticator app (offered to everyone, required of some),
changing one's password, and what a plan asks of its members when they
log in. (The login page itself is Django's LoginView, throttled by
django-axes; see lockout.py.)"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from fremdrift.plans.models import Plan

from .forms import OneTimeCodeForm, PlanSecurityForm
from .models import PlanMembership, PlanSecurity
from .policy import is_plan_member, may_set_plan_security, plans_administered_by
from .selectors import two_factor_required
from .services import (
    plan_security_set,
    totp_device_unsaved,
    totp_enrol,
    totp_verify,
)

# The key of the authenticator app being set up, kept in the session (not
# the database) until a first code confirms it: showing the page changes
# nothing.
PENDING_KEY = "fremdrift_totp_pending_key"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The one-time code after the password."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:otp-enrol")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(user):
            form.add_error(
                "token",
                _("For mange forkerte koder i træk. Vent et øjeblik, og prøv igen."),
            )
        else:
            device = totp_verify(user=user, token=form.cleaned_data["token"])
            if device is not None:
                _verified(request, device)
                return redirect(_next_url(request))
            form.add_error(
                "token",
                _("Koden er forkert eller udløbet. Skriv den kode, appen viser nu."),
            )
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: a QR code (and the secret to type
    in), confirmed with the first code the app shows."""
    user = request.user
    if user_has_device(user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:otp-verify")
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = totp_enrol(user=user, key=key, token=form.cleaned_data["token"])
        if device is not None:
            del request.session[PENDING_KEY]
            _verified(request, device)
            messages.success(request, _("Godkendelsesappen er sat op."))
            return redirect(_next_url(request))
        form.add_error("token", _("Koden passer ikke. Skriv den kode, appen viser nu."))
    pending = totp_device_unsaved(user=user, key=key)
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "required": two_factor_required(user),
            "qr_code": _qr_svg(pending.config_url),
            "secret": _grouped(b32encode(pending.bin_key).decode("ascii")),
        },
    )


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: their roles, whether an authenticator app
    is set up (and the way to set one up, whatever the role), whether
    their roles or plans require one, and the password change."""
    user = request.user
    memberships = (
        PlanMembership.objects.filter(user=user)
        .select_related("plan__security")
        .order_by("plan__name")
    )
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "has_app": user_has_device(user, confirmed=True),
            "required": two_factor_required(user),
            "administered": plans_administered_by(user).order_by("name"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_security(request: HttpRequest, slug: str) -> HttpResponse:
    """What the plan asks of its members when they log in, set by its
    administrator: an authenticator app for everyone, or only for the
    roles that always need one."""
    plan = get_object_or_404(Plan, slug=slug)
    user = request.user
    # Outside the plan it is not found; a member of another role is refused
    # (the security log writes the line for either).
    if not is_plan_member(user, plan):
        raise Http404
    if not may_set_plan_security(user, plan):
        raise PermissionDenied
    current = PlanSecurity.objects.filter(plan=plan).first()
    # An unticked box sends nothing: an empty POST still says "no".
    form = PlanSecurityForm(
        request.POST if request.method == "POST" else None,
        initial={"two_factor_required": bool(current and current.two_factor_required)},
    )
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["two_factor_required"]
        plan_security_set(plan=plan, two_factor_required=required, by=user)
        messages.success(
            request,
            _("Alle i planen skal nu bruge en godkendelsesapp.")
            if required
            else _("Kun de roller, der altid skal, bruger nu en godkendelsesapp."),
        )
        return redirect("accounts:plan-security", slug=plan.slug)
    return render(
        request,
        "accounts/plan_security.html",
        {"plan": plan, "form": form, "security": current},
    )


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change (the old password, then the new one twice,
    checked by AUTH_PASSWORD_VALIDATORS); the user's other sessions end,
    this one stays."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("registrations:home")
    success_message = gettext_lazy("Din adgangskode er skiftet.")


def _verified(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # More rights than a moment ago: a new session key, as at login.
    request.session.cycle_key()


def _throttled(user: object) -> bool:
    """Whether django-otp makes the user wait after wrong codes (1, 2, 4,
    ... seconds after each one in a row)."""
    return not any(
        device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.devices_for_user(user, confirmed=True)
    )


def _next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return ""


def _next_url(request: HttpRequest) -> str:
    return _next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _redirect_keeping_next(request: HttpRequest, view_name: str) -> HttpResponse:
    url = reverse(view_name)
    next_url = _next(request)
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return redirect(url)


def _qr_svg(uri: str) -> SafeString:
    """The otpauth URI as an inline SVG (no script, no style: nothing the
    content security policy would block)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    label = escape(_("QR-kode til godkendelsesappen"))
    # The SVG is qrcode's own output for a URI we built; only the label is
    # text, and it is escaped.
    return mark_safe(
        svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1)
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))

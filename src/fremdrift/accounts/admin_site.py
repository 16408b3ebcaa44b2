"""The admin site: staff who have confirmed a one-time code in this session,
logging in through the application's own login (throttled, two-factor),
who see the rows of the plans they administer only (admin_scoping.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import ModelAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from .admin_scoping import plan_scoped


class VerifiedAdminSite(OTPAdminSite):
    """django-otp's admin site (``has_permission`` requires
    ``user.is_verified()``) whose login page is the application's, so the
    admin has no second, unthrottled way in."""

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        """Every ModelAdmin keeps to the plans its user administers,
        whichever app registers it (``admin_scoping``)."""
        super().register(
            model_or_iterable, plan_scoped(admin_class or ModelAdmin), **options
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        next_url = request.GET.get("next") or reverse(
            "admin:index", current_app=self.name
        )
        if request.user.is_authenticated:
            if self.has_permission(request):
                # Already in (and, the middleware saw to it, verified).
                return redirect(reverse("admin:index", current_app=self.name))
            # Logged in, but not staff: sending them to the login page
            # again would loop.
            raise PermissionDenied
        return redirect_to_login(next_url, reverse("accounts:login"))

"""The site's URLs and error handlers, plus two views that fail, for the
error page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from fremdrift.urls import handler400, handler500
from fremdrift.urls import urlpatterns as site_urlpatterns


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request the site cannot make sense of")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("fejl/400/", suspicious),
    path("fejl/403/", refused),
    path("fejl/500/", broken),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler500", "urlpatterns"]

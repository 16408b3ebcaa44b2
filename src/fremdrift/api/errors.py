"""Every error as JSON: ``{"detail": "..."}``, and for a request that is
not valid also ``errors``, each naming the field it is about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from fremdrift.audit.ratelimits import RateLimited
from fremdrift.audit.security_log import refusal_reason
from fremdrift.base.versioning import VersionConflict

from .schemas import ConflictOut, ErrorOut, ValidationErrorOut

NOT_VALID = "The request is not valid; see errors."

# The answers an operation may give besides its own: any operation of the
# caller's own (no plan named), one that reads a plan, one that writes.
# Any operation may answer 429: past FREMDRIFT_API_RATE (audit/ratelimits.py).
OWN_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
READ_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **READ_ERRORS}
# A write that may say which version it is based on.
VERSIONED_WRITE_ERRORS: dict[int, Any] = {409: ConflictOut, **WRITE_ERRORS}


class InvalidRequest(Exception):
    """A request the schema accepts but the plan's rules do not (a date
    outside the course, an unknown indicator): 422 with the fields."""

    def __init__(self, errors: Iterable[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors))


def field_path(location: Sequence[Any]) -> str:
    """Ninja's error location -> the field as the client wrote it:
    ("body", "payload", "rows", 0, "value") -> "rows.0.value",
    ("query", "page") -> "page"."""
    parts = list(location)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        source = parts.pop(0)
        # A body is one parameter named in the view; the client never sees
        # that name.
        if source == "body" and len(parts) > 1:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "body"


def install(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, body: dict[str, Any]
    ) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        refusal_reason(request, "api: no valid bearer token")
        response = respond(
            request,
            401,
            {
                "detail": "Authentication required: send 'Authorization: Bearer "
                "<token>' with a token that is neither expired nor revoked."
            },
        )
        response["WWW-Authenticate"] = 'Bearer realm="fremdrift"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        refusal_reason(request, "api: not found or not a member")
        return respond(request, 404, {"detail": "Not found."})

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        refusal_reason(request, f"api: role ({exc})" if str(exc) else "api: role")
        return respond(
            request, 403, {"detail": str(exc) or "Your role does not allow this."}
        )

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        # The reason is already given (audit/ratelimits.py).
        response = respond(
            request,
            429,
            {
                "detail": "Too many requests: the rate limit is "
                f"{settings.FREMDRIFT_API_RATE} per user, or per address "
                "without a token. Wait, and try again."
            },
        )
        response["Retry-After"] = "60"
        return response

    @api.exception_handler(NinjaValidationError)
    def not_valid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": field_path(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return respond(request, 422, {"detail": NOT_VALID, "errors": errors})

    @api.exception_handler(InvalidRequest)
    def refused(request: HttpRequest, exc: InvalidRequest) -> HttpResponse:
        errors = [{"field": f, "message": m} for f, m in exc.errors]
        return respond(request, 422, {"detail": NOT_VALID, "errors": errors})

    @api.exception_handler(VersionConflict)
    def conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
        return respond(
            request,
            409,
            ConflictOut(
                detail="Someone else changed this after the version you sent; "
                "nothing was written. Read it again and send your change with "
                "its new version.",
                version=exc.version,
                changed_at=exc.changed_at,
            ).model_dump(mode="json"),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, {"detail": exc.message})


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other address under /api/: a JSON 404, not the HTML page."""
    return HttpResponse(
        ErrorOut(detail="Not found.").model_dump_json(),
        status=404,
        content_type="application/json",
    )

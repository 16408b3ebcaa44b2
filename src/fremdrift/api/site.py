"""The REST API: one NinjaAPI, version 1 under /api/v1/, its OpenAPI
schema at /api/openapi.json. Every operation needs a bearer token."""

from __future__ import annotations

from ninja import NinjaAPI

from . import area_status, errors, plans, registrations, statistics
from .auth import BearerToken

api = NinjaAPI(
    title="fremdrift",
    version="1",
    description=(
        "Plans, criteria with verdicts, indicators and observations, sessions "
        "and attendance of Danish social-housing master plans, under the "
        "same roles as the web app. Authenticate with 'Authorization: Bearer "
        "<token>' (a token from `fremdrift api_token`). See docs/api.md."
    ),
    urls_namespace="api",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    # No interactive docs page: it would load scripts the site's Content
    # Security Policy does not allow. Any OpenAPI viewer reads the schema.
    docs_url=None,
)
errors.install(api)
api.add_router("/v1", plans.router)
api.add_router("/v1", statistics.router)
api.add_router("/v1", registrations.router)
api.add_router("/v1", area_status.router)

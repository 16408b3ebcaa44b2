"""Schemathesis against the API, in process: the schema is loaded from the
WSGI application at /api/openapi.json and every operation is called with
generated requests (valid and invalid) under a coordinator's token. Every
built-in check runs: no server error, status codes, content types,
headers and bodies as the schema says, invalid data refused, requests
without the token refused, and so on.

Path and body values come mostly from the test plan's own slugs and ids
(parameter dictionaries), so that the requests reach its criteria,
sessions and participants instead of stopping at "404 no such plan"; the
rest are generated, as are all query values.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone

from .world import World

pytestmark = pytest.mark.django_db

# A modest number per operation keeps the whole run around a minute.
MAX_EXAMPLES = 10


def _config(world: World) -> schemathesis.Config:
    plan = world.plan
    sessions = [world.session.pk, world.other_session.pk]
    today = timezone.localdate()
    return schemathesis.Config.from_dict(
        {
            "seed": 2025,
            "headers": {"Authorization": f"Bearer {world.tokens['coordinator']}"},
            "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
            "checks": {
                # A request the schema accepts may still break the plan's
                # rules (a date outside the course, a participant not
                # enrolled, an unknown indicator): 422, naming the field;
                # or send a version the session has left behind: 409.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
                }
            },
            "dictionaries": {
                "plans": {"values": [plan.slug] * 3 + [world.other_plan.slug]},
                "activities": {
                    "values": ["lektiecafe", "lektiecafe-sommer", world.club.slug]
                },
                "sessions": {"values": sessions},
                "courses": {"values": [world.course.pk, world.other_course.pk]},
                "participants": {
                    "values": [c.pk for c in world.children]
                    + [world.other_participant.pk]
                },
                "criteria": {
                    "values": list(plan.criteria.values_list("ident", flat=True))
                },
                "indicators": {"values": ["employment", "placements"]},
                "populations": {"values": ["nord", "syd", "kommunen", "i-alt"]},
                "periods": {"values": ["2023", "2024", "2025K1", "2024M05"]},
                "values": {"values": [0, 12, 42.5, 100]},
                "dates": {
                    "values": [today.isoformat(), world.course.start.isoformat()]
                },
            },
            "parameters": {
                "path.slug": {"dictionary": "plans", "probability": 0.9},
                "path.activity": {"dictionary": "activities", "probability": 0.9},
                "path.session_id": {"dictionary": "sessions", "probability": 0.9},
                "path.ident": {"dictionary": "criteria", "probability": 0.8},
                "path.indicator": {"dictionary": "indicators", "probability": 0.8},
                "query.indicator": {"dictionary": "indicators", "probability": 0.5},
                "query.population": {"dictionary": "populations", "probability": 0.5},
                "body.course": {"dictionary": "courses", "probability": 0.7},
                "body.date": {"dictionary": "dates", "probability": 0.7},
                "body.present[*]": {"dictionary": "participants", "probability": 0.8},
                "body.rows[*].indicator": {
                    "dictionary": "indicators",
                    "probability": 0.8,
                },
                "body.rows[*].population": {
                    "dictionary": "populations",
                    "probability": 0.8,
                },
                "body.rows[*].period": {"dictionary": "periods", "probability": 0.8},
                "body.rows[*].value": {"dictionary": "values", "probability": 0.7},
            },
        }
    )


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Schemathesis calls the WSGI application directly, whose end of
    request closes a connection that is inside a transaction: the test's
    own on PostgreSQL. Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world: World, connection_kept: None, settings):  # type: ignore[no-untyped-def]
    # Thousands of calls in one test: past the rate limit, every answer
    # would be 429 (tests/test_rate_limits.py tests the limit).
    settings.FREMDRIFT_API_RATE = "1000000/m"
    return schemathesis.openapi.from_wsgi(
        "/api/openapi.json", get_wsgi_application(), config=_config(world)
    )


@pytest.fixture(autouse=True)
def _node_id(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32 renames the test per operation through Node._nodeid,
    # which pytest 9.2 no longer sets.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@pytest.mark.slow
def test_the_api_keeps_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()

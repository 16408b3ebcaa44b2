"""The download form shown again after an error offers only the versions
the reader may have, as the plan page's form does."""

from __future__ import annotations

from unittest import mock

import pytest

from fremdrift.reports.assembly import ReportRequestError
from fremdrift.web import views

from .test_audience import _client_for

pytestmark = pytest.mark.django_db

# An annual report without a year is refused by the form itself.
INVALID = {"kind": "annual", "format": "html", "audience": "internal"}


def _offered(response) -> list[str]:  # type: ignore[no-untyped-def]
    choices = response.context["report_form"]["audience"].field.choices
    return [value for value, _label in choices]


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (None, ["board", "public"]),
        ("board", ["board", "public"]),
        ("staff", ["board", "public", "internal"]),
    ],
)
def test_the_form_shown_again_offers_only_the_readers_versions(
    mini, role, offered
) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(mini, role).get(
        f"/planer/{mini.slug}/rapport/hent/", INVALID
    )
    assert response.status_code == 400
    assert _offered(response) == offered
    text = response.content.decode()
    assert "Vælg et år for års- og fremdriftsrapporter." in text
    assert ('value="internal"' in text) is (role == "staff")


def test_a_report_that_cannot_be_made_shows_the_visitor_no_internal_version(
    mini,
) -> None:  # type: ignore[no-untyped-def]
    # A valid choice whose report the assembly refuses (422): the form is
    # shown again with the reason.
    refusal = ReportRequestError("no such report for this plan")
    with mock.patch.object(views, "report_build", side_effect=refusal):
        response = _client_for(mini, None).get(
            f"/planer/{mini.slug}/rapport/hent/",
            {"kind": "final", "format": "html", "audience": "board"},
        )
    assert response.status_code == 422
    assert "no such report for this plan" in response.content.decode()
    assert _offered(response) == ["board", "public"]
    assert 'value="internal"' not in response.content.decode()


def test_the_internal_version_is_still_refused_to_a_visitor(mini) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(mini, None).get(
        f"/planer/{mini.slug}/rapport/hent/",
        {"kind": "final", "format": "html", "audience": "internal"},
    )
    assert response.status_code == 403

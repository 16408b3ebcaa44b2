"""Issuing a report from the web: the coordinator and the plan
administrator choose, preview and issue; a PDF is typeset by a worker;
nobody else may; bad input writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fremdrift.accounts.policy import may_issue_reports
from fremdrift.accounts.services import membership_grant
from fremdrift.reports.models import IssuedReport, IssueRequest, RenderedReport
from fremdrift.statistics.models import Observation

from ..accounts.verified import log_in_verified
from ..registrations.personas import PASSWORD
from ..reports.worker import run_worker

pytestmark = pytest.mark.django_db

ANNUAL = {
    "kind": "annual",
    "year": "2023",
    "tertial": "",
    "format": "html",
    "audience": "board",
    "lang": "da",
    "recipient": "city_council",
    "recipient_other": "",
    "note": "Til byrådets møde i marts.",
}


def _member(plan, role: str) -> User:  # type: ignore[no-untyped-def]
    person = User.objects.create_user(username=role, password=PASSWORD)
    membership_grant(user=person, plan=plan, role=role)
    return person


@pytest.fixture
def coordinator(mini) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in_verified(client, _member(mini, "coordinator"))
    return client


def _url(plan, tail: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"/planer/{plan.slug}/udsend/{tail}"


def test_the_coordinator_issues_an_html_report_to_the_city_council_with_a_note(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    form = coordinator.get(_url(mini))
    assert form.status_code == 200
    assert "Byrådet" in form.content.decode()

    response = coordinator.post(_url(mini), ANNUAL, follow=True)

    issued = IssuedReport.objects.get()
    assert (issued.recipient, issued.note) == ("Byrådet", "Til byrådets møde i marts.")
    assert (issued.kind, issued.year, issued.audience) == ("annual", 2023, "board")
    assert issued.issued_by == "coordinator"
    assert bytes(issued.content).startswith(b"<!DOCTYPE html>")
    assert response.redirect_chain[-1][0] == issued.get_absolute_url()
    assert "Til byrådets møde i marts." in response.content.decode()


def test_a_pdf_is_issued_by_the_worker_while_the_page_waits(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    sent = coordinator.post(
        _url(mini), {**ANNUAL, "format": "pdf", "recipient": "lbf", "note": ""}
    )
    request = IssueRequest.objects.get()
    assert sent["Location"] == _url(mini, f"{request.pk}/")
    assert not IssuedReport.objects.exists()

    waiting = coordinator.get(sent["Location"])
    assert waiting.status_code == 202
    assert "Rapporten dannes…" in waiting.content.decode()
    poll = coordinator.get(sent["Location"], headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "hx-trigger" in poll.content.decode()

    run_worker()

    issued = IssuedReport.objects.get()
    assert issued.recipient == "Landsbyggefonden"
    assert bytes(issued.content).startswith(b"%PDF")
    poll = coordinator.get(sent["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == issued.get_absolute_url()
    assert coordinator.get(sent["Location"])["Location"] == issued.get_absolute_url()


def test_a_pdf_already_typeset_from_the_same_data_is_issued_at_once(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    download = {k: ANNUAL[k] for k in ("kind", "year", "audience", "lang")}
    download["format"] = "pdf"
    assert (
        coordinator.get(f"/planer/{mini.slug}/rapport/hent/", download).status_code
        == 202
    )
    run_worker()
    rendered = RenderedReport.objects.get(status=RenderedReport.Status.READY)

    sent = coordinator.post(_url(mini), {**ANNUAL, "format": "pdf"})

    issued = IssuedReport.objects.get()
    assert sent["Location"] == _url(mini, f"{issued.request.pk}/")
    assert bytes(issued.content) == bytes(rendered.content)
    assert issued.request.status == IssueRequest.Status.ISSUED


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"recipient": "other"},
            "recipient_other",
            "Skriv, hvem rapporten sendes til.",
        ),
        ({"kind": "progress"}, "tertial", "Vælg et tertial for en fremdriftsrapport."),
        ({"year": "1999"}, "year", "Planen løber ikke det år."),
        ({"recipient": ""}, "recipient", "Dette felt er påkrævet."),
    ],
)
def test_bad_input_is_named_on_its_field_and_writes_nothing(  # type: ignore[no-untyped-def]
    coordinator: Client, mini, change, field, message
) -> None:
    response = coordinator.post(_url(mini), {**ANNUAL, **change})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert not IssueRequest.objects.exists()
    assert not IssuedReport.objects.exists()


def test_the_preview_shows_the_chosen_report_as_a_page(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    response = coordinator.get(_url(mini, "vis/"), ANNUAL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1" in response.content.decode()
    assert "Årsrapport 2023" in response.content.decode()
    assert not IssuedReport.objects.exists()


def test_the_plan_administrator_may_issue_too(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    log_in_verified(client, _member(mini, "plan_admin"))
    client.post(_url(mini), ANNUAL)
    assert IssuedReport.objects.get().issued_by == "plan_admin"


@pytest.mark.parametrize("role", ["staff", "board", "auditor"])
def test_other_roles_are_refused_issuing(mini, role: str) -> None:  # type: ignore[no-untyped-def]
    person = _member(mini, role)
    client = Client()
    client.force_login(person)

    assert not may_issue_reports(person, mini)
    assert client.get(_url(mini)).status_code == 403
    assert client.post(_url(mini), ANNUAL).status_code == 403
    assert client.get(_url(mini, "vis/"), ANNUAL).status_code == 403
    assert not IssueRequest.objects.exists()


def test_a_visitor_is_sent_to_log_in(client: Client, mini) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_url(mini), ANNUAL)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/log-ind/")
    assert not IssueRequest.objects.exists()


def test_the_plan_page_lists_issued_reports_with_what_changed_since(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    coordinator.post(_url(mini), ANNUAL)
    page = coordinator.get(mini.get_absolute_url()).content.decode()
    assert "uændret i dagens data" in page
    assert _url(mini) in page  # the link to issue another

    observation = Observation.objects.get(population__slug="nord", period="2023")
    observation.value = Decimal("39.0")
    observation.save()

    page = coordinator.get(mini.get_absolute_url()).content.decode()
    issued = IssuedReport.objects.get()
    assert issued.get_absolute_url() in page
    assert "3 tal eller vurderinger er ændret siden" in page
    assert "Til byrådets møde i marts." in page


def test_the_plan_page_offers_issuing_only_to_those_who_may(  # type: ignore[no-untyped-def]
    client: Client, mini
) -> None:
    assert _url(mini) not in client.get(mini.get_absolute_url()).content.decode()

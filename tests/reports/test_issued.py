"""Issued reports: kept as sent, compared with today's data."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from fremdrift.reports.models import IssuedReport
from fremdrift.reports.services import issued_report_changes, report_issue
from fremdrift.statistics.models import Observation

from .worker import run_worker

pytestmark = pytest.mark.django_db


def _issue(plan):  # type: ignore[no-untyped-def]
    return report_issue(
        plan=plan,
        kind="annual",
        year=2023,
        fmt="html",
        recipient="Landsbyggefonden",
        issued_by="Sekretariatslederen",
    )


def test_an_issued_report_keeps_its_file_and_fingerprint(mini) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(mini)

    assert issued.title == "Årsrapport 2023"
    assert issued.as_of == datetime.date(2023, 12, 31)
    assert issued.audience == "board"
    assert hashlib.sha256(bytes(issued.content)).hexdigest() == issued.content_sha256
    assert len(issued.data_fingerprint) == 64
    assert issued_report_changes(issued) == []


def test_later_data_changes_do_not_alter_the_issued_report_but_are_listed(mini) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(mini)
    content = bytes(issued.content)
    observation = Observation.objects.get(population__slug="nord", period="2023")
    observation.value = Decimal("39.0")
    observation.save()

    again = IssuedReport.objects.get(pk=issued.pk)
    changes = issued_report_changes(again)

    assert bytes(again.content) == content
    assert {(c.where, c.field) for c in changes} == {
        ("observation employment/nord/2023", "value"),
        ("criterion goal-employment-nord", "achieved"),
        ("criterion goal-employment-nord", "pace"),
    }
    value_change = next(c for c in changes if c.field == "value")
    assert (value_change.before, value_change.after) == ("42", "39")


def test_the_issued_reports_page_names_what_changed_in_words(  # type: ignore[no-untyped-def]
    client: Client, mini
) -> None:
    issued = _issue(mini)
    observation = Observation.objects.get(population__slug="nord", period="2023")
    observation.value = Decimal("39.5")
    observation.save()
    criterion = mini.criteria.get(ident="goal-employment-nord")

    detail = client.get(issued.get_absolute_url()).content.decode()

    # Criteria by their text, observations by their indicator's and
    # population's names and the period in words; no ids, no field codes.
    assert f"Kriterium: {criterion.text}" in detail
    indicator = observation.indicator
    population = observation.population
    assert f"{indicator}, {population.name}, 2023" in detail
    assert "<td>Resultat</td>" in detail and "<td>Tempo</td>" in detail
    assert "<td>39,5</td>" in detail
    for code in ("goal-employment-nord", "employment/nord", ">achieved<", ">pace<"):
        assert code not in detail


def test_an_issued_report_cannot_be_changed(mini) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(mini)
    issued.recipient = "Someone else"
    with pytest.raises(ValueError, match="cannot be changed"):
        issued.save()


def test_the_report_command_issues_a_report(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "aarsrapport.html"
    call_command(
        "report", mini.slug, "--kind", "annual", "--year", "2023", "--format", "html",
        "--audience", "board", "--out", str(out),
        "--issue-to", "Bestyrelsen", "--issued-by", "Koordinatoren",
    )  # fmt: skip
    issued = IssuedReport.objects.get()
    assert issued.recipient == "Bestyrelsen"
    assert out.read_bytes() == bytes(issued.content)


def test_the_plan_page_lists_issued_reports_and_shows_their_changes(  # type: ignore[no-untyped-def]
    client: Client, mini
) -> None:
    issued = _issue(mini)
    page = client.get(mini.get_absolute_url()).content.decode()
    assert issued.get_absolute_url() in page
    assert "til Landsbyggefonden" in page

    detail = client.get(issued.get_absolute_url()).content.decode()
    assert "Ingen tal eller vurderinger er ændret" in detail
    file = client.get(f"{issued.get_absolute_url()}fil/")
    assert file.status_code == 200
    assert file.content == bytes(issued.content)


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK",
        ),
    ],
)
def test_the_plan_page_offers_every_format_as_a_download(  # type: ignore[no-untyped-def]
    client: Client, mini, fmt: str, content_type: str, start: bytes
) -> None:
    query = {
        "kind": "progress",
        "year": "2023",
        "tertial": "1",
        "format": fmt,
        "audience": "board",
    }
    response = client.get(f"/planer/{mini.slug}/rapport/hent/", query)
    if fmt == "pdf":
        # Typeset by a task worker; the same request then gets the file.
        assert response.status_code == 202
        run_worker()
        response = client.get(f"/planer/{mini.slug}/rapport/hent/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="eksempelby-2022-26-fremdriftsrapport-2023-t1.{fmt}"'
    )
    assert response.content.startswith(start)


def test_an_incomplete_download_request_explains_what_is_missing(
    client: Client, mini
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/planer/{mini.slug}/rapport/hent/",
        {"kind": "progress", "year": "2023", "format": "pdf", "audience": "board"},
    )
    assert response.status_code == 400
    assert "Vælg et tertial" in response.content.decode()

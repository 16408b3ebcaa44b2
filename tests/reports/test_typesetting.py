"""PDFs are typeset by a child process with a memory ceiling and a time
limit (reports/typesetting.py): the asking process never holds
WeasyPrint's layout, and a report too large for the limits fails with a
message that names the setting, on the command line and in the web app."""

from __future__ import annotations

import html

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from fremdrift.reports.typesetting import TypesettingError, typeset

HTML = (
    '<!DOCTYPE html><html lang="da"><head><title>Prøve</title></head>'
    "<body><h1>Fremdrift</h1><p>Lektiecaféen havde 111 deltagere.</p></body></html>"
)


def test_a_page_is_typeset_by_the_child_process() -> None:
    pdf = typeset(
        HTML,
        page_css="@page { size: A4; }",
        variant="pdf/ua-1",
        memory_mb=2048,
        timeout_s=120,
    )
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-64:]


def test_a_ceiling_too_low_names_the_memory_setting() -> None:
    with pytest.raises(TypesettingError, match="FREMDRIFT_PDF_MEMORY_MB") as caught:
        typeset(HTML, page_css="", variant="pdf/ua-1", memory_mb=64, timeout_s=120)
    assert "64 MB" in str(caught.value)


def test_a_time_limit_names_the_timeout_setting() -> None:
    with pytest.raises(TypesettingError, match="FREMDRIFT_PDF_TIMEOUT_SECONDS"):
        typeset(HTML, page_css="", variant="pdf/ua-1", memory_mb=2048, timeout_s=0)


@pytest.mark.django_db
@override_settings(PDF_MEMORY_MB=64)
def test_the_download_explains_a_pdf_too_large_and_offers_the_other_formats(  # type: ignore[no-untyped-def]
    client: Client, mini
) -> None:
    query = {
        "kind": "progress",
        "year": "2023",
        "tertial": "1",
        "audience": "board",
    }
    response = client.get(
        f"/planer/{mini.slug}/rapport/hent/", {**query, "format": "pdf"}
    )
    assert response.status_code == 503
    text = html.unescape(response.content.decode())
    assert "for stor til at blive sat op som PDF" in text
    assert "Hent den som HTML eller DOCX" in text
    # The limit is the PDF's alone.
    response = client.get(
        f"/planer/{mini.slug}/rapport/hent/", {**query, "format": "docx"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(PDF_MEMORY_MB=64)
def test_the_report_command_fails_with_the_reason(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "rapport.pdf"
    with pytest.raises(CommandError, match="FREMDRIFT_PDF_MEMORY_MB"):
        call_command(
            "report", mini.slug, "--kind", "final", "--format", "pdf", "--out", str(out)
        )
    assert not out.exists()

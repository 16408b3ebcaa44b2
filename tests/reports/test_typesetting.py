"""PDFs are typeset by a child process with a memory ceiling and a time
limit (reports/typesetting.py): the asking process never holds
WeasyPrint's layout, and a report too large for the limits fails with a
message that names the setting, on the command line and in the web app."""

from __future__ import annotations

import html

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from fremdrift.reports.models import RenderedReport
from fremdrift.reports.typesetting import TypesettingError, typeset

from .worker import run_worker

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
    # The worker typesets it, and fails; the waiting page then says why.
    assert response.status_code == 202
    run_worker()
    rendered = RenderedReport.objects.get()
    response = client.get(f"/planer/{mini.slug}/rapport/filer/{rendered.key}/")
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


def test_a_ceiling_above_the_hard_limit_is_lowered_to_it() -> None:
    """Under a service manager's or container's hard limit, a larger
    FREMDRIFT_PDF_MEMORY_MB still typesets (within the hard limit) instead
    of failing to set the ceiling."""
    import resource
    import subprocess
    import sys

    hard = 4 * 1024**3
    code = (
        "from fremdrift.reports.typesetting import typeset\n"
        "pdf = typeset('<p>x</p>', page_css='', variant='pdf/ua-1',"
        " memory_mb=100_000, timeout_s=120)\n"
        "print(pdf[:5].decode())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (hard, hard)),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert done.stdout.strip() == "%PDF-"


def _typesetting_children_niceness() -> set[int]:
    """The nice values of this process's typesetting children now running
    (field 19 of /proc/PID/stat)."""
    import os
    from pathlib import Path

    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        # After the name: state is field 3, ppid 4, nice 19.
        if (
            b"fremdrift.reports.typesetting" in cmdline
            and int(fields[1]) == os.getpid()
        ):
            found.add(int(fields[16]))
    return found


def test_the_typesetting_child_runs_below_the_web_requests_priority() -> None:
    """Typesetting is background work: its child runs at the niceness asked
    for, so a web request on the same cores is answered first."""
    import threading
    import time

    done = threading.Event()
    seen: set[int] = set()

    def watch() -> None:
        while not done.is_set():
            seen.update(_typesetting_children_niceness())
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        typeset(
            HTML,
            page_css="",
            variant="pdf/ua-1",
            memory_mb=2048,
            timeout_s=120,
            niceness=7,
        )
    finally:
        done.set()
        watcher.join()
    import os

    # Seen at this process's own niceness before it lowered itself (if the
    # watcher was quick), then at 7 (or this one's, if that is lower yet).
    own = os.getpriority(os.PRIO_PROCESS, 0)
    asked = max(own, 7)
    assert asked in seen
    assert seen <= {own, asked}

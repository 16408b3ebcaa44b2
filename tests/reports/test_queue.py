"""Report files are made by task workers, off the request path
(reports/queue.py): a request for a PDF answers a waiting page and enqueues
one job, shared by every reader who asks meanwhile; the worker stores the
file under the plan's data token; the next request is served from storage
without a job; a change to the plan's data makes the file stale; at most
FREMDRIFT_TYPESETTING_CONCURRENCY jobs typeset at once."""

from __future__ import annotations

import datetime
import html

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fremdrift.reports.models import RenderedReport, TypesettingSlot
from fremdrift.reports.queue import typesetting_slot_release, typesetting_slot_take

from .worker import run_worker

pytestmark = pytest.mark.django_db

PROGRESS = {
    "kind": "progress",
    "year": "2023",
    "tertial": "1",
    "audience": "board",
    "lang": "da",
}
FILENAME = "eksempelby-2022-26-fremdriftsrapport-2023-t1"


def _download(client: Client, slug: str, fmt: str, **query: str):  # type: ignore[no-untyped-def]
    return client.get(
        f"/planer/{slug}/rapport/hent/", {**PROGRESS, "format": fmt, **query}
    )


@pytest.mark.slow
def test_a_pdf_is_made_by_the_worker_and_then_served_from_storage(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    first = _download(client, mini.slug, "pdf")
    assert first.status_code == 202
    assert "Rapporten dannes…" in html.unescape(first.content.decode())
    rendered = RenderedReport.objects.get()
    assert rendered.status == RenderedReport.Status.PENDING
    status_url = f"/planer/{mini.slug}/rapport/filer/{rendered.key}/"
    assert status_url in first.content.decode()
    # A second reader while the file is made waits for the same job.
    assert _download(Client(), mini.slug, "pdf").status_code == 202
    assert DBTaskResult.objects.count() == 1
    assert RenderedReport.objects.count() == 1

    run_worker()

    rendered.refresh_from_db()
    assert rendered.status == RenderedReport.Status.READY
    assert bytes(rendered.content).startswith(b"%PDF-")
    assert rendered.typeset_seconds is not None
    poll = client.get(status_url, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "Rapporten er klar." in poll.content.decode()
    file_url = f"{status_url}fil/"
    assert file_url in poll.content.decode()
    served = client.get(file_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == f'attachment; filename="{FILENAME}.pdf"'
    assert served.content == bytes(rendered.content)
    # The same request again: the stored file, and no new job.
    again = _download(client, mini.slug, "pdf")
    assert again.status_code == 200
    assert again.content == bytes(rendered.content)
    assert DBTaskResult.objects.count() == 1


def test_the_poll_waits_while_the_file_is_made(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    _download(client, mini.slug, "pdf")
    rendered = RenderedReport.objects.get()
    status_url = f"/planer/{mini.slug}/rapport/filer/{rendered.key}/"
    poll = client.get(status_url, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    text = poll.content.decode()
    assert 'hx-trigger="every 2s"' in text
    assert "<html" not in text  # the status alone, swapped into the page
    assert client.get(status_url).status_code == 202
    # The file's address waits too until the file is made.
    assert client.get(f"{status_url}fil/").status_code == 202


@override_settings(QUEUE_LARGE_CRITERIA=0)
def test_a_change_to_the_plans_data_makes_the_stored_file_stale(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert _download(client, mini.slug, "docx").status_code == 202
    assert _download(client, mini.slug, "xlsx").status_code == 202
    run_worker()
    old = RenderedReport.objects.get(format="docx")
    assert old.status == RenderedReport.Status.READY
    assert _download(client, mini.slug, "docx").status_code == 200

    mini.name = "Eksempelby Nord"
    mini.save()

    assert _download(client, mini.slug, "docx").status_code == 202
    assert DBTaskResult.objects.count() == 3
    # The files made from the old data are gone (the XLSX too, not asked
    # for again); the new DOCX is being made.
    new = RenderedReport.objects.get()
    assert new.key != old.key
    assert new.status == RenderedReport.Status.PENDING
    run_worker()
    response = _download(client, mini.slug, "docx")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_small_plans_get_docx_and_xlsx_in_the_request(mini) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("docx", "xlsx", "html"):
        assert _download(Client(), mini.slug, fmt).status_code == 200
    assert not RenderedReport.objects.exists()
    assert not DBTaskResult.objects.exists()


@override_settings(QUEUE_LARGE_CRITERIA=0, TYPESETTING_CONCURRENCY=1)
def test_a_job_waits_while_every_typesetting_slot_is_held(mini) -> None:  # type: ignore[no-untyped-def]
    lease = datetime.timedelta(minutes=5)
    assert typesetting_slot_take(holder="other", limit=1, lease=lease) == 1
    _download(Client(), mini.slug, "xlsx")

    run_worker()

    rendered = RenderedReport.objects.get()
    assert rendered.status == RenderedReport.Status.PENDING
    # Put back in the queue for a few seconds later, under a new job.
    later = DBTaskResult.objects.ready().count()
    assert later == 0
    waiting = DBTaskResult.objects.exclude(status="SUCCESSFUL").get()
    assert waiting.run_after > timezone.now()
    assert str(waiting.id) == rendered.task_id

    typesetting_slot_release(number=1, holder="other")
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_worker()
    rendered.refresh_from_db()
    assert rendered.status == RenderedReport.Status.READY
    # The job gave its slot back.
    assert TypesettingSlot.objects.get(number=1).holder == ""


def test_no_more_slots_are_taken_than_the_bound_until_a_lease_runs_out() -> None:
    lease = datetime.timedelta(minutes=5)
    assert typesetting_slot_take(holder="a", limit=2, lease=lease) == 1
    assert typesetting_slot_take(holder="b", limit=2, lease=lease) == 2
    assert typesetting_slot_take(holder="c", limit=2, lease=lease) is None
    # A release by someone who does not hold the slot frees nothing.
    typesetting_slot_release(number=1, holder="c")
    assert typesetting_slot_take(holder="c", limit=2, lease=lease) is None
    # A worker that died holding slot 2: its lease runs out.
    TypesettingSlot.objects.filter(number=2).update(
        held_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert typesetting_slot_take(holder="c", limit=2, lease=lease) == 2
    typesetting_slot_release(number=1, holder="a")
    assert typesetting_slot_take(holder="d", limit=2, lease=lease) == 1


def test_an_anonymous_reader_cannot_ask_for_the_internal_file(mini) -> None:  # type: ignore[no-untyped-def]
    response = _download(Client(), mini.slug, "pdf", audience="internal")
    assert response.status_code == 403
    assert not RenderedReport.objects.exists()
    assert not DBTaskResult.objects.exists()
    # Nor its status or file, made for the team.
    rendered = RenderedReport.objects.create(
        plan=mini,
        key="f" * 64,
        kind="final",
        audience="internal",
        as_of=datetime.date(2024, 1, 1),
        format="pdf",
        lang="da",
        data_token="t",
        filename="intern.pdf",
        status=RenderedReport.Status.READY,
        content=b"%PDF-intern",
    )
    status_url = f"/planer/{mini.slug}/rapport/filer/{rendered.key}/"
    assert Client().get(status_url).status_code == 403
    assert Client().get(f"{status_url}fil/").status_code == 403
    assert (
        Client().get(f"/planer/{mini.slug}/rapport/filer/{'0' * 64}/").status_code
        == 404
    )


@override_settings(QUEUE_LARGE_CRITERIA=0)
def test_the_waiting_page_and_a_stored_file_take_few_queries(mini) -> None:  # type: ignore[no-untyped-def]
    """Neither builds the report: the request that enqueues and the one
    served from storage read the plan, the stored file and the queue."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as enqueued:
        assert _download(client, mini.slug, "xlsx").status_code == 202
    run_worker()
    with CaptureQueriesContext(connection) as served:
        assert _download(client, mini.slug, "xlsx").status_code == 200
    # The counts when this was written (12 and 4), and 2 more.
    assert len(enqueued) <= 14
    assert len(served) <= 6


@override_settings(QUEUE_LARGE_CRITERIA=0)
def test_a_job_that_breaks_tells_the_reader_instead_of_waiting_for_ever(  # type: ignore[no-untyped-def]
    mini, monkeypatch
) -> None:
    from fremdrift.reports import queue

    def broken(document: object) -> bytes:
        raise RuntimeError("a bug")

    monkeypatch.setitem(queue.RENDERERS, "xlsx", broken)
    client = Client()
    _download(client, mini.slug, "xlsx")
    run_worker()

    rendered = RenderedReport.objects.get()
    assert rendered.status == RenderedReport.Status.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"  # with its traceback
    poll = client.get(
        f"/planer/{mini.slug}/rapport/filer/{rendered.key}/",
        headers={"HX-Request": "true"},
    )
    text = html.unescape(poll.content.decode())
    assert "Rapporten kan ikke dannes: der opstod en fejl" in text
    assert "hx-trigger" not in text  # the polling stops
    # Asked for again, it is tried again.
    assert _download(client, mini.slug, "xlsx").status_code == 202
    monkeypatch.undo()
    run_worker()
    assert _download(client, mini.slug, "xlsx").status_code == 200

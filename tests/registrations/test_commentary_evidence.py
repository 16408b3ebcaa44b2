"""The team's commentary and evidence uploads in the staff app, and the
import template download."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from fremdrift.evidence.models import Evidence
from fremdrift.plans.models import Commentary
from fremdrift.reports.assembly import report_build

from ..accounts.verified import log_in_verified
from . import personas
from .test_views import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def alice_client(cafe) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice(cafe))
    return client


def _png_with_metadata() -> bytes:
    image = Image.new("RGB", (8, 8), "blue")
    exif = Image.Exif()
    exif[0x010F] = "Telefonkamera"
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_a_commentary_written_in_the_app_appears_in_the_progress_report(  # type: ignore[no-untyped-def]
    alice_client: Client, cafe
) -> None:
    response = alice_client.post(
        url("commentary", cafe),
        {"period": "2024T2", "text": "Sommerferien gav færre mødegange."},
    )
    assert response.status_code == 302
    saved = Commentary.objects.get(activity=cafe, period="2024T2")
    assert saved.author == "alice"

    doc = report_build(plan=cafe.plan, kind="progress", year=2024, tertial=2)

    def sections(items):  # type: ignore[no-untyped-def]
        for item in items:
            yield item
            yield from sections(item.subsections)

    section = next(s for s in sections(doc.sections) if s.key == "lektiecafe")
    assert (
        "2. tertial 2024",
        "Sommerferien gav færre mødegange.",
    ) in section.commentary


def test_writing_the_same_period_again_replaces_the_commentary(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    for text in ("Første udkast.", "Endelig tekst."):
        alice_client.post(url("commentary", cafe), {"period": "", "text": text})
    assert list(
        Commentary.objects.filter(activity=cafe, period="").values_list(
            "text", flat=True
        )
    ) == ["Endelig tekst."]


def test_an_uploaded_photo_is_stored_without_metadata_and_downloads(  # type: ignore[no-untyped-def]
    alice_client: Client, cafe, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(_png_with_metadata())
    upload.name = "familie-jensen-ved-fællesspisning.png"

    response = alice_client.post(
        url("evidence", cafe),
        {
            "file": upload,
            "description": "Fællesspisning i maj",
            "consent": "public_event",
        },
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "jensen" not in evidence.file.name
    stored = evidence.file.read()
    assert b"Telefonkamera" not in stored
    download = alice_client.get(url("evidence-file", cafe, evidence.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored


def test_a_refused_file_is_explained_next_to_the_field(
    alice_client: Client, cafe, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(b"MZ\x90\x00 an executable")
    upload.name = "referat.pdf"

    response = alice_client.post(
        url("evidence", cafe),
        {"file": upload, "description": "Referat", "consent": "document"},
    )

    assert response.status_code == 200
    assert "Filtypen er ikke tilladt" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_another_activitys_evidence_is_not_found(
    alice_client: Client, cafe, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    _bob, other = personas.bob(cafe.plan)
    from fremdrift.evidence.services import evidence_attach

    hidden = evidence_attach(
        plan=cafe.plan, data=b"%PDF-1.4", description="x", consent="document",
        uploaded_by="bob", activity=other,
    )  # fmt: skip
    assert alice_client.get(url("evidence-file", cafe, hidden.pk)).status_code == 404
    assert alice_client.get(url("evidence-file", other, hidden.pk)).status_code == 404


def test_the_import_template_downloads_for_a_user_of_the_plan(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.get(
        reverse("registrations:import-template", args=[cafe.plan.slug])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "deltagere" in book.sheetnames

    stranger = Client()
    elsewhere, _activity = personas.other_plan()
    log_in_verified(stranger, personas.charlie(elsewhere))
    assert (
        stranger.get(
            reverse("registrations:import-template", args=[cafe.plan.slug])
        ).status_code
        == 404
    )


def test_an_open_session_with_a_head_count_counts_in_mean_attendance(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from fremdrift.core.measures import MeasureKind
    from fremdrift.registrations.measures import measure
    from fremdrift.registrations.models import Session

    day = datetime.date(2024, 3, 7)
    response = alice_client.post(
        url("open-session-add", cafe),
        {"date": day.isoformat(), "theme": "Fællesspisning", "headcount": "31"},
    )

    assert response.status_code == 302
    session = Session.objects.get(activity=cafe, date=day)
    assert (session.course, session.headcount) == (None, 31)
    point = measure(MeasureKind.MEAN_ATTENDANCE, cafe, day, day)
    assert point.value == 31


def test_an_open_session_outside_the_activitys_period_is_refused_at_the_field(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        url("open-session-add", cafe), {"date": "2019-01-01", "headcount": "5"}
    )
    assert response.status_code == 200
    assert "Datoen skal ligge i aktivitetens periode" in response.content.decode()

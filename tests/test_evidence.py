"""Evidence uploads: type by content, size limit, photos without metadata."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from fremdrift.evidence.content import MAX_BYTES, EvidenceFileError, check_evidence_file
from fremdrift.evidence.models import Evidence
from fremdrift.evidence.services import evidence_attach

GPS_TAG = 0x8825


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "Telefonkamera"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees to stand upright
    exif[GPS_TAG] = {2: (56.0, 27.0, 36.0), 4: (10.0, 2.0, 24.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_location_and_camera_but_keeps_its_orientation() -> None:
    original = _jpeg_with_gps()
    assert GPS_TAG in Image.open(io.BytesIO(original)).getexif()

    checked = check_evidence_file(original)

    cleaned = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg"
    assert dict(cleaned.getexif()) == {}
    assert b"Telefonkamera" not in checked.content
    # The orientation was applied to the pixels before it was dropped.
    assert cleaned.size == (20, 40)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "tom"),
        (b"MZ\x90\x00 not a document", "Filtypen er ikke tilladt"),
        (b"<html><script>alert(1)</script>", "Filtypen er ikke tilladt"),
        (b"\xff\xd8\xff" + b"not really a jpeg", "Billedet kan ikke læses"),
        (b"%PDF-" + b"0" * (MAX_BYTES + 1), "for stor"),
    ],
)
def test_files_are_refused_by_their_content(data: bytes, message: str) -> None:
    with pytest.raises(EvidenceFileError, match=message):
        check_evidence_file(data)


def test_a_renamed_zip_is_not_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(EvidenceFileError, match="Filtypen er ikke tilladt"):
        check_evidence_file(out.getvalue())


@pytest.mark.django_db
def test_evidence_is_stored_under_its_hash_and_attached_within_the_plan(
    mini, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    criterion = mini.criteria.get(ident="bf-sommer-forloeb")

    evidence = evidence_attach(
        plan=mini,
        data=b"%PDF-1.7 fokusgruppe-referat",
        description="Referat af fokusgruppeinterview",
        consent=Evidence.Consent.DOCUMENT,
        uploaded_by="koordinator",
        criterion=criterion,
    )

    assert evidence.file.name == f"evidence/{mini.pk}/{evidence.sha256}.pdf"
    assert evidence.file.read() == b"%PDF-1.7 fokusgruppe-referat"
    assert criterion.evidence_files.get() == evidence


@pytest.mark.django_db
def test_evidence_must_be_attached_to_something_of_its_own_plan(mini, randers) -> None:  # type: ignore[no-untyped-def]
    other = randers.activities.first()
    with pytest.raises(ValueError, match="attached to an activity"):
        evidence_attach(
            plan=mini,
            data=b"%PDF-1",
            description="x",
            consent="document",
            uploaded_by="x",
        )
    with pytest.raises(ValueError, match="within its own plan"):
        evidence_attach(
            plan=mini,
            data=b"%PDF-1",
            description="x",
            consent="document",
            uploaded_by="x",
            activity=other,
        )

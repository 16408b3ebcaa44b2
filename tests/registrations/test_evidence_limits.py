"""Evidence uploads within their resource limits (issue 17): pictures
capped before decoding, office files checked for zip bombs before opening,
PDFs with script or embedded files refused, and uploads refused past the
limit without reading the rest."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from PIL import ImageFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from fremdrift.base.uploads import REFUSED_ATTRIBUTE
from fremdrift.evidence.content import EvidenceFileError, check_evidence_file
from fremdrift.evidence.models import Evidence

from . import personas
from .test_views import url

GIB = 1024 * 1024 * 1024


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_of(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` × ``height`` grey
    pixels: its data run out long before that (a decompression bomb's
    shape: the issue's was 9.5 KB for 8800 × 8800)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 8, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def zip_declaring(names: list[str], declared: int) -> bytes:
    """A zip of small members whose first member's headers declare
    ``declared`` bytes unpacked (what a bomb declares; the reader would
    inflate that much)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, b"<x/>" * 100)
    data = bytearray(out.getvalue())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def test_a_picture_of_8800_by_8800_pixels_is_refused_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(self: object) -> None:
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    bomb = png_of(8800, 8800)
    assert len(bomb) < 20 * 1024

    with pytest.raises(EvidenceFileError, match="for stort: 8800 × 8800 punkter"):
        check_evidence_file(bomb)


def test_a_picture_within_the_limit_is_still_accepted() -> None:
    checked = check_evidence_file(png_of(64, 8))
    assert checked.content_type == "image/png"


@pytest.mark.parametrize("kind", ["xl/workbook.xml", "word/document.xml"])
def test_an_office_file_declaring_a_gibibyte_is_refused_before_it_is_opened(
    kind: str,
) -> None:
    bomb = zip_declaring([kind, "[Content_Types].xml"], GIB)

    with pytest.raises(EvidenceFileError) as refused:
        check_evidence_file(bomb)

    assert str(refused.value) == (
        "Filen fylder 1024 MB udpakket, mere end 100 MB; den åbnes ikke."
    )


def test_an_office_file_with_thousands_of_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<x/>")
        for number in range(600):
            archive.writestr(f"xl/m{number}.xml", b"")
    with pytest.raises(EvidenceFileError, match="601 dele, mere end 500"):
        check_evidence_file(out.getvalue())


def _pdf(*, script: bool = False, attachment: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hej');"),
            }
        )
        writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if attachment:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_script_in_an_object_stream() -> bytes:
    """A PDF 1.5 whose document-level script sits in a compressed object
    stream: no byte of the file spells /JavaScript."""
    hidden = [
        b"<< /JavaScript << /Names [(a) 6 0 R] >> >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    ]
    header = b"5 0 6 %d " % (len(hidden[0]) + 1)
    packed = zlib.compress(header + hidden[0] + b" " + hidden[1])
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /Names 5 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(
        4,
        b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    offsets[7] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows += [struct.pack(">BIH", 2, 4, 0), struct.pack(">BIH", 2, 4, 1)]
    rows += [struct.pack(">BIH", 1, offsets[7], 0)]
    table = b"".join(rows)
    out.extend(
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[7]
    )
    return bytes(out)


def test_an_ordinary_pdf_is_accepted() -> None:
    assert check_evidence_file(_pdf()).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (_pdf(script=True), "JavaScript"),
        (_pdf(attachment=True), "EmbeddedFiles?"),
        # A name spelt with #xx escapes is the same name to a PDF reader.
        (_pdf(script=True).replace(b"/JavaScript", b"/J#61vaScript"), "JavaScript"),
        (b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj\n", "Launch"),
    ],
)
def test_a_pdf_with_script_or_embedded_files_is_refused(data: bytes, name: str) -> None:
    with pytest.raises(EvidenceFileError, match=f"indlejrede filer \\(/{name}\\)"):
        check_evidence_file(data)


def test_a_pdf_with_its_script_in_a_compressed_object_stream_is_refused() -> None:
    data = pdf_with_script_in_an_object_stream()
    assert b"JavaScript" not in data

    with pytest.raises(EvidenceFileError, match="JavaScript"):
        check_evidence_file(data)


def test_an_unreadable_pdf_with_streams_is_refused() -> None:
    data = b"%PDF-1.7\n1 0 obj << /Length 4 /Filter /FlateDecode >> stream\nxx"
    with pytest.raises(EvidenceFileError, match="kan ikke læses"):
        check_evidence_file(data)


# -- the upload itself ---------------------------------------------------------


class CountingStream(io.BytesIO):
    """A request body that counts what was read of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def _multipart(file_bytes: bytes) -> tuple[bytes, str]:
    boundary = "fremdriftboundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="description"\r\n\r\nReferat\r\n'
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="stor.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + file_bytes
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("declared_honestly", [True, False])
def test_an_upload_past_the_limit_is_stopped_without_reading_the_rest(
    settings, declared_honestly: bool
) -> None:  # type: ignore[no-untyped-def]
    settings.FREMDRIFT_UPLOAD_MAX_BYTES = 1024 * 1024
    body, content_type = _multipart(b"%PDF-" + b"0" * (8 * 1024 * 1024))
    stream = CountingStream(body)
    request = RequestFactory().post("/", content_type=content_type)
    # A client that lies about its length is stopped by the bytes counted.
    length = len(body) if declared_honestly else 1000
    meta = {**request.META, "CONTENT_TYPE": content_type, "CONTENT_LENGTH": length}
    handlers = [load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS]

    post, files = MultiPartParser(meta, stream, handlers).parse()

    assert "file" not in files
    assert post["description"] == "Referat"
    assert getattr(request, REFUSED_ATTRIBUTE) == 1024 * 1024
    assert stream.read_bytes < 2 * 1024 * 1024


@pytest.mark.django_db
def test_a_too_large_upload_is_explained_next_to_the_field(
    mini, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.FREMDRIFT_UPLOAD_MAX_BYTES = 1024 * 1024
    personas.keep_running(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    client = Client()
    client.force_login(personas.alice(cafe))
    upload = io.BytesIO(b"%PDF-" + b"0" * (2 * 1024 * 1024))
    upload.name = "referat.pdf"

    response = client.post(
        url("evidence", cafe),
        {"description": "Referat", "consent": "document", "file": upload},
    )

    assert response.status_code == 200
    assert "Filen er for stor (højst 1 MB); den er ikke modtaget." in (
        response.content.decode()
    )
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_a_too_large_picture_is_explained_next_to_the_field(
    mini, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    personas.keep_running(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    client = Client()
    client.force_login(personas.alice(cafe))
    upload = io.BytesIO(png_of(8800, 8800))
    upload.name = "foto.png"

    response = client.post(
        url("evidence", cafe),
        {"description": "Foto", "consent": "document", "file": upload},
    )

    assert response.status_code == 200
    assert "Billedet er for stort: 8800 × 8800 punkter" in response.content.decode()
    assert Evidence.objects.count() == 0

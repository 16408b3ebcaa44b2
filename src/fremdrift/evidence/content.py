"""Checking and cleaning uploaded evidence files by their content.

A file's name and the browser's content type are the sender's claims; the
first bytes are what the file is. Only the types a plan team needs are
accepted, and photos are re-encoded without their metadata, so a picture
of a family at a communal dinner does not carry the GPS position of their
home.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded


class EvidenceFileError(ValueError):
    """An upload that is refused; the message says why, in Danish."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    is_image: bool


def _sniff(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            )
        if "xl/workbook.xml" in names:
            return (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            )
    return None


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the picture from its pixels only: EXIF (GPS position,
    camera, time) and other metadata are dropped; the EXIF orientation is
    applied first so the picture still stands the right way up."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            mode = "RGB" if content_type == "image/jpeg" else "RGBA"
            pixels = upright.convert(mode)
            # A new image from the raw pixels carries no metadata at all.
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
            out = io.BytesIO()
            if content_type == "image/jpeg":
                clean.save(out, format="JPEG", quality=90)
            else:
                clean.save(out, format="PNG")
            return out.getvalue()
    except (Image.DecompressionBombError, OSError, ValueError) as error:
        raise EvidenceFileError(f"Billedet kan ikke læses: {error}") from None


def check_evidence_file(data: bytes) -> CheckedFile:
    """Accept JPEG, PNG, PDF, DOCX and XLSX up to 10 MB, judged by content;
    photos come back without metadata."""
    if not data:
        raise EvidenceFileError("Filen er tom.")
    if len(data) > MAX_BYTES:
        raise EvidenceFileError(
            f"Filen er for stor ({len(data) // 1024 // 1024} MB); højst 10 MB."
        )
    sniffed = _sniff(data)
    if sniffed is None:
        raise EvidenceFileError(
            "Filtypen er ikke tilladt: kun billeder (JPEG, PNG), PDF, Word og Excel."
        )
    content_type, extension = sniffed
    is_image = content_type.startswith("image/")
    if is_image:
        data = _strip_image(data, content_type)
    return CheckedFile(data, content_type, extension, is_image)

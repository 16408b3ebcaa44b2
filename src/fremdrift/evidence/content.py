"""Checking and cleaning uploaded evidence files by their content.

A file's name and the browser's content type are the sender's claims; the
first bytes are what the file is. Only the types a plan team needs are
accepted, and photos are re-encoded without their metadata, so a picture
of a family at a communal dinner does not carry the GPS position of their
home.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from fremdrift.base.zipguard import ZipTooLarge, zip_check

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
# A Word or Excel file of at most 10 MB unpacks to much less than this.
MAX_OFFICE_UNPACKED = 100 * 1024 * 1024
MAX_OFFICE_MEMBERS = 500
# Pillow refuses to open a picture of more than twice this many pixels and
# only warns between once and twice; the size is also checked before any
# pixel is decoded (``_strip_image``).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# What a PDF may not carry: script, files inside it, actions that start a
# program, and the Flash and XFA forms that can hold script.
PDF_ACTIVE_NAMES = frozenset(
    {"JavaScript", "JS", "EmbeddedFile", "EmbeddedFiles", "Launch", "RichMedia", "XFA"}
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")

logger = logging.getLogger(__name__)


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
            zip_check(
                data, max_members=MAX_OFFICE_MEMBERS, max_unpacked=MAX_OFFICE_UNPACKED
            )
        except ZipTooLarge as error:
            raise EvidenceFileError(error.danish()) from None
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


def _too_many_pixels(width: int | None, height: int | None) -> str:
    if width is None or height is None:
        return _("Billedet er for stort; højst %(max)s millioner punkter.") % {
            "max": MAX_PIXELS // 1_000_000
        }
    return _(
        "Billedet er for stort: %(width)s × %(height)s punkter; højst "
        "%(max)s millioner punkter."
    ) % {"width": width, "height": height, "max": MAX_PIXELS // 1_000_000}


def _strip_image(data: bytes, content_type: str) -> bytes:
    """Re-encode the picture from its pixels only: EXIF (GPS position,
    camera, time) and other metadata are dropped; the EXIF orientation is
    applied first so the picture still stands the right way up."""
    try:
        with warnings.catch_warnings():
            # Pillow's warning between once and twice the limit: the size
            # is refused just below, with the sentence for the form.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            # The header gives the size; nothing is decoded before this.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise EvidenceFileError(_too_many_pixels(width, height))
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
    except EvidenceFileError:
        raise
    except Image.DecompressionBombError:
        raise EvidenceFileError(_too_many_pixels(None, None)) from None
    except (OSError, ValueError) as error:
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
    elif content_type == "application/pdf":
        _check_pdf(data)
    return CheckedFile(data, content_type, extension, is_image)


def _pdf_name(raw: bytes) -> str:
    """A PDF name as it is meant: ``#4A`` stands for ``J``."""
    return _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _pdf_active_in_bytes(data: bytes) -> str | None:
    for match in _PDF_NAME.finditer(data):
        name = _pdf_name(match.group(1))
        if name in PDF_ACTIVE_NAMES:
            return name
    return None


def _pdf_active_in_objects(data: bytes) -> str | None:
    """The first active name in any object reachable from the trailer,
    those in compressed object streams included (pypdf inflates them);
    raises pypdf's errors for a file it cannot read."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    stack: list[object] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):
            for name, value in item.items():
                if str(name).lstrip("/") in PDF_ACTIVE_NAMES:
                    return str(name).lstrip("/")
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject) and item.lstrip("/") in PDF_ACTIVE_NAMES:
            return str(item).lstrip("/")
    return None


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF that carries script, embedded files or a program to
    start: by every name in its bytes (``/J#61vaScript`` too), and by every
    object pypdf finds in it (names inside compressed object streams). A
    PDF pypdf cannot read is refused when it has streams (where names can
    hide compressed); one without any is judged by its bytes alone."""
    found = _pdf_active_in_bytes(data)
    if found is None:
        try:
            found = _pdf_active_in_objects(data)
        except Exception as error:  # pypdf raises many kinds for a bad file
            logger.info("evidence PDF not readable by pypdf: %s", error)
            if b"stream" in data:
                raise EvidenceFileError(
                    _("PDF-filen kan ikke læses; gem den som PDF igen.")
                ) from None
    if found is not None:
        raise EvidenceFileError(
            _(
                "PDF-filen indeholder script eller indlejrede filer (/%(name)s) "
                "og modtages ikke. Gem eller udskriv den som en almindelig PDF."
            )
            % {"name": found}
        )

"""Zip-based files (XLSX, DOCX, a plan folder's zip) checked before they
are opened.

A zip of 1 MB can declare a member of 1 GiB (a zip bomb): openpyxl, python-
docx and every other reader would inflate it. ``zip_check`` reads only the
zip's central directory and refuses a file with more members than
``max_members`` or whose members declare more than ``max_unpacked`` bytes
in all. The declared sizes are an upper bound on what is ever inflated:
Python's zipfile stops reading a member at its declared size (and fails
its CRC check when the data go on), so a member that lies about its size
cannot unpack to more.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
# An office file has tens of members; a workbook of 200 MB of statistics
# unpacks to well under this.
MAX_MEMBERS = 1000
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


@dataclass
class ZipTooLarge(Exception):
    """A zip refused before it was opened, with what it declares."""

    members: int
    declared: int
    max_members: int
    max_unpacked: int

    @property
    def too_many_members(self) -> bool:
        return self.members > self.max_members

    def __str__(self) -> str:
        """One line, in English (the command line's)."""
        if self.too_many_members:
            return (
                f"the zip archive holds {self.members} members, more than "
                f"{self.max_members}; it is not opened"
            )
        return (
            f"the zip archive declares {_mb(self.declared)} MB unpacked, more than "
            f"{_mb(self.max_unpacked)} MB; it is not opened"
        )

    def danish(self) -> str:
        """One line, in the web's language (Danish, or its translation)."""
        if self.too_many_members:
            return _(
                "Filen indeholder %(members)s dele, mere end %(max)s; den åbnes ikke."
            ) % {"members": self.members, "max": self.max_members}
        return _(
            "Filen fylder %(declared)s MB udpakket, mere end %(max)s MB; den "
            "åbnes ikke."
        ) % {"declared": _mb(self.declared), "max": _mb(self.max_unpacked)}


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def is_zip(source: Path | bytes) -> bool:
    """Whether the file starts like a zip (XLSX and DOCX do)."""
    if isinstance(source, bytes):
        return source.startswith(ZIP_MAGIC)
    with Path(source).open("rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def zip_check(
    source: Path | bytes | BinaryIO,
    *,
    max_members: int = MAX_MEMBERS,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> None:
    """Raise ``ZipTooLarge`` when the zip at ``source`` (a path, its bytes
    or an open binary file) holds more than ``max_members`` members or
    declares more than ``max_unpacked`` bytes unpacked. Only the central
    directory is read. A file that is not a readable zip passes: its
    reader says what is wrong with it."""
    handle: BinaryIO | Path = (
        io.BytesIO(source) if isinstance(source, bytes) else source
    )
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return
    declared = sum(info.file_size for info in members)
    if len(members) > max_members or declared > max_unpacked:
        raise ZipTooLarge(len(members), declared, max_members, max_unpacked)

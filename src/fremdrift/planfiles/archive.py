"""A plan folder as a zip file: writing one of exactly what ``fremdrift
dump`` writes, and unpacking an uploaded one safely.

An uploaded zip is refused before anything of it is written when a member
could escape the folder (an absolute path, "..", a drive letter, a
symbolic link), when it is encrypted, when it holds too many members, or
when it would unpack to more than ``MAX_UNPACKED_BYTES`` or unpack one
member at a ratio that only a zip bomb has. Sizes are counted while
unpacking too, since a zip's own headers may lie about them. Only the plan
folder's files (plan.yaml and observations.csv, at the top or in one
folder) are written; nothing else of the zip is read.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fremdrift.plans.models import Plan

from .dumping import plan_dump_folder
from .reader import OBSERVATIONS_FILE, PLAN_FILE

MAX_ZIP_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 100
# Text compresses well, but not a thousandfold: only a bomb does.
MAX_RATIO = 200
FOLDER_FILES = (PLAN_FILE, OBSERVATIONS_FILE)
_CHUNK = 64 * 1024


class ZipRefused(Exception):
    """An uploaded zip that is not unpacked; the message says why."""


def plan_folder_zip(*, plan: Plan) -> bytes:
    """The plan folder that ``fremdrift dump`` writes, as a zip whose one
    folder is named for the plan (``<slug>/plan.yaml`` ...), each file
    with exactly the bytes the dump writes."""
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with tempfile.TemporaryDirectory() as tmp:
        files = plan_dump_folder(plan=plan, folder=Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                info = zipfile.ZipInfo(f"{plan.slug}/{path.name}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    path = PurePosixPath(name)
    mode = info.external_attr >> 16
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or (path.parts and ":" in path.parts[0])
    ):
        raise ZipRefused(
            _("Zip-filen indeholder stien “%(name)s”, som peger uden for mappen.")
            % {"name": name}
        )
    if stat.S_ISLNK(mode):
        raise ZipRefused(
            _("Zip-filen indeholder en genvej (“%(name)s”); den kan ikke bruges.")
            % {"name": name}
        )
    return path


def _check_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The folder's files by name, after checking every member."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ZipRefused(
            _("Zip-filen indeholder mere end %(count)s filer.") % {"count": MAX_MEMBERS}
        )
    if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
        raise ZipRefused(_too_large())
    found: dict[str, zipfile.ZipInfo] = {}
    for info in members:
        path = _member_path(info)
        if info.flag_bits & 0x1:
            raise ZipRefused(_("Zip-filen er krypteret; pak den ud uden kodeord."))
        if info.is_dir() or path.name not in FOLDER_FILES or len(path.parts) > 2:
            continue
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise ZipRefused(_too_large())
        if path.name in found:
            raise ZipRefused(
                _("Zip-filen indeholder mere end én %(name)s.") % {"name": path.name}
            )
        found[path.name] = info
    if PLAN_FILE not in found:
        raise ZipRefused(
            _(
                "Zip-filen indeholder ingen plan.yaml (øverst eller i én mappe). "
                "Brug den zip-fil, som “Hent planen som mappe” giver."
            )
        )
    folders = {PurePosixPath(info.filename).parent for info in found.values()}
    if len(folders) > 1:
        raise ZipRefused(_("plan.yaml og observations.csv skal ligge i samme mappe."))
    return found


def _too_large() -> str:
    return _("Zip-filen fylder for meget udpakket (højst %(mb)s MB).") % {
        "mb": MAX_UNPACKED_BYTES // (1024 * 1024)
    }


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> int:
    """Write one member, counting what it really unpacks to."""
    written = 0
    with archive.open(info) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size or written > MAX_UNPACKED_BYTES:
                raise ZipRefused(_too_large())
            out.write(chunk)
    return written


def plan_folder_unzip(*, data: bytes, folder: Path) -> Path:
    """Unpack the plan folder in the zip ``data`` into ``folder`` (which
    must exist) and return ``folder``; raises ``ZipRefused``."""
    if len(data) > MAX_ZIP_BYTES:
        raise ZipRefused(
            _("Zip-filen er for stor (højst %(mb)s MB).")
            % {"mb": MAX_ZIP_BYTES // (1024 * 1024)}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = _check_members(archive)
            total = 0
            for name, info in found.items():
                total += _unpack(archive, info, folder / name)
                if total > MAX_UNPACKED_BYTES:
                    raise ZipRefused(_too_large())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise ZipRefused(_("Filen er ikke en gyldig zip-fil.")) from None
    except NotImplementedError:
        raise ZipRefused(
            _("Zip-filen er pakket på en måde, der ikke understøttes.")
        ) from None
    return folder


# -- uploads kept between their preview and their application -----------------

PENDING = "pending-plan-folders"


def pending_zip_folder() -> Path:
    """Where uploaded plan folders wait for their application."""
    return Path(settings.MEDIA_ROOT) / PENDING


def _pending_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    folder = pending_zip_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sha256}.zip"


def pending_zip_keep(*, data: bytes) -> str:
    """Keep an uploaded zip on the server until it is applied; returns its
    SHA-256, which names it."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = _pending_path(sha256)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
    return sha256


def pending_zip_read(*, sha256: str) -> bytes | None:
    """The kept zip named ``sha256``, if it is still there and unchanged."""
    path = _pending_path(sha256)
    if not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def pending_zip_discard(*, sha256: str) -> None:
    _pending_path(sha256).unlink(missing_ok=True)

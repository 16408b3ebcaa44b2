"""Uploading a file of area statistics in the web app: recognise its
layout, preview what it would change, then confirm exactly that.

The uploaded file (and its mapping) stay on the server between the preview
and the confirmation, in the pending folder under MEDIA_ROOT and named by
their SHA-256; the user's session keeps what was previewed
(``PendingUpload``), and the browser posts only a random token for it. The
preview is a dry run of ``observations_import``; the confirmation runs the
same import with the preview's fingerprint and is refused as stale when
the stored numbers changed in between (statistics.outcomes).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, MutableMapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fremdrift.plans.models import Plan

from .importers.base import ImportFileError, ImportProblem, Where
from .models import ImportBatch
from .recognition import Layout, layout_recognise, mapping_source
from .services import ImportResult, file_sha256, import_batch_undo, observations_import

logger = logging.getLogger("fremdrift.statistics")

PENDING = "pending-imports"
SESSION_KEY = "statistics-uploads"
# Previews a session keeps; an older one must be uploaded again.
MAX_PENDING = 5
SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".bulk"}
UNKNOWN_MAPPING = gettext_noop(
    "Mappingfilen har ikke et kendt format: den skal have »format: "
    "fremdrift-statbank/1« eller »format: fremdrift-lbf-mapping/1«."
)


@dataclass(frozen=True)
class PendingUpload:
    """A previewed upload, as the session keeps it until it is confirmed."""

    token: str
    plan_id: int
    sha256: str
    suffix: str
    file_name: str
    source: str
    layout: str
    mapping: str
    mapping_uploaded: bool
    fingerprint: str

    @property
    def path(self) -> Path:
        return pending_folder() / f"{self.sha256}{self.suffix}"

    @property
    def mapping_path(self) -> Path | None:
        return pending_folder() / self.mapping if self.mapping else None


@dataclass
class Preview:
    """What the preview page shows: the layout found, the dry run's result,
    the upload to confirm, or errors for the form's fields."""

    layout: Layout | None = None
    result: ImportResult | None = None
    pending: PendingUpload | None = None
    field_errors: dict[str, str] = field(default_factory=dict)


def pending_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / PENDING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_keep(chunks: Iterable[bytes], name: str) -> tuple[str, Path]:
    """Write an upload into the pending folder under its SHA-256 (and its
    suffix, when it is one of a statistics file's)."""
    suffix = Path(name).suffix.lower()
    suffix = suffix if suffix in SUFFIXES | {".yaml"} else ""
    digest = hashlib.sha256()
    folder = pending_folder()
    partial = folder / f"upload-{secrets.token_hex(8)}.part"
    with partial.open("wb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            handle.write(chunk)
    sha = digest.hexdigest()
    target = folder / f"{sha}{suffix}"
    partial.replace(target)
    return sha, target


def observations_preview(
    *,
    plan: Plan,
    user: User | AnonymousUser,
    path: Path,
    display_name: str,
    mapping: Path | None = None,
) -> Preview:
    """Recognise the file's layout (or take the source from ``mapping``),
    and dry-run its import into ``plan``."""
    if mapping is not None:
        source = mapping_source(mapping)
        if source is None:
            return Preview(field_errors={"mapping_file": _(UNKNOWN_MAPPING)})
        kind = dict(ImportBatch.Source.choices)[source]
        layout = Layout(source, _("Med din mappingfil ({name})").format(name=kind))
        mapping_name = mapping.name
    else:
        try:
            found = layout_recognise(plan=plan, path=path, display_name=display_name)
        except ImportFileError as error:
            return Preview(result=_refused(error, display_name, "", dry_run=True))
        if not isinstance(found, Layout):
            return Preview(field_errors={"file": found.reason})
        layout = found
        mapping_name = _keep_mapping(layout.mapping_yaml)
    result = _import(plan, user, path, display_name, layout.source, mapping_name, None)
    pending = None
    if result.ok and not result.nothing_changed:
        pending = PendingUpload(
            token=secrets.token_urlsafe(16),
            plan_id=plan.pk,
            sha256=result.sha256,
            suffix=path.suffix,
            file_name=display_name,
            source=layout.source,
            layout=layout.label,
            mapping=mapping_name,
            mapping_uploaded=mapping is not None,
            fingerprint=result.fingerprint,
        )
    logger.info(
        "statistics preview plan=%s user=%s file=%s sha256=%s source=%s "
        "new=%s changed=%s unchanged=%s problems=%s",
        plan.slug,
        _name(user),
        display_name,
        result.sha256,
        layout.source,
        result.created,
        result.changed,
        result.unchanged,
        len(result.problems),
    )
    return Preview(layout=layout, result=result, pending=pending)


def _keep_mapping(text: str) -> str:
    """A mapping made for the upload, kept beside it; its file name."""
    if not text:
        return ""
    _sha, path = upload_keep([text.encode("utf-8")], "mapping.yaml")
    return path.name


def observations_confirm(
    *, plan: Plan, user: User | AnonymousUser, pending: PendingUpload
) -> ImportResult | None:
    """Import the previewed upload; None when its file is gone or no longer
    the one previewed. ``result.stale`` when the outcome differs from the
    preview's: then nothing is written."""
    path = pending.path
    if not path.is_file() or file_sha256(path) != pending.sha256:
        return None
    result = _import(
        plan,
        user,
        path,
        pending.file_name,
        pending.source,
        pending.mapping,
        pending.fingerprint,
    )
    batch = result.batch.pk if result.batch is not None else "-"
    logger.info(
        "statistics import plan=%s user=%s file=%s sha256=%s batch=%s stale=%s "
        "new=%s changed=%s unchanged=%s",
        plan.slug,
        _name(user),
        pending.file_name,
        pending.sha256,
        batch,
        result.stale,
        result.created,
        result.changed,
        result.unchanged,
    )
    return result


def observations_undo(
    *, plan: Plan, user: User | AnonymousUser, batch: ImportBatch
) -> int:
    """Undo the import ``batch`` (``import_batch_undo``), logged."""
    touched = import_batch_undo(batch=batch, user=_user(user))
    logger.info(
        "statistics undo plan=%s user=%s batch=%s touched=%s",
        plan.slug,
        _name(user),
        batch.pk,
        touched,
    )
    return touched


def _import(
    plan: Plan,
    user: User | AnonymousUser,
    path: Path,
    display_name: str,
    source: str,
    mapping: str,
    expect: str | None,
) -> ImportResult:
    try:
        return observations_import(
            plan=plan,
            path=path,
            source=source,
            mapping=pending_folder() / mapping if mapping else None,
            user=_user(user),
            dry_run=expect is None,
            display_name=display_name,
            expect=expect,
        )
    except ImportFileError as error:
        return _refused(error, display_name, source, dry_run=expect is None)


def _refused(
    error: ImportFileError, display_name: str, source: str, *, dry_run: bool
) -> ImportResult:
    """The result of a file refused whole, with its problems."""
    result = ImportResult(
        file_name=display_name, sha256="", source=source, dry_run=dry_run
    )
    result.problems = error.problems or [ImportProblem(Where(display_name), str(error))]
    return result


def _user(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) else None


def _name(user: User | AnonymousUser) -> str:
    return user.get_username() if user.is_authenticated else "-"


# -- the session's pending uploads ----------------------------------------------


def pending_remember(session: MutableMapping[str, Any], pending: PendingUpload) -> None:
    """Keep ``pending`` in the session, dropping the oldest beyond
    ``MAX_PENDING``."""
    kept = dict(session.get(SESSION_KEY, {}))
    kept[pending.token] = asdict(pending)
    while len(kept) > MAX_PENDING:
        kept.pop(next(iter(kept)))
    session[SESSION_KEY] = kept


def pending_recall(
    session: MutableMapping[str, Any], token: str, plan: Plan
) -> PendingUpload | None:
    """The session's pending upload ``token`` into ``plan``, or None."""
    data = session.get(SESSION_KEY, {}).get(token)
    if not isinstance(data, dict) or data.get("plan_id") != plan.pk:
        return None
    try:
        return PendingUpload(**data)
    except TypeError:
        return None


def pending_forget(session: MutableMapping[str, Any], token: str) -> None:
    kept = dict(session.get(SESSION_KEY, {}))
    kept.pop(token, None)
    session[SESSION_KEY] = kept

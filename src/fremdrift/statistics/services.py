"""Workflows for area statistics: importing a file of observations into a
plan, and undoing an import."""

from __future__ import annotations

import getpass
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from fremdrift.base.history import acting_user, change_reason, recorded_as
from fremdrift.base.zipguard import ZipTooLarge, is_zip, zip_check
from fremdrift.plans.models import Plan

from .importers import reader_for
from .importers.base import ImportFileError, ImportProblem, ObservationReader, Where
from .importing import (
    ChangeShown,
    ObservationWriter,
    PlanScope,
    ProblemList,
    RowChecker,
    batch_history_record,
    checked_rows,
    observations_history_record,
)
from .models import ImportBatch, Observation, ObservationChange
from .outcomes import MAX_ROWS_SHOWN, ObservationOutcome, import_outcome


@dataclass
class ImportResult:
    """What an import did, or would do in a dry run: counts, the first
    changed values (old -> new), and every problem when it was refused."""

    file_name: str
    sha256: str
    source: str
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[ChangeShown] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    batch: ImportBatch | None = None
    # Filled by a dry run, and by an import that is checked against its
    # preview (``expect``): see statistics.outcomes.
    fingerprint: str = ""
    outcomes: list[ObservationOutcome] = field(default_factory=list)
    stale: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def nothing_changed(self) -> bool:
        return self.ok and not self.created and not self.changed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _user_name(user: User | None) -> str:
    if user is not None and user.is_authenticated:
        return user.get_username()
    try:
        return f"{getpass.getuser()} (kommandolinje)"
    except (KeyError, OSError):
        return "kommandolinje"


def observations_import(
    *,
    plan: Plan,
    path: Path,
    source: str = "tidy",
    mapping: Path | None = None,
    user: User | None = None,
    dry_run: bool = False,
    display_name: str | None = None,
    expect: str | None = None,
) -> ImportResult:
    """Import the observations in ``path`` into ``plan``.

    All or nothing: the file is read, checked and written in one
    transaction, which is rolled back when any row has a problem or when
    ``dry_run`` is set. An import that changes nothing leaves no trace (no
    batch is kept). Changed values keep their earlier value in
    ``ObservationChange``; every written observation points at its batch and
    its line in the file. Problems come back in ``result.problems`` (none is
    raised for bad data); a mapping that cannot be used raises
    ``ImportFileError``.

    A dry run also gives each observation's outcome and the fingerprint of
    them all. With ``expect`` (the fingerprint of the preview) an import
    whose outcome differs is rolled back with ``result.stale`` set.
    """
    path = Path(path)
    display = display_name or path.name
    reader = reader_for(source, mapping)
    sha = file_sha256(path)
    result = ImportResult(file_name=display, sha256=sha, source=source, dry_run=dry_run)
    if path.is_file() and is_zip(path):
        # A workbook is a zip: a bomb is refused before openpyxl opens it.
        try:
            zip_check(path)
        except ZipTooLarge as error:
            result.problems = [ImportProblem(Where(display), str(error))]
            return result
    mapping_text = _mapping_text(reader, mapping)
    problems = ProblemList()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two imports into the same plan one after the other, never
            # interleaved: the second sees the first's rows.
            Plan.objects.select_for_update().filter(pk=plan.pk).first()
        batch = ImportBatch.objects.create(
            plan=plan,
            source=source,
            file_name=display,
            sha256=sha,
            size_bytes=path.stat().st_size,
            mapping_name=str(mapping.name) if mapping is not None else "",
            mapping_text=mapping_text,
            imported_by=user if user is not None and user.is_authenticated else None,
            imported_by_name=_user_name(user),
            imported_at=timezone.now(),
        )
        writer = _read_and_write(reader, path, display, plan, batch, problems, result)
        counts = writer.counts
        if not problems and result.rows == 0:
            problems.add(ImportProblem(Where(display), "holds no observations"))
        result.problems = problems.all()
        if not result.problems and (dry_run or expect is not None):
            outcome = import_outcome(
                batch=batch,
                unchanged=writer.unchanged_lines(),
                limit=MAX_ROWS_SHOWN if dry_run else 0,
            )
            result.fingerprint, result.outcomes = outcome.fingerprint, outcome.rows
            result.stale = expect is not None and outcome.fingerprint != expect
        if result.problems or dry_run or result.nothing_changed or result.stale:
            transaction.set_rollback(True)
            return result
        batch.created_count = counts.created
        batch.changed_count = counts.changed
        batch.unchanged_count = counts.unchanged
        batch.stored_file = _keep_file(path, sha)
        batch.save()
        batch_history_record(
            batch,
            user=user if user is not None else acting_user(),
            reason=change_reason() or f"import #{batch.pk} {display}",
        )
        result.batch = batch
    return result


def _mapping_text(reader: ObservationReader, mapping: Path | None) -> str:
    """The mapping as the reader used it (a shipped mapping by name, or one
    that extends another, included), so that the batch says exactly how
    the source's rows became observations; else the mapping file as it
    is."""
    mapping_text = getattr(reader, "mapping_text", None) or ""
    if not mapping_text and mapping is not None and Path(mapping).is_file():
        mapping_text = Path(mapping).read_text(encoding="utf-8", errors="replace")
    return mapping_text


def _read_and_write(
    reader: ObservationReader,
    path: Path,
    display: str,
    plan: Plan,
    batch: ImportBatch,
    problems: ProblemList,
    result: ImportResult,
) -> ObservationWriter:
    """Stream the file's rows through the checks into ``batch``, inside the
    import's transaction, and put the counts in ``result``. A file the
    reader cannot use at all is a problem like any other, so the import
    still reports everything found before it."""
    scope = PlanScope.of(plan)
    checker = RowChecker(scope, problems)
    writer = ObservationWriter(batch=batch, scope=scope, problems=problems)
    # checked_rows is a generator, so it counts the rows it reads into this
    # list for the caller to see afterwards.
    seen = [0]
    try:
        items = reader.read(path, display_name=display)
        writer.write_all(checked_rows(items, checker, problems, seen))
    except ImportFileError as error:
        for problem in error.problems:
            problems.add(problem)
    result.rows = seen[0]
    counts = writer.counts
    result.created, result.changed, result.unchanged = (
        counts.created,
        counts.changed,
        counts.unchanged,
    )
    result.changes = counts.shown
    return writer


def _keep_file(path: Path, sha: str) -> str:
    """A copy of the imported file under MEDIA_ROOT, named by its hash, so
    that every imported number can be traced to the bytes it came from."""
    relative = Path("imports") / sha[:2] / f"{sha}{path.suffix.lower()}"
    target = Path(settings.MEDIA_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, partial)
        partial.replace(target)
    return str(relative)


class UndoRefused(Exception):
    """An import that cannot be undone (yet), with the reason."""


@transaction.atomic
def import_batch_undo(*, batch: ImportBatch, user: User | None = None) -> int:
    """Undo an import as a whole: the values it changed go back to what they
    were (with their earlier batch and line), the observations it created
    are deleted. Refused when a later import changed the same values (undo
    that one first) or when the batch is already undone. Returns the number
    of observations restored or removed. The change history records the
    restored and removed values as by ``user``."""
    with recorded_as(user=user, reason=f"undo of import #{batch.pk}"):
        return _import_batch_undo(batch=batch, user=user)


def _import_batch_undo(*, batch: ImportBatch, user: User | None) -> int:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.UNDONE:
        raise UndoRefused(f"import #{batch.pk} is already undone")
    later = (
        ObservationChange.objects.filter(
            old_batch=batch, batch__status=ImportBatch.Status.APPLIED
        )
        .select_related("batch")
        .first()
    )
    if later is not None:
        raise UndoRefused(
            f"import #{later.batch.pk} ({later.batch.file_name}) changed values "
            f"that import #{batch.pk} wrote; undo #{later.batch.pk} first"
        )
    touched = 0
    changes = ObservationChange.objects.filter(batch=batch).order_by("-pk")
    restored: list[Observation] = []
    for change in changes.iterator(chunk_size=2000):
        if change.observation_id is None:
            continue
        restored.append(
            Observation(
                pk=change.observation_id,
                value=change.old_value,
                numerator=change.old_numerator,
                denominator=change.old_denominator,
                note=change.old_note,
                flags=change.old_flags,
                batch_id=change.old_batch_id,
                source_line=change.old_source_line,
            )
        )
        if len(restored) >= 2000:
            touched += _restore(restored)
            restored = []
    touched += _restore(restored)
    deleted, _ = Observation.objects.filter(batch=batch).delete()
    touched += deleted
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.undone_by_name = _user_name(user)
    batch.save(update_fields=["status", "undone_at", "undone_by_name"])
    return touched


def _restore(observations: list[Observation]) -> int:
    Observation.objects.bulk_update(
        observations,
        [
            "value",
            "numerator",
            "denominator",
            "note",
            "flags",
            "batch",
            "source_line",
        ],
    )
    if observations:
        # The restored rows are partial (the changed fields only): their
        # history is read back from the table, in one statement.
        ids = [o.pk for o in observations]
        observations_history_record(
            "o.id IN (" + ", ".join(["%s"] * len(ids)) + ")",
            ids,
            user=acting_user(),
            reason=change_reason() or "undo",
        )
    return len(observations)

"""Backing up the database to one file and restoring it.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot while the app keeps running; the copy is checked with
``PRAGMA integrity_check`` and written as a single file (rollback journal,
no -wal beside it). PostgreSQL: ``pg_dump --format=custom`` and
``pg_restore`` in one transaction, with the connection settings passed in
the environment (a password never appears in a process list).

A backup holds everything the database holds, personal data and the access
log included: it is kept as carefully as the database and for no longer
than docs/privacy.md says. Evidence files are on disk (FREMDRIFT_MEDIA_ROOT)
and backed up with it, not here.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from fremdrift.base.freshness import plan_data_changed

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    path: Path
    vendor: str
    tables: int
    rows: int
    size: int

    def describe(self) -> str:
        return (
            f"{self.path}: {self.vendor} backup, {self.tables} tables, "
            f"{self.rows} rows, {self.size} bytes"
        )


def _counts(conn: Any) -> tuple[int, int]:
    """Tables and rows in the database ``conn`` (a Django connection)."""
    tables = conn.introspection.table_names()
    rows = 0
    with conn.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")
            rows += cursor.fetchone()[0]
    return len(tables), rows


def _pg_environment() -> dict[str, str]:
    """libpq's environment for the configured database."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[name] = str(settings[key])
    options = settings.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools)")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(
        args, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise BackupError(f"{Path(args[0]).name} failed: {reason}")


def _private(path: Path) -> None:
    # Personal data: readable by the owner only.
    path.chmod(0o600)


def backup_write(*, path: Path) -> BackupSummary:
    """Write the whole database to ``path`` (replaced only once the backup
    is complete and checked)."""
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    connection.ensure_connection()
    try:
        if connection.vendor == "sqlite":
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
                check = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
            if check != "ok":
                raise BackupError(f"the copy failed its integrity check: {check}")
        elif connection.vendor == "postgresql":
            _run([_tool("pg_dump"), "--format=custom", f"--file={partial}"])
            _run([_tool("pg_restore"), "--list", str(partial)])
        else:
            raise BackupError(f"cannot back up a {connection.vendor} database")
        _private(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    tables, rows = _counts(connection)
    return BackupSummary(
        path=path,
        vendor=connection.vendor,
        tables=tables,
        rows=rows,
        size=path.stat().st_size,
    )


def database_is_empty() -> bool:
    """No tables at all: a database just created, never migrated."""
    return not connection.introspection.table_names()


def _kind(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a fremdrift backup (SQLite or pg_dump -Fc)")


def sqlite_backup_check(path: Path) -> None:
    """Raise ``BackupError`` with one line unless the SQLite file at
    ``path`` passes ``PRAGMA integrity_check`` (a truncated or damaged file
    does not) and holds a schema this version of fremdrift knows: its
    migrations table exists and names no migration the code lacks (a
    backup of a newer version). An older schema is fine; ``fremdrift
    migrate`` brings it up to date after the restore."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be opened: {error}") from None
    try:
        rows = source.execute("PRAGMA integrity_check").fetchall()
        check = rows[0][0] if rows else "no answer"
        if check != "ok":
            raise BackupError(f"{path} failed its integrity check: {str(check)[:200]}")
        has_migrations = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' "
            "AND name = 'django_migrations'"
        ).fetchone()
        if not has_migrations:
            raise BackupError(
                f"{path} is not a fremdrift backup: it has no schema version "
                "(no django_migrations table)"
            )
        applied = set(source.execute("SELECT app, name FROM django_migrations"))
    except sqlite3.DatabaseError as error:
        # A file cut short, or not a database at all past its first bytes.
        raise BackupError(f"{path} is damaged: {error}") from None
    finally:
        source.close()
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        (app, name)
        for app, name in applied - known
        if app in {app for app, _name in known}
    )
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"{path} is from a newer version of fremdrift (its schema has "
            f"migration {app}.{name}, which this version lacks): restore it "
            "with that version"
        )


def pg_backup_check(path: Path) -> None:
    """Raise ``BackupError`` with one line naming ``path`` unless
    ``pg_restore --list`` reads its table of contents: a pg_dump archive cut
    short or with a broken header is refused before ``--clean`` drops
    anything."""
    try:
        _run([_tool("pg_restore"), "--list", str(path)])
    except BackupError as error:
        raise BackupError(f"{path} is damaged: {error}") from None


def restore_read(*, path: Path, force: bool = False) -> BackupSummary:
    """Restore the backup at ``path`` into the configured database, which
    must be empty unless ``force`` (then everything in it is replaced)."""
    kind = _kind(path)
    if kind != connection.vendor:
        raise BackupError(
            f"{path} is a {kind} backup; the configured database is {connection.vendor}"
        )
    if kind == "sqlite":
        sqlite_backup_check(path)
    else:
        pg_backup_check(path)
    if not force and not database_is_empty():
        raise BackupError(
            "the database is not empty: restore into an empty database, or "
            "add --force to replace everything in it"
        )
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} cannot be restored: {error}") from None
        finally:
            source.close()
    else:
        args = [_tool("pg_restore"), "--no-owner", "--single-transaction"]
        if force:
            args += ["--clean", "--if-exists"]
        connection.close()
        _run([*args, f"--dbname={connection.settings_dict['NAME']}", str(path)])
    # Every row was replaced behind the ORM's back: no stored measure holds.
    plan_data_changed(None)
    tables, rows = _counts(connection)
    return BackupSummary(
        path=path, vendor=kind, tables=tables, rows=rows, size=path.stat().st_size
    )

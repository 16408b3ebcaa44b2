"""The corpus of ``fremdrift restore``: a truncated, damaged or foreign
backup is refused with one line naming the file, before anything is
restored."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import connection

from .cases import Case, backup_cases
from .conftest import changed_tables, database_fingerprint, refused

BACKUP_CASES = backup_cases(Path(tempfile.mkdtemp(prefix="fremdrift-backups-")))


@pytest.mark.parametrize("case", BACKUP_CASES, ids=[c.name for c in BACKUP_CASES])
def test_a_bad_backup_is_refused_in_one_line_and_restores_nothing(
    plan, tmp_path: Path, case: Case
):
    folder = case.write(tmp_path / case.name)
    (path,) = (folder / name for name in case.files)
    before = database_fingerprint()
    refusal = refused("restore", str(path), "--force")
    lines = refusal.lines_naming(str(path))
    assert len(lines) == 1, refusal.text
    if connection.vendor == "sqlite" or "not a fremdrift backup" in case.says:
        assert case.says in lines[0], lines[0]
    else:
        # A SQLite file is refused on PostgreSQL for its kind, before it is
        # opened; a pg_dump file is refused by pg_restore's own check.
        assert "backup" in lines[0], lines[0]
    assert changed_tables(before, database_fingerprint()) == []

"""Uploads previewed on the web but never confirmed are pruned after
FREMDRIFT_PENDING_UPLOAD_HOURS by ``fremdrift uploads_prune``: statistics
files and plan folders alike; a recent upload stays, and its preview can
still be confirmed."""

from __future__ import annotations

import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from fremdrift.base.pending import stale_files_prune
from fremdrift.planfiles.archive import pending_zip_keep, pending_zip_read
from fremdrift.statistics.uploads import pending_folder, upload_keep

HOUR = 3600


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * HOUR
    os.utime(path, (then, then))


def test_only_files_older_than_the_limit_go(tmp_path: Path) -> None:
    old, recent = tmp_path / "old.csv", tmp_path / "recent.csv"
    old.write_text("a")
    recent.write_text("b")
    _age(old, 25)
    _age(recent, 23)
    assert stale_files_prune(tmp_path, older_than=datetime.timedelta(hours=24)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["recent.csv"]
    assert stale_files_prune(tmp_path / "none", older_than=datetime.timedelta(1)) == 0


def test_the_command_prunes_statistics_files_and_plan_folders(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=tmp_path):
        sha, old_statistics = upload_keep([b"indicator,population\n"], "tal.csv")
        _sha, recent_statistics = upload_keep([b"other\n"], "andre.csv")
        old_zip = pending_zip_keep(data=b"PK old")
        recent_zip = pending_zip_keep(data=b"PK recent")
        _age(old_statistics, 30)
        _age(pending_folder().parent / "pending-plan-folders" / f"{old_zip}.zip", 30)

        out = io.StringIO()
        call_command("uploads_prune", stdout=out)

        assert out.getvalue().strip() == (
            "deleted 1 statistics upload(s) and 1 plan folder upload(s) older than 24 h"
        )
        assert not old_statistics.exists() and recent_statistics.exists()
        assert pending_zip_read(sha256=old_zip) is None
        assert pending_zip_read(sha256=recent_zip) == b"PK recent"
        assert sha


@pytest.mark.parametrize("hours", [1, 48])
def test_the_limit_is_a_setting(tmp_path: Path, hours: int) -> None:
    with override_settings(MEDIA_ROOT=tmp_path, PENDING_UPLOAD_HOURS=hours):
        _sha, path = upload_keep([b"x"], "tal.csv")
        _age(path, 2)
        call_command("uploads_prune", stdout=io.StringIO())
        assert path.exists() is (hours > 2)

"""Uploads kept on the server between their preview and their
confirmation (a statistics file, a plan folder's zip): a reader who never
confirms leaves the file behind, so files older than
``PENDING_UPLOAD_HOURS`` are pruned (``fremdrift uploads_prune``, each
night). A confirmation that comes after the prune finds the file gone
and asks for the upload again, as it does for any stale preview."""

from __future__ import annotations

import datetime
import time
from pathlib import Path


def stale_files_prune(
    folder: Path, *, older_than: datetime.timedelta, now: float | None = None
) -> int:
    """Delete the files directly in ``folder`` last written more than
    ``older_than`` before ``now`` (seconds since the epoch; default:
    now); returns how many. A missing folder has nothing to prune."""
    if not folder.is_dir():
        return 0
    limit = (time.time() if now is None else now) - older_than.total_seconds()
    deleted = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            # Confirmed (and discarded) by a request while we looked.
            continue
    return deleted

"""The task worker, run in the test's process: ``fremdrift db_worker
--batch`` does the same, one job after the other until none is ready."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_worker() -> None:
    """Run every job that is ready now, as a worker would.

    A worker closes "old" database connections between jobs, as a server
    does between requests. Inside a test's transaction that would close
    the test's own connection (on PostgreSQL; SQLite keeps an in-memory
    database open), so here it is kept away from them, as Django's test
    client keeps it away from its requests."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

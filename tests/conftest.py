from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RANDERS = ROOT / "examples" / "randers-nordby-2017-21"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini-plan"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with a test marked ``slow`` run first; otherwise the order is
    pytest-django's (which runs after-flushing tests last). make test hands
    whole files to pytest-xdist's workers in this order (--dist loadfile
    --no-loadscope-reorder): a long file handed out last would run alone
    at the end while the other worker waits. (xdist's own reordering puts
    the files with the most tests first, which is not the longest: a
    one-test file of API fuzzing or backups would come last.)"""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():  # type: ignore[no-untyped-def]
    """Argon2 is slow on purpose; the suite creates hundreds of users. Tests
    hash with MD5 instead (tests/accounts/test_passwords.py checks that the
    real settings use argon2)."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def process_cache():  # type: ignore[no-untyped-def]
    """The suite's cache lives in its process, not in var/cache. It is not
    emptied between tests: every test then also checks that what it wrote
    renewed the stored measures it reads (base/freshness.py)."""
    from django.test import override_settings

    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "fremdrift-tests",
                "OPTIONS": {"MAX_ENTRIES": 100000},
            },
            "ratelimit": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "fremdrift-tests-ratelimit",
            },
        }
    ):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits():  # type: ignore[no-untyped-def]
    """Every test starts with no request counted against the rate limits
    (audit/ratelimits.py): no test is throttled by the ones before it."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    yield


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A writable copy of the small fictional test plan."""
    folder = tmp_path / "mini-plan"
    shutil.copytree(MINI, folder)
    return folder


@pytest.fixture(scope="session")
def randers_read():  # type: ignore[no-untyped-def]
    """The Randers folder as plan_load reads and validates it, once per
    process: for this large plan the reading (YAML to checked models) is
    most of a load's time, always gives the same result, and the loading
    only reads it (examples/ is never written to)."""
    from fremdrift.planfiles import services

    return services.read_plan_folder(RANDERS)


@pytest.fixture
def randers(db, randers_read):  # type: ignore[no-untyped-def]
    """The Randers plan, loaded into this test's database by plan_load, with
    the folder read once per process (randers_read)."""
    from unittest import mock

    from fremdrift.planfiles import services
    from fremdrift.plans.models import Plan

    read = services.read_plan_folder

    def read_once(folder):  # type: ignore[no-untyped-def]
        return randers_read if Path(folder) == RANDERS else read(folder)

    with mock.patch.object(services, "read_plan_folder", read_once):
        services.plan_load(folder=RANDERS)
    return Plan.objects.get(slug="randers-nordby-2017-21")


@pytest.fixture
def mini(db, mini_folder):  # type: ignore[no-untyped-def]
    from fremdrift.planfiles.services import plan_load
    from fremdrift.plans.models import Plan

    plan_load(folder=mini_folder)
    return Plan.objects.get(slug="eksempelby-2022-26")


@pytest.fixture(autouse=True)
def _access_log_emptied_after_transactional_tests(request):  # type: ignore[no-untyped-def]
    """Django empties the tables after a transactional test (a live server,
    a browser) with DELETE on SQLite, which the access log's append-only
    triggers refuse: here the triggers are lifted for that moment only.
    (PostgreSQL empties them with TRUNCATE, which the triggers allow.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        # Set up first, so that this fixture's teardown runs before the flush.
        request.getfixturevalue("transactional_db")
    yield
    if not transactional:
        return
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from fremdrift.audit.triggers import (
        APPEND_ONLY_TABLES,
        triggers_create,
        triggers_drop,
    )

    with connection.cursor() as cursor:
        triggers_drop(connection)
        for table in reversed(APPEND_ONLY_TABLES):
            cursor.execute(f"DELETE FROM {table}")
        triggers_create(connection)

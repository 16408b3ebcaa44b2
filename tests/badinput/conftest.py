"""What the bad-input corpus shares: the small plan with a count, a rate
and a change indicator, a fingerprint of every table, and running a
command the way the command line does."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ..statistics.conftest import plan  # noqa: F401 - the shared plan fixture

# A traceback, or an exception's class name at the start of a line, means a
# crash reached the user instead of a sentence.
CRASH = re.compile(r"Traceback|^\w+(Error|Exception):", re.MULTILINE)


def database_fingerprint(*, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """A hash of every row of every table (but ``skip``), by table: equal
    before and after means the refused input changed nothing at all."""
    fingerprint: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skip:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            fingerprint[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return fingerprint


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        t for t in before.keys() | after.keys() if before.get(t) != after.get(t)
    )


@dataclass(frozen=True)
class Refusal:
    """What a refused command showed: its error (stderr included) and the
    lines that name a place in the input."""

    text: str

    def lines_naming(self, fragment: str) -> list[str]:
        # The closing line of ``fremdrift import`` ("FILE: refused, nothing
        # was written (1 problem listed above)") counts, it does not locate.
        return [
            line
            for line in self.text.splitlines()
            if fragment in line and not line.endswith("listed above)")
        ]


def refused(*args: str) -> Refusal:
    """Run a command that must refuse: it raises ``CommandError`` (exit 1
    on the command line) and never crashes."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        text = err.getvalue() + str(error)
    else:
        raise AssertionError(f"{args} was accepted: {out.getvalue()}")
    assert not CRASH.search(text), text
    return Refusal(text)


def assert_one_problem(refusal: Refusal, where: str, says: str, name: str) -> None:
    """Exactly one line names a place in the input, at ``where``, and it
    says ``says``."""
    located = refusal.lines_naming(name)
    assert len(located) == 1, refusal.text[:2000]
    assert where in located[0], located[0][:500]
    assert says in located[0], located[0][:500]
    # One line of a sane length: a 5 MB cell is not printed back.
    assert len(located[0]) < 1000, located[0][:200]


@pytest.fixture
def fingerprint():  # type: ignore[no-untyped-def]
    return database_fingerprint

"""Database triggers that make the access log append-only whatever the
caller: the ORM, raw SQL, a database shell. They refuse UPDATE and DELETE
of every row; inserting stays possible.

TRUNCATE is not covered (SQLite has none; on PostgreSQL Django's test
runner empties tables with it): production revokes UPDATE, DELETE and
TRUNCATE on these tables from the application's database role
(docs/privacy.md).
"""

from __future__ import annotations

from typing import Any

# Changing a statement below needs a new migration that runs it.
APPEND_ONLY_TABLES = ("audit_accesslogentry", "audit_accesslogreview")

_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION fremdrift_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' is refused',
        ERRCODE = 'insufficient_privilege';
END;
$$
"""


def create_statements(vendor: str) -> list[str]:
    """The SQL that installs the triggers on ``vendor`` ("sqlite" or
    "postgresql")."""
    if vendor == "postgresql":
        return [_POSTGRESQL_FUNCTION] + [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION fremdrift_append_only()"
            for table in APPEND_ONLY_TABLES
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} is "
            f"refused'); END"
            for table in APPEND_ONLY_TABLES
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
            for table in APPEND_ONLY_TABLES
        ] + ["DROP FUNCTION IF EXISTS fremdrift_append_only()"]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op}"
            for table in APPEND_ONLY_TABLES
            for op in ("update", "delete")
        ]
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def _execute(connection: Any, statements: list[str]) -> None:
    # Straight to the driver's cursor: the plpgsql body must not be read
    # for query parameters.
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggers_create(connection: Any) -> None:
    _execute(connection, create_statements(connection.vendor))


def triggers_drop(connection: Any) -> None:
    _execute(connection, drop_statements(connection.vendor))

"""Writing generated rows by the database's own bulk path: COPY on
PostgreSQL, one ``executemany`` of a prepared INSERT on SQLite.

The generator gives every row its primary key itself (from the table's
current maximum up), so that rows can refer to each other before anything
is written and nothing has to come back from the database. Django creates
foreign keys as DEFERRABLE INITIALLY DEFERRED on both databases, so the
tables may be written in any order inside the transaction; PostgreSQL's
sequences are moved past the new keys at the end.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _sqlite_converter(field: Field) -> Convert:  # type: ignore[type-arg]
    """Values as Django's SQLite backend stores them; its adapters already
    write dates and decimals, and booleans are integers to sqlite3."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        # Stored naive in UTC, as the backend's adapt_datetimefield_value.
        return lambda v: (
            None
            if v is None
            else v.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        )
    if kind == "JSONField":
        return json.dumps
    return _identity


def _postgresql_converter(field: Field) -> Convert:  # type: ignore[type-arg]
    # COPY's text format: psycopg writes dates, decimals and booleans
    # itself; a jsonb column parses the JSON text.
    if field.get_internal_type() == "JSONField":
        return json.dumps
    return _identity


def _depth(model: type[Model]) -> int:
    """How many foreign keys deep ``model`` is (0: refers to nothing)."""
    targets = [
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model not in (None, model)
    ]
    return 1 + max((_depth(t) for t in targets), default=-1)  # type: ignore[arg-type]


class Table:
    """The rows waiting to be written to one model's table, in the order
    of ``columns`` (attribute names: ``session_id``, not ``session``)."""

    def __init__(self, model: type[Model], columns: tuple[str, ...]) -> None:
        self.model = model
        self.columns = columns
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [fields[name] for name in columns]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0


class BulkWriter:
    """Collects rows table by table, hands out primary keys, and writes
    what it holds with ``flush``; ``finish`` moves PostgreSQL's sequences.

    ``add`` takes a row by field name and fills every other column with
    the field's default (the database has no defaults of its own);
    ``table(...).rows.append`` takes a ready tuple, for the big tables.
    """

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.tables: dict[type[Model], Table] = {}
        self.next_id: dict[type[Model], int] = {}
        self.dropped: list[str] = []
        self.dropped_keys: list[str] = []
        if self.vendor == "sqlite":
            # The attendance index on (participant, session) is filled in
            # no particular order: with SQLite's default 2 MB page cache
            # every insert reads pages back from disk. 256 MB for this
            # connection (it is closed at the end of the command).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")

    def drop_indexes(self, models: Iterable[type[Model]]) -> None:
        """Drop the secondary indexes and unique constraints of ``models``'
        tables until ``finish``: building an index once over sorted keys is
        several times faster than keeping it up to date row by row."""
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # No table is altered with foreign-key checks pending (as
                # after deleting earlier benchmark plans in the same
                # transaction): run them first.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in models:
                table = model._meta.db_table
                if self.vendor == "sqlite":
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = %s AND sql IS NOT NULL",
                        [table],
                    )
                    for name, sql in cursor.fetchall():
                        cursor.execute(f'DROP INDEX "{name}"')
                        self.dropped.append(sql)
                    continue
                # Foreign keys too, as pg_restore loads data before adding
                # them: adding one checks every row in a single join, where
                # a kept one runs a trigger per row.
                cursor.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE conrelid = %s::regclass "
                    "AND contype IN ('u', 'f')",
                    [table],
                )
                for name, kind, definition in cursor.fetchall():
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                    sql = f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
                    (self.dropped_keys if kind == "f" else self.dropped).append(sql)
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint "
                    "WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f'DROP INDEX "{name}"')
                    self.dropped.append(definition)

    def new_id(self, model: type[Model]) -> int:
        if model not in self.next_id:
            table = model._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.next_id[model] = cursor.fetchone()[0] + 1
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    def table(self, model: type[Model], columns: tuple[str, ...] = ()) -> Table:
        if model not in self.tables:
            names = columns or tuple(f.attname for f in model._meta.concrete_fields)
            self.tables[model] = Table(model, names)
        return self.tables[model]

    def add(self, model: type[Model], **values: Any) -> int:
        """One row; returns its primary key (given or new)."""
        table = self.table(model)
        if "id" not in values:
            values["id"] = self.new_id(model)
        row = []
        for field in table.fields:
            if field.attname in values:
                row.append(values[field.attname])
            else:
                # The ORM's default: the field's own, "" for text, else None.
                default = field.get_default()
                if default is None and not field.null:
                    raise ValueError(f"{model.__name__}.{field.attname} needs a value")
                row.append(default)
        table.rows.append(tuple(row))
        return int(values["id"])

    def m2m(self, through: type[Model], rows: Iterable[tuple[int, int]]) -> None:
        """Rows of an automatic many-to-many table (its two foreign keys)."""
        columns = tuple(
            f.attname for f in through._meta.concrete_fields if f.attname != "id"
        )
        table = self.table(through, ("id", *columns))
        for left, right in rows:
            table.rows.append((self.new_id(through), left, right))

    def flush(self) -> None:
        # Parents before children: SQLite looks for orphaned children of
        # every parent row inserted while a deferred violation is pending.
        for table in sorted(self.tables.values(), key=lambda t: _depth(t.model)):
            if table.rows:
                self._write(table)
                table.written += len(table.rows)
                table.rows = []

    def finish(self) -> None:
        self.flush()
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Likewise before adding the constraints back.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in self.dropped + self.dropped_keys:
                cursor.execute(sql)
            if self.vendor == "postgresql":
                # Back to Django's INITIALLY DEFERRED for the rest of an
                # enclosing transaction.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.dropped = []
        self.dropped_keys = []
        if self.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(
                no_style(), list(self.tables)
            )
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def counts(self) -> dict[str, int]:
        return {t.model.__name__: t.written for t in self.tables.values()}

    def _write(self, table: Table) -> None:
        name = table.model._meta.db_table
        quote = connection.ops.quote_name
        name = quote(name)
        columns = [quote(f.column) for f in table.fields]
        if self.vendor == "postgresql":
            converters = [_postgresql_converter(f) for f in table.fields]
            sql = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
            plain = all(c is _identity for c in converters)
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in table.rows:
                    copy.write_row(
                        row
                        if plain
                        else [c(v) for c, v in zip(converters, row, strict=True)]
                    )
            return
        converters = [_sqlite_converter(f) for f in table.fields]
        rows: Iterable[tuple[Any, ...]] = table.rows
        if not all(c is _identity for c in converters):
            rows = (
                tuple(c(v) for c, v in zip(converters, row, strict=True))
                for row in table.rows
            )
        marks = ", ".join("?" for _ in columns)
        connection.ensure_connection()
        raw = connection.connection
        raw.executemany(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows
        )

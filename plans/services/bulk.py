"""Loading many rows at once, below the ORM: PostgreSQL's COPY, executemany elsewhere.

For generated data (demo.data): hundreds of thousands of rows that no model
signal, history hook or per-row save needs to see. Rows are plain values keyed by field
attname; the columns come from the model, so a field added later with a default needs no
change here. Primary keys are allocated here (the rows reference each other before they
exist), and the sequences are moved past them at the end.
"""

import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection as default_connection
from django.db import models

_MISSING = object()


@dataclass
class _Table:
    model: type[models.Model]
    table: str
    columns: list[str]
    attnames: list[str]
    defaults: list  # a callable giving the default, or _MISSING when the value is required
    json_columns: list[int]
    fields: list[models.Field]
    pk_attname: str
    auto_pk: bool


def _table_of(model) -> _Table:
    fields = [f for f in model._meta.concrete_fields]
    defaults = []
    for field in fields:
        if field.has_default():
            defaults.append(field.get_default)
        elif field.null:
            defaults.append(lambda: None)
        elif field.blank and field.empty_strings_allowed:
            defaults.append(lambda: "")
        else:
            defaults.append(_MISSING)
    pk = model._meta.pk
    return _Table(
        model=model,
        table=model._meta.db_table,
        columns=[f.column for f in fields],
        attnames=[f.attname for f in fields],
        defaults=defaults,
        json_columns=[i for i, f in enumerate(fields) if isinstance(f, models.JSONField)],
        fields=fields,
        pk_attname=pk.attname,
        auto_pk=isinstance(pk, models.AutoField),
    )


class BulkWriter:
    """Collects rows per model and writes them in one statement stream per table.

    `add` returns the row's primary key (allocated when the model's is automatic); `flush`
    writes what was collected (call it every few thousand rows to bound memory); `finish`
    moves the sequences past the ids handed out.
    """

    def __init__(self, *, connection=None):
        self.connection = connection or default_connection
        self.postgres = self.connection.vendor == "postgresql"
        self._tables: dict[type, _Table] = {}
        self._rows: dict[type, list[tuple]] = {}
        self._next_id: dict[type, int] = {}
        self._first_id: dict[type, int] = {}
        self.counts: Counter = Counter()

    # --- rows ---------------------------------------------------------------------------------

    def add(self, model, **values):
        table = self._tables.get(model) or self._register(model)
        if table.auto_pk and values.get(table.pk_attname) is None:
            values[table.pk_attname] = self._allocate(model)
        row = []
        for attname, default in zip(table.attnames, table.defaults):
            value = values.pop(attname, _MISSING)
            if value is _MISSING:
                if default is _MISSING:
                    raise ValueError(f"{model.__name__}.{attname} needs a value")
                value = default()
            row.append(value)
        if values:
            raise ValueError(f"{model.__name__} has no field(s) {', '.join(values)}")
        self._rows.setdefault(model, []).append(row)
        return row[table.attnames.index(table.pk_attname)] if table.auto_pk else None

    def _register(self, model) -> _Table:
        table = _table_of(model)
        self._tables[model] = table
        return table

    def id_range(self, model) -> tuple[int, int] | None:
        """The first and last ids handed out for `model` (None: none were)."""
        if model not in self._next_id:
            return None
        return self._first_id[model], self._next_id[model] - 1

    def _allocate(self, model) -> int:
        if model not in self._next_id:
            self._next_id[model] = self._first_id[model] = self._first_free_id(self._tables[model])
        pk = self._next_id[model]
        self._next_id[model] = pk + 1
        return pk

    def _first_free_id(self, table: _Table) -> int:
        pk_column = table.model._meta.pk.column
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX("{pk_column}") FROM "{table.table}"')
            highest = cursor.fetchone()[0] or 0
            if self.postgres:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table.table, pk_column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                    last, called = cursor.fetchone()
                    highest = max(highest, last if called else last - 1)
        return highest + 1

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the rows collected so far, table by table in the order first added (parents
        before children)."""
        for model, rows in self._rows.items():
            if rows:
                self._write(self._tables[model], rows)
                self.counts[model._meta.label] += len(rows)
        self._rows = {model: [] for model in self._rows}

    def _write(self, table: _Table, rows: list[list]) -> None:
        columns = ", ".join(f'"{c}"' for c in table.columns)
        with self.connection.cursor() as cursor:
            if self.postgres:
                for row in rows:
                    for index in table.json_columns:
                        row[index] = json.dumps(row[index], ensure_ascii=False)
                with cursor.cursor.copy(f'COPY "{table.table}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            prepared = [
                [field.get_db_prep_save(value, self.connection) for field, value in zip(table.fields, row)]
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f'INSERT INTO "{table.table}" ({columns}) VALUES ({marks})', prepared)

    def finish(self) -> None:
        """Flush, and move each sequence past the ids handed out."""
        self.flush()
        if not self.postgres:
            return  # SQLite's AUTOINCREMENT follows the largest id inserted
        with self.connection.cursor() as cursor:
            for model, next_id in self._next_id.items():
                table = self._tables[model]
                pk_column = model._meta.pk.column
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table.table, pk_column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, next_id - 1])


@contextmanager
def constraints_deferred(models_: list, *, connection=None):
    """On PostgreSQL, drop the secondary indexes, unique and foreign-key constraints of these
    models' tables (and foreign keys pointing at them), and build them again on leaving: one
    index build and one validating join per constraint instead of work for every row. Inside
    a transaction, so that a failure restores them. Elsewhere, nothing."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.contype IN ('f', 'u')
              AND (c.conrelid = ANY(%(t)s::regclass[])
                   OR (c.contype = 'f' AND c.confrelid = ANY(%(t)s::regclass[])))
            """,
            {"t": tables},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%(t)s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            """,
            {"t": tables},
        )
        indexes = cursor.fetchall()
        # Checks deferred to the commit of rows written earlier in this transaction would stop
        # the ALTER TABLEs ("pending trigger events"): they are made now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Foreign keys first: a unique constraint may be what one of them points at.
        for table, name, _definition, _kind in sorted(constraints, key=lambda c: c[3] != "f"):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition, _kind in sorted(constraints, key=lambda c: c[3] == "f"):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tables_analyze(models_, *, connection=None) -> None:
    """Refresh the planner's statistics of these models' tables (ANALYZE), after a command
    wrote many rows into them.

    Statistics that still say a table is small make PostgreSQL plan for the small table (the
    county list took 358 ms after a national import, 50 ms once analyzed); autovacuum, where it
    runs at all, catches up with a large import only later. SQLite keeps no statistics unless
    asked, and its plans were chosen without them: nothing is done there.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(f'"{table}"' for table in dict.fromkeys(m._meta.db_table for m in models_))
    if tables:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

"""The visit tally's triggers create a tally row only for an obligation that adds to it.

Those of 0005 also created one for a deleted or changed obligation, at zero, before taking
the obligation off: when the tally had gone first (a county's cascade, a test database's
flush, which SQLite does table by table), the row came back below zero and the whole delete
failed on the CHECK. An obligation leaving a key now only takes from a tally that exists."""

import importlib

from django.db import migrations

first = importlib.import_module("inspections.migrations.0005_visittally")
TALLY, KEY = first.TALLY, first.KEY


def _pg_create(op: str) -> str:
    name = f"{TALLY}_on_{op.lower()}"
    change = f"""
        SELECT {KEY},
               SUM(sign * (state <> 'withdrawn')::int) AS owed,
               SUM(sign * (state = 'accepted')::int) AS made
        FROM ({first._PG_ROWS[op]}) AS changed_rows
        GROUP BY {KEY}"""
    create_missing = (
        ""
        if op == "DELETE"
        else f"""
    INSERT INTO {TALLY} ({KEY}, owed, made)
        SELECT DISTINCT {KEY}, 0, 0 FROM new_rows WHERE kind = 'visit' AND state <> 'withdrawn'
        ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO NOTHING;"""
    )
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{create_missing}
    UPDATE {TALLY} AS tally SET owed = tally.owed + c.owed, made = tally.made + c.made
        FROM ({change}) AS c
        WHERE (c.owed <> 0 OR c.made <> 0)
          AND tally.county_id = c.county_id AND tally.year = c.year AND tally.due_date = c.due_date;
    RETURN NULL;
END
$$;
CREATE TRIGGER {name} AFTER {op} ON tracking_assignment
    REFERENCING {first._PG_REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _sqlite_change(row: str, sign: str) -> str:
    create_missing = f"""
    INSERT OR IGNORE INTO {TALLY} ({KEY}, owed, made)
        SELECT NEW.county_id, NEW.year, NEW.due_date, 0, 0
        WHERE NEW.kind = 'visit' AND NEW.state <> 'withdrawn';"""
    return f"""{create_missing if row == "NEW" else ""}
    UPDATE {TALLY}
        SET owed = owed {sign} ({row}.kind = 'visit' AND {row}.state <> 'withdrawn'),
            made = made {sign} ({row}.kind = 'visit' AND {row}.state = 'accepted')
        WHERE county_id = {row}.county_id AND year = {row}.year AND due_date = {row}.due_date;"""


SQLITE_CREATE = [
    f"""CREATE TRIGGER {TALLY}_on_insert AFTER INSERT ON tracking_assignment WHEN NEW.kind = 'visit'
BEGIN {_sqlite_change("NEW", "+")}
END""",
    f"""CREATE TRIGGER {TALLY}_on_delete AFTER DELETE ON tracking_assignment WHEN OLD.kind = 'visit'
BEGIN {_sqlite_change("OLD", "-")}
END""",
    # Taken off the old row's tally first: made never passes owed on the way.
    f"""CREATE TRIGGER {TALLY}_on_update AFTER UPDATE OF kind, county_id, year, due_date, state
ON tracking_assignment WHEN OLD.kind = 'visit' OR NEW.kind = 'visit'
BEGIN {_sqlite_change("OLD", "-")} {_sqlite_change("NEW", "+")}
END""",
]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [_pg_create(op) for op in ("INSERT", "UPDATE", "DELETE")]
    elif vendor == "sqlite":
        statements = SQLITE_CREATE
    else:
        raise NotImplementedError(f"the visit tally has no triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def triggers_replace(apps, schema_editor):
    first.triggers_drop(apps, schema_editor)
    triggers_create(apps, schema_editor)


def triggers_restore(apps, schema_editor):
    first.triggers_drop(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [first._pg_create(op) for op in ("INSERT", "UPDATE", "DELETE")]
    else:
        statements = first.SQLITE_CREATE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_visittally")]

    operations = [migrations.RunPython(triggers_replace, triggers_restore)]

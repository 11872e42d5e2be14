"""The visit tally (inspections.VisitTally), kept by triggers on tracking_assignment.

PostgreSQL: statement-level triggers reading the statement's transition tables, so that a bulk
load (COPY, UPDATE … FROM UNNEST) costs one aggregate, not one call a row. SQLite: row-level
triggers. Both first make sure the tally's row exists, then add the change to it: an INSERT
with a negative change would fail the table's CHECK before its ON CONFLICT could apply."""

import django.db.models.deletion
from django.db import migrations, models

TALLY = "inspections_visittally"
KEY = "county_id, year, due_date"

# PostgreSQL: one function and trigger per event (a trigger with transition tables has one).
_PG_ROWS = {
    "INSERT": "SELECT county_id, year, due_date, state, 1 AS sign FROM new_rows WHERE kind = 'visit'",
    "DELETE": "SELECT county_id, year, due_date, state, -1 AS sign FROM old_rows WHERE kind = 'visit'",
    "UPDATE": (
        "SELECT county_id, year, due_date, state, -1 AS sign FROM old_rows WHERE kind = 'visit' "
        "UNION ALL SELECT county_id, year, due_date, state, 1 FROM new_rows WHERE kind = 'visit'"
    ),
}
_PG_REFERENCING = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _pg_create(op: str) -> str:
    name = f"{TALLY}_on_{op.lower()}"
    change = f"""
        SELECT {KEY},
               SUM(sign * (state <> 'withdrawn')::int) AS owed,
               SUM(sign * (state = 'accepted')::int) AS made
        FROM ({_PG_ROWS[op]}) AS changed_rows
        GROUP BY {KEY}"""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TALLY} ({KEY}, owed, made)
        SELECT {KEY}, 0, 0 FROM ({change}) AS c WHERE owed <> 0 OR made <> 0 ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO NOTHING;
    UPDATE {TALLY} AS tally SET owed = tally.owed + c.owed, made = tally.made + c.made
        FROM ({change}) AS c
        WHERE (c.owed <> 0 OR c.made <> 0)
          AND tally.county_id = c.county_id AND tally.year = c.year AND tally.due_date = c.due_date;
    RETURN NULL;
END
$$;
CREATE TRIGGER {name} AFTER {op} ON tracking_assignment
    REFERENCING {_PG_REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def _sqlite_add(row: str, sign: str) -> str:
    return f"""
    INSERT OR IGNORE INTO {TALLY} ({KEY}, owed, made)
        SELECT {row}.county_id, {row}.year, {row}.due_date, 0, 0 WHERE {row}.kind = 'visit';
    UPDATE {TALLY}
        SET owed = owed {sign} ({row}.kind = 'visit' AND {row}.state <> 'withdrawn'),
            made = made {sign} ({row}.kind = 'visit' AND {row}.state = 'accepted')
        WHERE county_id = {row}.county_id AND year = {row}.year AND due_date = {row}.due_date;"""


SQLITE_CREATE = [
    f"""CREATE TRIGGER {TALLY}_on_insert AFTER INSERT ON tracking_assignment WHEN NEW.kind = 'visit'
BEGIN {_sqlite_add("NEW", "+")}
END""",
    f"""CREATE TRIGGER {TALLY}_on_delete AFTER DELETE ON tracking_assignment WHEN OLD.kind = 'visit'
BEGIN {_sqlite_add("OLD", "-")}
END""",
    # Taken off the old row's tally first: made never passes owed on the way.
    f"""CREATE TRIGGER {TALLY}_on_update AFTER UPDATE OF kind, county_id, year, due_date, state
ON tracking_assignment WHEN OLD.kind = 'visit' OR NEW.kind = 'visit'
BEGIN {_sqlite_add("OLD", "-")} {_sqlite_add("NEW", "+")}
END""",
]

BACKFILL = f"""
INSERT INTO {TALLY} ({KEY}, owed, made)
SELECT {KEY},
       SUM(CASE WHEN state <> 'withdrawn' THEN 1 ELSE 0 END),
       SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END)
FROM tracking_assignment WHERE kind = 'visit' GROUP BY {KEY}
"""


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [_pg_create(op) for op in ("INSERT", "UPDATE", "DELETE")]
    elif vendor == "sqlite":
        statements = SQLITE_CREATE
    else:
        raise NotImplementedError(f"the visit tally has no triggers for {vendor}")
    for statement in [*statements, BACKFILL]:
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    for op in ("insert", "update", "delete"):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {TALLY}_on_{op}"
            + (" ON tracking_assignment" if schema_editor.connection.vendor == "postgresql" else "")
        )
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {TALLY}_on_{op}()")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_documenttemplate_any_registered_kind"),
        ("organisation", "0002_historicalmembership_user_date_index"),
        ("tracking", "0012_assignment_county_kind_idx_covering"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("due_date", models.DateField(verbose_name="due date")),
                ("owed", models.PositiveIntegerField(default=0, verbose_name="visits owed")),
                ("made", models.PositiveIntegerField(default=0, verbose_name="visits made")),
                (
                    "county",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.county",
                        verbose_name="county",
                    ),
                ),
            ],
            options={
                "verbose_name": "visit tally",
                "verbose_name_plural": "visit tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("county", "year", "due_date"), name="visittally_one_per_county_day"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("made__lte", models.F("owed"))), name="visittally_made_of_owed"
                    ),
                ],
            },
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]

"""The visit tally's upkeep: its triggers checked and put back, its rows counted again.

The triggers keep the tally as obligations are written; a database can still lose them (SQLite
drops a table's triggers when a migration makes the table anew) or hold rows written while they
were missing. `visit_tally_rebuild` is what an operator runs then (manage.py visit_tally_rebuild):
it puts the triggers back as the latest migration makes them and recounts every row from the
obligations, in one transaction that holds other writers of the tally until it ends."""

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Q

from inspections.models import VisitTally
from tracking.models import Assignment

TRIGGERS = tuple(f"inspections_visittally_on_{op}" for op in ("insert", "update", "delete"))
# The migration that made the triggers last: the one source of their SQL.
_TRIGGERS_MIGRATION = "inspections.migrations.0006_visittally_triggers_only_add_new_rows"

Key = tuple[int, int, object]  # county_id, year, due_date


@dataclass(frozen=True)
class Rebuilt:
    triggers_missing: tuple[str, ...]
    added: int
    changed: int
    removed: int

    @property
    def was_right(self) -> bool:
        return not (self.triggers_missing or self.added or self.changed or self.removed)


def triggers_missing() -> tuple[str, ...]:
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'tracking_assignment'",
        "postgresql": (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tracking_assignment'::regclass AND NOT tgisinternal"
        ),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {name for (name,) in cursor.fetchall()}
    return tuple(name for name in TRIGGERS if name not in present)


def triggers_install(schema_editor=None) -> None:
    """Drop and create the three triggers as the latest migration does."""
    importlib.import_module(_TRIGGERS_MIGRATION).triggers_replace(apps, schema_editor or _Statements())


def counted() -> dict[Key, tuple[int, int]]:
    """What the tally should hold: the visit obligations counted one by one."""
    rows = (
        Assignment.objects.filter(kind=Assignment.Kind.VISIT)
        .values_list("county_id", "year", "due_date")
        .annotate(
            owed=Count("pk", filter=~Q(state=Assignment.State.WITHDRAWN)),
            made=Count("pk", filter=Q(state=Assignment.State.ACCEPTED)),
        )
        .order_by()
    )
    return {(county, year, due): (owed, made) for county, year, due, owed, made in rows if owed or made}


class _Statements:
    """What the migration's functions use of a schema editor, inside the caller's transaction
    (SQLite's schema editor refuses to open in one; its triggers need none of what it adds)."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@transaction.atomic
def visit_tally_rebuild(*, dry_run: bool = False) -> Rebuilt:
    missing = triggers_missing()
    if connection.vendor == "postgresql":
        # Obligations written meanwhile wait at their trigger's update of the tally, then count
        # on top of the recount, which cannot have seen them.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {VisitTally._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    if missing and not dry_run:
        triggers_install()
    should = counted()
    rows = {(row.county_id, row.year, row.due_date): row for row in VisitTally.objects.all()}
    # A row at zero is what the triggers leave when a key's obligations go: not wrong.
    stale = [row.pk for key, row in rows.items() if key not in should and (row.owed or row.made)]
    changed = [row for key, row in rows.items() if key in should and (row.owed, row.made) != should[key]]
    added = [
        VisitTally(county_id=county, year=year, due_date=due, owed=owed, made=made)
        for (county, year, due), (owed, made) in should.items()
        if (county, year, due) not in rows
    ]
    if not dry_run:
        for start in range(0, len(stale), 1000):
            VisitTally.objects.filter(pk__in=stale[start : start + 1000]).delete()
        for row in changed:
            row.owed, row.made = should[(row.county_id, row.year, row.due_date)]
        VisitTally.objects.bulk_update(changed, ["owed", "made"], batch_size=1000)
        VisitTally.objects.bulk_create(added, batch_size=1000)
    return Rebuilt(triggers_missing=missing, added=len(added), changed=len(changed), removed=len(stale))

"""The search indexes (GIN, PostgreSQL only) take each write into the index itself, not into a
pending list that every search then reads until a vacuum merges it.

With the default `fastupdate`, a few hundred plans written since the last vacuum left 466 pages
in `workplan_grams`'s pending list, and a 文号 search went from 17 to 50 ms (two index reads of
3,000 pages each). Plans and tasks are written seldom and searched often: PostgreSQL's own
advice for consistent response times over update speed.
"""

from django.db import migrations

INDEXES = ("workplan_grams", "task_title_trgm", "task_text_trgm", "task_search_grams")


def pending_lists_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(
            f"""DO $$ BEGIN
                IF to_regclass('"{name}"') IS NOT NULL THEN
                    ALTER INDEX "{name}" SET (fastupdate = off);
                    PERFORM gin_clean_pending_list('"{name}"'::regclass);
                END IF;
            END $$"""
        )


def pending_lists_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" RESET (fastupdate)')


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_workplan_grams")]

    operations = [migrations.RunPython(pending_lists_off, pending_lists_on)]

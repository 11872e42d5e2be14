"""The tasks' search indexes (GIN, PostgreSQL only) take writes into a pending list again, kept
to 256 kB: past that the writing statement merges it into the index, in bulk.

Without a pending list (0010) each task written went into the index entry by entry: an Excel
schedule sheet that edited 3,000 tasks spent 5.5 s of its import in those index writes, 1.0 s
with the list. A search reads the list as it stands (at most a few dozen pages: a fraction of a
millisecond). The plans' own grams index, written once a plan and read by every plan list
search, keeps no pending list.
"""

from django.db import migrations

INDEXES = ("task_title_trgm", "task_text_trgm", "task_search_grams")
PENDING_LIST_KB = 256


def pending_lists_bounded(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(
            f'ALTER INDEX IF EXISTS "{name}" SET (fastupdate = on, gin_pending_list_limit = {PENDING_LIST_KB})'
        )


def pending_lists_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" RESET (gin_pending_list_limit)')
        schema_editor.execute(f'ALTER INDEX IF EXISTS "{name}" SET (fastupdate = off)')


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_gin_without_pending_list")]

    operations = [migrations.RunPython(pending_lists_bounded, pending_lists_off)]

"""A plan keeps the union of its tasks' grams (plans.textsearch), under a GIN index over its
words on PostgreSQL like the tasks' (migration 0002): the plan list finds the plans whose tasks
hold a short word among the plans, not among every task. Filled by 0006.

`workplan_ids_holding(grams)` reads that index. A frequent word is in nearly every plan, and
PostgreSQL then preferred reading every plan's grams (it prices splitting a string like a
comparison: 300 ms at 3,400 plans) over the index (7 ms): the function's own setting rules the
full read out for its one query, as a query hint would."""

from django.db import migrations, models


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Kept out of the plan's row (TOAST, uncompressed): the list pages read plans by the
    # thousand and never these.
    schema_editor.execute('ALTER TABLE "plans_workplan" ALTER COLUMN "search_grams" SET STORAGE EXTERNAL')
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "workplan_search_grams" ON "plans_workplan" '
        "USING gin (string_to_array(\"search_grams\", ' '))"
    )
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION workplan_ids_holding(grams text[]) RETURNS SETOF bigint "
        "LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off "
        "AS $$ SELECT id FROM plans_workplan WHERE string_to_array(search_grams, ' ') @> grams $$"
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS workplan_ids_holding(text[])")
    schema_editor.execute('DROP INDEX IF EXISTS "workplan_search_grams"')
    schema_editor.execute('ALTER TABLE "plans_workplan" ALTER COLUMN "search_grams" SET STORAGE EXTENDED')


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_import_batch_file"),
    ]

    operations = [
        migrations.AddField(
            model_name="workplan",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search grams"),
        ),
        migrations.RunPython(index_create, index_drop),
    ]

"""PostgreSQL indexes for the plan list's search (nothing on SQLite).

Searches match words anywhere in a task's title and text (LIKE '%督导评估%'). Chinese has no
spaces to split words on, so full-text search would need a segmenter (zhparser, pg_jieba) that
PostgreSQL does not ship. A trigram index (pg_trgm) finds the tasks holding a word of three
characters or more; words of one or two characters (均衡, 督学) make no trigram, so each task
also keeps its characters and pairs of characters (plans.textsearch, the `search_grams`
column) under a GIN index; string_to_array is built in.
"""

from django.db import migrations

INDEXES = (
    ("task_title_trgm", 'USING gin ("title" gin_trgm_ops)'),
    ("task_text_trgm", 'USING gin ("text" gin_trgm_ops)'),
    ("task_search_grams", "USING gin (string_to_array(\"search_grams\", ' '))"),
)


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, using in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "plans_task" {using}')


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _using in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]

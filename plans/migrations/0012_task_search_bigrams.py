from django.db import migrations, models

from plans.textsearch import search_grams

# Words of one or two characters (均衡, 督学) make no trigram: the indexes of 0008 cannot serve
# them, and a search for one read every task's text. Each task keeps its characters and pairs of
# characters (plans.textsearch); on PostgreSQL a GIN index over them finds the tasks that can
# hold a word. string_to_array is built in: no extension needed. SQLite keeps the column, which
# its searches do not read (a LIKE over every task, as before).
INDEX = "task_search_grams"
_BATCH = 2_000


def grams_fill(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    connection = schema_editor.connection
    rows = Task.objects.using(connection.alias).order_by("pk").values_list("pk", "title", "text")
    batch = []
    with connection.cursor() as cursor:
        for pk, title, text in rows.iterator(chunk_size=_BATCH):
            batch.append((search_grams(title, text), pk))
            if len(batch) == _BATCH:
                cursor.executemany("UPDATE plans_task SET search_grams = %s WHERE id = %s", batch)
                batch = []
        if batch:
            cursor.executemany("UPDATE plans_task SET search_grams = %s WHERE id = %s", batch)


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "plans_task" USING gin (string_to_array("search_grams", \' \'))'
    )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0011_assignment_occurrence"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="search grams"),
        ),
        migrations.RunPython(grams_fill, migrations.RunPython.noop),
        migrations.RunPython(index_create, index_drop),
    ]

"""A plan's grams run to four characters (they ran to three), so that a word of four is found
exactly among the plans, as one of three was.

Four characters is the commonest length of the words the plan list is searched for (督导评估,
义务教育, 学前教育, 控辍保学): such a word was looked up by its two triples, and every plan
holding both (nearly every plan of the years, for a frequent one) was confirmed by LIKE on its
title, notice title, 文号, office and then its tasks one by one, some 12 ms of the search's
20–30. A longer word's candidates are fewer too: those holding all of its runs of four.
The grams take half as much room again (1,495 → 2,262 a plan on the national data).

As 0009 made the index, with runs of four: the index is dropped before the fill (so that
the fill does not write an index about to go) and made again after it, without a pending list
(0010)."""

import importlib

from django.db import migrations

grams = importlib.import_module("plans.migrations.0009_workplan_grams")


def _grams_function(widths: int) -> str:
    return grams.GRAMS_FUNCTION.replace(
        "(VALUES (1), (2), (3))", "(VALUES " + ", ".join(f"({n})" for n in range(1, widths + 1)) + ")"
    )


def _grams_of(widths: int):
    def run(apps, schema_editor):
        postgres = schema_editor.connection.vendor == "postgresql"
        if postgres:
            schema_editor.execute('DROP INDEX IF EXISTS "workplan_grams"')
        grams.grams_fill(apps, widths=widths)
        if not postgres:
            return
        schema_editor.execute(_grams_function(widths))
        schema_editor.execute(
            f'CREATE INDEX "workplan_grams" ON "plans_workplan" USING gin ({grams.EXPRESSION}) WITH (fastupdate = off)'
        )
        schema_editor.execute('ANALYZE "plans_workplan"')

    return run


class Migration(migrations.Migration):
    dependencies = [("plans", "0011_task_search_pending_list_bounded")]

    operations = [migrations.RunPython(_grams_of(4), _grams_of(3))]

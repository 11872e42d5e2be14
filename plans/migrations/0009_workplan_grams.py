"""The plan list's search by an index alone, whatever the years of plans.

A plan's grams (`search_grams`, plans.textsearch) become the characters, pairs and triples of its
tasks' titles and texts (they were the tasks' characters and pairs), filled here: a word of
three characters is then found exactly among the plans, as one of one or two was, and a longer
one among the plans holding all of its triples rather than its pairs (a frequent longer word's
pairs are in every plan).

The index's expression (`workplan_grams`) adds the grams of the plan's title, notice title and
文号, computed by PostgreSQL from the columns so that every way they change (an edit, an import,
a revision, an update() in bulk) keeps them, and keys each gram by the plan's year
("2026|督学"): the list shows the newest years first and stops at 1,000 plans, so it asks for a
span of years, and the index gives only their plans. The plan list tested every plan's title,
notice title and 文号 by LIKE and read every plan holding a word from the index before: both
grew with the years of plans. The header's grams are not folded: the index serves words without
case only, as the tasks' grams do.

`workplan_ids_holding(grams, years)` reads the index a year at a time. Its setting rules out
the plans' full read: the planner charges the expression for every row a bitmap brings back,
though an index exact for `@>` never evaluates it there, and would rather evaluate it on every
plan of those years (0.14 ms a plan). It expects a few dozen plans, not a thousand: a rare word's
plans are then read by their key, not by reading every plan of the years (a frequent word's,
a thousand at most, cost about the same either way)."""

import re

from django.db import migrations

GRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION workplan_grams(
    plan_year integer, title text, notice_title text, doc_number text, search_grams text
) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10000 AS $$
  SELECT coalesce(array_agg(DISTINCT plan_year || '|' || gram), '{}')
  FROM (
    SELECT substr(header.text, at.i, width.n) AS gram
    FROM unnest(ARRAY[title, notice_title, doc_number]) AS header(text)
    CROSS JOIN LATERAL generate_series(1, char_length(header.text)) AS at(i)
    CROSS JOIN (VALUES (1), (2), (3)) AS width(n)
    UNION ALL
    SELECT unnest(string_to_array(search_grams, ' '))
  ) AS grams
  WHERE gram <> '' AND gram !~ '\s'
$$
"""
EXPRESSION = "workplan_grams(plan_year, title, notice_title, doc_number, search_grams)"
HOLDING = f"""
CREATE OR REPLACE FUNCTION workplan_ids_holding(grams text[], years integer[]) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE ROWS 50 SET enable_seqscan = off AS $$
  SELECT plan.id FROM unnest(years) AS year(year)
  CROSS JOIN LATERAL (
    SELECT id FROM plans_workplan
    WHERE {EXPRESSION} @> ARRAY(SELECT year.year || '|' || gram FROM unnest(grams) AS gram)
  ) AS plan
$$
"""
# As 0005 made them.
TASKS_ONLY = "string_to_array(search_grams, ' ')"
HOLDING_TASKS_ONLY = (
    "CREATE OR REPLACE FUNCTION workplan_ids_holding(grams text[]) RETURNS SETOF bigint "
    "LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off "
    f"AS $$ SELECT id FROM plans_workplan WHERE {TASKS_ONLY} @> grams $$"
)


_SPACE = re.compile(r"\s")


def _fold(text: str) -> str:
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in text)


def plan_search_grams(tasks, widths: int = 3) -> str:
    """As plans.textsearch makes them (before: up to pairs), copied here so that the migration
    stays what it was."""
    grams = set()
    for title, text in tasks:
        for part in (title, text):
            folded = _fold(part or "")
            grams.update(folded)
            for width in range(2, widths + 1):
                grams.update(folded[i : i + width] for i in range(len(folded) - width + 1))
    return " ".join(sorted(g for g in grams if not _SPACE.search(g)))


def grams_fill(apps, widths: int = 3):
    WorkPlan = apps.get_model("plans", "WorkPlan")
    Task = apps.get_model("plans", "Task")
    plan_ids = list(WorkPlan.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(plan_ids), 500):
        batch = plan_ids[start : start + 500]
        tasks: dict[int, list[tuple[str, str]]] = {pk: [] for pk in batch}
        for plan_id, title, text in Task.objects.filter(plan_id__in=batch).values_list("plan_id", "title", "text"):
            tasks[plan_id].append((title, text))
        plans = [WorkPlan(pk=pk, search_grams=plan_search_grams(pairs, widths)) for pk, pairs in tasks.items()]
        WorkPlan.objects.bulk_update(plans, ["search_grams"])


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # Before the fill, so that it does not write an index about to go.
        schema_editor.execute("DROP FUNCTION IF EXISTS workplan_ids_holding(text[])")
        schema_editor.execute('DROP INDEX IF EXISTS "workplan_search_grams"')
    grams_fill(apps)
    if not postgres:
        return
    schema_editor.execute(GRAMS_FUNCTION)
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "workplan_grams" ON "plans_workplan" USING gin ({EXPRESSION})')
    schema_editor.execute(HOLDING)
    schema_editor.execute('ANALYZE "plans_workplan"')


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("DROP FUNCTION IF EXISTS workplan_ids_holding(text[], integer[])")
        schema_editor.execute('DROP INDEX IF EXISTS "workplan_grams"')
        schema_editor.execute("DROP FUNCTION IF EXISTS workplan_grams(integer, text, text, text, text)")
    grams_fill(apps, widths=2)
    if not postgres:
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "workplan_search_grams" ON "plans_workplan" USING gin ({TASKS_ONLY})'
    )
    schema_editor.execute(HOLDING_TASKS_ONLY)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_workplan_year_visible_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

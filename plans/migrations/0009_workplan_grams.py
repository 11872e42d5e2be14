"""A plan's grams, with its title's, notice title's and 文号's beside its tasks' (plans.textsearch),
each keyed by the plan's year ("2026|督学"), in one GIN index on PostgreSQL: a short word is found
among the plans of the years asked for through the index alone. The plan list tested every
plan's title, notice title and 文号 by LIKE and read every plan holding the word from the index:
both grew with the years of plans, where the list shows the newest first and stops at 1,000.

The grams are the index's expression (`workplan_grams`), computed by PostgreSQL from the columns,
so that every way a title or 文号 changes (an edit, an import, a revision, an update() in bulk)
keeps them: nothing to refresh. The header's are not folded: the index serves words without case
only, as the tasks' grams do. The plan's own `search_grams` column stays the union of its tasks'.

`workplan_ids_holding(grams, years)` reads the index, a year at a time. Its setting rules out
the plans' full read: the planner charges the expression for every row a bitmap brings back,
though an index exact for `@>` never evaluates it there, and would rather evaluate it on every
plan of those years (0.14 ms a plan)."""

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
    CROSS JOIN (VALUES (1), (2)) AS width(n)
    UNION ALL
    SELECT unnest(string_to_array(search_grams, ' '))
  ) AS grams
  WHERE gram <> '' AND gram !~ '\s'
$$
"""
EXPRESSION = "workplan_grams(plan_year, title, notice_title, doc_number, search_grams)"
HOLDING = f"""
CREATE OR REPLACE FUNCTION workplan_ids_holding(grams text[], years integer[]) RETURNS SETOF bigint
LANGUAGE sql STABLE PARALLEL SAFE SET enable_seqscan = off AS $$
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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS_FUNCTION)
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "workplan_grams" ON "plans_workplan" USING gin ({EXPRESSION})')
    schema_editor.execute(HOLDING)
    schema_editor.execute("DROP FUNCTION IF EXISTS workplan_ids_holding(text[])")
    schema_editor.execute('DROP INDEX IF EXISTS "workplan_search_grams"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "workplan_search_grams" ON "plans_workplan" USING gin ({TASKS_ONLY})'
    )
    schema_editor.execute(HOLDING_TASKS_ONLY)
    schema_editor.execute("DROP FUNCTION IF EXISTS workplan_ids_holding(text[], integer[])")
    schema_editor.execute('DROP INDEX IF EXISTS "workplan_grams"')
    schema_editor.execute("DROP FUNCTION IF EXISTS workplan_grams(integer, text, text, text, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_workplan_year_visible_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

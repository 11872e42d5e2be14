"""Every plan's grams from its tasks' (as plans.textsearch.plan_search_grams makes them, copied
here so that the migration stays what it was whatever that module becomes): one UPDATE on
PostgreSQL, plan by plan elsewhere."""

from django.db import migrations


def plan_search_grams(task_grams) -> str:
    grams = set()
    for text in task_grams:
        if text:
            grams.update(text.split(" "))
    return " ".join(sorted(grams))


# Byte order of UTF-8 ("C") is code point order, Python's sorted(): the same string either way.
FILL = """
UPDATE plans_workplan AS plan SET search_grams = grams.text
FROM (
    SELECT task.plan_id, string_agg(DISTINCT gram COLLATE "C", ' ' ORDER BY gram COLLATE "C") AS text
    FROM plans_task AS task CROSS JOIN LATERAL unnest(string_to_array(task.search_grams, ' ')) AS gram
    WHERE gram <> ''
    GROUP BY task.plan_id
) AS grams
WHERE grams.plan_id = plan.id
"""


def grams_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL)
        # The planner's statistics of the index's expression: without them it guessed and read
        # every plan's grams (360 ms at 3,400 plans) instead of the index.
        schema_editor.execute('ANALYZE "plans_workplan"')
        return
    WorkPlan = apps.get_model("plans", "WorkPlan")
    Task = apps.get_model("plans", "Task")
    plan_ids = list(WorkPlan.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(plan_ids), 200):
        batch = plan_ids[start : start + 200]
        grams: dict[int, list[str]] = {pk: [] for pk in batch}
        for plan_id, text in Task.objects.filter(plan_id__in=batch).values_list("plan_id", "search_grams"):
            grams[plan_id].append(text)
        plans = [WorkPlan(pk=pk, search_grams=plan_search_grams(texts)) for pk, texts in grams.items()]
        WorkPlan.objects.bulk_update(plans, ["search_grams"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_workplan_search_grams"),
    ]

    operations = [migrations.RunPython(grams_fill, migrations.RunPython.noop)]

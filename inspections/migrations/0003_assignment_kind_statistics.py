"""Statistics on tracking_assignment's kind and subject type together (PostgreSQL).

The inspection work's kinds share the table with plan work, and the 挂牌督导 visits are most of its
rows at national scale. Without these statistics PostgreSQL multiplies the two columns'
selectivities as if independent and takes the 30,000 整改 obligations for about 230: the 整改 list
then merges every 整改 obligation against the office's few items (10 ms a query, three a page)
instead of looking each item's obligation up (under 1 ms)."""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS assignment_kind_subject_stats (dependencies, mcv) "
    "ON kind, subject_type_id FROM tracking_assignment"
)
DROP = "DROP STATISTICS IF EXISTS assignment_kind_subject_stats"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE tracking_assignment")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_inspections_rectification_visits_documents"),
        ("tracking", "0002_assignment_inspection_kinds"),
    ]

    operations = [migrations.RunPython(create, drop)]

from django.db import migrations

# Each report (and each of its historical rows) takes its assignment's office. UPDATE … FROM
# runs on PostgreSQL and on SQLite from 3.33.
FILL = """
UPDATE {table} SET office_id = a.office_id
FROM tracking_assignment a WHERE a.id = {table}.assignment_id
"""


class Migration(migrations.Migration):
    dependencies = [("tracking", "0009_report_office")]

    operations = [
        migrations.RunSQL(FILL.format(table="tracking_progressreport"), migrations.RunSQL.noop),
        migrations.RunSQL(FILL.format(table="tracking_historicalprogressreport"), migrations.RunSQL.noop),
    ]

"""An index on (history_user_id, history_date, history_id) on the membership history, which a
user's audit page reads as plans' history tables (plans 0007_history_user_date_indexes): the
user's newest rows from the index, whatever the length of their history. Not in the model's
state: simple_history builds the historical model."""

from django.db import migrations

NAME = "organisation_historicalmembership_user_date_idx"


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX "{NAME}" ON "organisation_historicalmembership" '
            '("history_user_id", "history_date", "history_id")',
            reverse_sql=f'DROP INDEX IF EXISTS "{NAME}"',
        )
    ]

"""An index on (history_user_id, history_date, history_id) on each history table a user's audit
page reads: the page takes the user's newest rows of each table from it, whatever the length
of the user's history (the index on history_user_id alone found all of the user's rows, which
were sorted to keep the newest). Not in the models' state: simple_history builds the
historical models and declares no index of ours."""

from django.db import migrations

TABLES = (
    "plans_historicalworkplan",
    "plans_historicalsection",
    "plans_historicaltask",
    "plans_historicalproject",
    "plans_historicalscheduleentry",
    "plans_historicaltasktarget",
    "plans_historicalentrytarget",
)


def _index(table: str) -> migrations.RunSQL:
    name = f"{table}_user_date_idx"
    return migrations.RunSQL(
        f'CREATE INDEX "{name}" ON "{table}" ("history_user_id", "history_date", "history_id")',
        reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_workplan_search_grams_fill")]

    operations = [_index(table) for table in TABLES]

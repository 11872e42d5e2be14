"""Drop the assignment indexes no query needs: the single-column county and plan indexes (the
composite ones lead with the same column: assignment_county_idx, assignment_county_id_idx,
assignment_plan_county_idx), and the history table's foreign-key indexes (it is read by
assignment id). Each was written on every publication's ~100 assignments.

Only the indexes go: the state says db_index=False, the database drops the index by name,
and the foreign-key constraints stay as they are (AlterField would drop and validate them
again over the whole table)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisation", "0001_initial"),
        ("plans", "0003_feedtoken_token_hash"),
        ("tracking", "0005_report_pending_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assignment",
                    name="county",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="organisation.county",
                        verbose_name="county",
                    ),
                ),
                migrations.AlterField(
                    model_name="assignment",
                    name="plan",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="plans.workplan",
                        verbose_name="work plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="acknowledged_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="acknowledged by",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="county",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisation.county",
                        verbose_name="county",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="entry",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.scheduleentry",
                        verbose_name="calendar line",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="office",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisation.office",
                        verbose_name="office",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="plan",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.workplan",
                        verbose_name="work plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="subject_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="subject type",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalassignment",
                    name="task",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.task",
                        verbose_name="task",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_assignment_county_id_88e19bd1"', reverse_sql=migrations.RunSQL.noop
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_assignment_plan_id_32570bab"', reverse_sql=migrations.RunSQL.noop
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_acknowledged_by_id_10a695f6"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_acknowledged_by_id_10a695f6" ON "tracking_historicalassignment" ("acknowledged_by_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_county_id_f0d55a79"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_county_id_f0d55a79" ON "tracking_historicalassignment" ("county_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_entry_id_b6104513"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_entry_id_b6104513" ON "tracking_historicalassignment" ("entry_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_office_id_7f9f439b"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_office_id_7f9f439b" ON "tracking_historicalassignment" ("office_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_plan_id_1b98c2f3"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_plan_id_1b98c2f3" ON "tracking_historicalassignment" ("plan_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_subject_type_id_641b2b87"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_subject_type_id_641b2b87" ON "tracking_historicalassignment" ("subject_type_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tracking_historicalassignment_task_id_02640f53"',
                    reverse_sql='CREATE INDEX "tracking_historicalassignment_task_id_02640f53" ON "tracking_historicalassignment" ("task_id")',
                ),
            ],
        ),
    ]

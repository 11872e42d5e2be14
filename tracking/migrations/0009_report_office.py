import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("tracking", "0008_assignment_county_plan_idx"),
    ]

    operations = [
        # Nullable until 0010 has copied each report's office from its assignment.
        migrations.AddField(
            model_name="historicalprogressreport",
            name="office",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisation.office",
                verbose_name="office",
            ),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="office",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.office",
                verbose_name="office",
            ),
        ),
    ]

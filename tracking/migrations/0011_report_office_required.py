import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracking", "0010_report_office_fill")]

    operations = [
        migrations.AlterField(
            model_name="progressreport",
            name="office",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisation.office",
                verbose_name="office",
            ),
        ),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("review", "pending")),
                fields=["office"],
                include=("author",),
                name="report_pending_office_idx",
            ),
        ),
    ]

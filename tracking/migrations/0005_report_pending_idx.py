from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracking", "0004_assignment_cursor_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(review="pending"),
                fields=["assignment"],
                include=["author"],
                name="report_pending_idx",
            ),
        ),
    ]

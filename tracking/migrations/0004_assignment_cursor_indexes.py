from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_assignment_evaluation_kind")]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["county", "id"], name="assignment_county_id_idx"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["office", "id"], name="assignment_office_id_idx"),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0011_report_office_required"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="assignment", name="assignment_county_kind_idx"),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["county", "kind", "year", "due_date"],
                include=["state", "subject_id", "id"],
                name="assignment_county_kind_idx",
            ),
        ),
    ]

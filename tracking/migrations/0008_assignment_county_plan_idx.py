from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0007_assignment_county_kind_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("plan__isnull", False)),
                fields=["county", "plan", "state"],
                name="assignment_county_plan_idx",
            ),
        ),
    ]

# The evaluation's 自评 obligation kind (evaluation.kinds) allowed by the kind check.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0003_assignment_evaluation_kind"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="assignment",
            name="assignment_kind_valid",
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["plan_work", "self_assessment", "rectification", "visit", "evaluation"])
                ),
                name="assignment_kind_valid",
            ),
        ),
    ]

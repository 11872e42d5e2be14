from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("demo", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="demodataset",
            table=None,
        ),
    ]

"""A migrated database knows every county-level division: notices cannot be read without them."""
from django.db import migrations

from plans.divisions import divisions_load


def load(apps, schema_editor):
    divisions_load(
        region_model=apps.get_model("plans", "Region"),
        county_model=apps.get_model("plans", "County"),
        alias_model=apps.get_model("plans", "CountyAlias"),
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

import hashlib

from django.db import migrations, models


def hash_secrets(apps, schema_editor):
    # The addresses subscribed today keep working: their secret's hash opens them from now on.
    FeedToken = apps.get_model("plans", "FeedToken")
    tokens = list(FeedToken.objects.all())
    for token in tokens:
        token.token_hash = hashlib.sha256(token.token.encode()).hexdigest()
    FeedToken.objects.bulk_update(tokens, ["token_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="feedtoken",
            name="token_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="token hash"),
        ),
        migrations.RunPython(hash_secrets, migrations.RunPython.noop),
        migrations.RemoveField(model_name="feedtoken", name="token"),
        migrations.AlterField(
            model_name="feedtoken",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="token hash"),
        ),
    ]
